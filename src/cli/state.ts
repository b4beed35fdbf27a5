import { defineCommand } from "./command";
import { notImplemented } from "./not-implemented";

export const stateCommand = defineCommand({
  name: "state",
  summary: "Print the saved sync state as JSON",
  usage: "connector state [options]",
  flags: {},
  run: async () => notImplemented("state"),
});
