import { Redactor } from "../secrets";
import { withRemaining } from "../connector/state";
import { UsageError } from "../errors";
import { openStore } from "../store/open";
import { defineCommand } from "./command";
import { DATABASE_FLAGS, databaseOf } from "./database";

export const stateCommand = defineCommand({
  name: "state",
  summary: "Print the saved sync state as JSON",
  usage: "connector state [--db FILE|URL | --config FILE] [--table NAME]",
  details: [
    'Prints {"<table>": <state>} for every synced table: the cursor the next sync starts from and, after an',
    'interrupted sync, the run it will resume. After a priority-first sync, "backfill" holds the history windows',
    'done ([from, to), merged), the gaps "remaining" (newest first) and the window in progress ("current").',
    "Reads the last committed checkpoint without waiting: it works while a sync runs.",
  ].join("\n"),
  flags: {
    ...DATABASE_FLAGS,
    table: { type: "string", value: "NAME", help: "only this table's state", default: "every table" },
  },
  async run({ flags }, io) {
    const { db, schema } = databaseOf(flags, io);
    const store = await openStore(db, { mode: "reader", mustExist: true, schema });
    try {
      const all = await store.allStates();
      if (flags.table !== undefined && !(flags.table in all))
        throw new UsageError(`--table '${flags.table}': no state for it in ${store.location}${knownTables(all)}`);
      const states = Object.entries(all)
        .filter(([stream]) => flags.table === undefined || stream === flags.table)
        .map(([stream, state]) => [stream, withRemaining(state)]);
      // Intervals ([from, to]) on one line each, so a backfill's windows read as a list of time ranges.
      const text = JSON.stringify(Object.fromEntries(states), null, 2).replace(/\[\s+("[^"\n]*"),\s+("[^"\n]*")\s+\]/g, "[$1, $2]");
      // The one redactor (src/secrets.ts): user:password@ and credential parameters in saved URLs are masked.
      io.stdout(`${redactText(text)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

/** Saved state holds URLs (next links, the source): their credential-like parameters are masked on the way out. */
const redactText = new Redactor().redact;

/** " (synced tables: a, b)" for an error about a table that is not there. */
export function knownTables(states: Record<string, unknown>): string {
  const names = Object.keys(states);
  return names.length ? ` (synced tables: ${names.join(", ")})` : " (nothing has been synced into it)";
}
