import { UsageError } from "../errors";
import { openStore, shownDb } from "../store/open";
import { defineCommand } from "./command";
import { DATABASE_FLAGS, databaseOf } from "./database";
import { knownTables } from "./state";

export const resetCommand = defineCommand({
  name: "reset",
  summary: "Drop synced data and state together",
  usage: "connector reset [--db FILE|URL | --config FILE] [--table NAME] [--yes]",
  details: [
    "Drops every synced table (or only --table NAME) with its state and run history, in one transaction; the",
    "next sync of it starts from the beginning. Refused while a sync holds the database.",
  ].join("\n"),
  flags: {
    ...DATABASE_FLAGS,
    table: { type: "string", value: "NAME", help: "drop only this table and its state", default: "every synced table" },
    yes: { type: "boolean", help: "do not ask for confirmation" },
  },
  async run({ flags }, io) {
    const { db: path, schema } = databaseOf(flags, io);
    const what = flags.table === undefined ? "all synced tables and state" : `table '${flags.table}' and its state`;
    if (!flags.yes) {
      if (!io.isTTY) throw new UsageError(`reset drops ${what}: pass --yes to confirm (no terminal to ask on)`);
      if (!(await io.confirm(`Drop ${what} in ${shownDb(path)}?`))) {
        io.stderr("reset: cancelled, nothing changed\n");
        return 1;
      }
    }
    const store = await openStore(path, { mode: "admin", mustExist: true, schema, ...(flags.table === undefined ? {} : { tables: [flags.table] }) });
    try {
      if (flags.table !== undefined) {
        const states = await store.allStates();
        if (!(flags.table in states) && !(await store.tableExists(flags.table)))
          throw new UsageError(`--table '${flags.table}': no such synced table in ${store.location}${knownTables(states)}`);
        if (!(flags.table in states))
          throw new UsageError(`--table '${flags.table}' is not a table the connector synced (no saved state): reset only drops synced tables`);
      }
      const dropped = await store.reset(flags.table);
      io.stdout(dropped.length ? `reset: dropped ${dropped.join(", ")} and the saved state\n` : "reset: nothing was synced; state cleared\n");
      return 0;
    } finally {
      await store.close();
    }
  },
});
