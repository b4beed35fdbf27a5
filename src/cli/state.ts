import { SqliteStore } from "../store/sqlite-store";
import { defineCommand } from "./command";

export const stateCommand = defineCommand({
  name: "state",
  summary: "Print the saved sync state as JSON",
  usage: "connector state [--db FILE]",
  details: "Prints {\"<table>\": <state>} for every synced table: the cursor the next sync starts from and, after an\ninterrupted sync, the run it will resume.",
  flags: {
    db: { type: "string", value: "FILE", help: "SQLite database", default: "connector.db" },
  },
  async run({ flags }, io) {
    const store = SqliteStore.open(flags.db ?? "connector.db", { mustExist: true });
    try {
      io.stdout(`${JSON.stringify(store.allStates(), null, 2)}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
});
