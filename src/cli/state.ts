import { withRemaining } from "../connector/state";
import { SqliteStore } from "../store/sqlite-store";
import { maskShapes } from "../secrets";
import { defineCommand } from "./command";

export const stateCommand = defineCommand({
  name: "state",
  summary: "Print the saved sync state as JSON",
  usage: "connector state [--db FILE]",
  details: [
    "Prints {\"<table>\": <state>} for every synced table: the cursor the next sync starts from and, after an",
    "interrupted sync, the run it will resume. After a priority-first sync, \"backfill\" holds the history windows",
    "done ([from, to), merged), the gaps \"remaining\" (newest first) and the window in progress (\"current\").",
  ].join("\n"),
  flags: {
    db: { type: "string", value: "FILE", help: "SQLite database", default: "connector.db" },
  },
  async run({ flags }, io) {
    const store = SqliteStore.open(flags.db ?? "connector.db", { mustExist: true });
    try {
      const states = Object.entries(store.allStates()).map(([stream, state]) => [stream, withRemaining(state)]);
      // Intervals ([from, to]) on one line each, so a backfill's windows read as a list of time ranges.
      const text = JSON.stringify(Object.fromEntries(states), null, 2).replace(/\[\s+("[^"\n]*"),\s+("[^"\n]*")\s+\]/g, "[$1, $2]");
      // State holds no secret the connector knows of; a server-minted credential in a saved URL is masked here.
      io.stdout(`${maskShapes(text)}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
});
