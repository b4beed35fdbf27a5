import { defineCommand } from "./command";
import { notImplemented } from "./not-implemented";

export const resetCommand = defineCommand({
  name: "reset",
  summary: "Drop synced data and state together",
  usage: "connector reset [options]",
  flags: {},
  run: async () => notImplemented("reset"),
});
