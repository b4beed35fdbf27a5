import { UsageError } from "../errors";
import { SqliteStore } from "../store/sqlite-store";
import { defineCommand } from "./command";

export const resetCommand = defineCommand({
  name: "reset",
  summary: "Drop synced data and state together",
  usage: "connector reset [--db FILE] [--yes]",
  details: "Drops every synced table and its state in one transaction; the next sync starts from the beginning.",
  flags: {
    db: { type: "string", value: "FILE", help: "SQLite database", default: "connector.db" },
    yes: { type: "boolean", help: "do not ask for confirmation" },
  },
  async run({ flags }, io) {
    const path = flags.db ?? "connector.db";
    if (!flags.yes) {
      if (!io.isTTY) throw new UsageError("reset drops all synced data: pass --yes to confirm (no terminal to ask on)");
      if (!(await io.confirm(`Drop all synced tables and state in ${path}?`))) {
        io.stderr("reset: cancelled, nothing changed\n");
        return 1;
      }
    }
    const store = SqliteStore.open(path, { mustExist: true, exclusive: true });
    try {
      const dropped = store.reset();
      io.stdout(dropped.length ? `reset: dropped ${dropped.join(", ")} and the saved state\n` : "reset: nothing was synced; state cleared\n");
      return 0;
    } finally {
      store.close();
    }
  },
});
