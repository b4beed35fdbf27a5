import { defineCommand } from "./command";
import { notImplemented } from "./not-implemented";

export const serveMockCommand = defineCommand({
  name: "serve-mock",
  summary: "Serve the embedded mock REST API of fake users (playground-compatible)",
  usage: "connector serve-mock [options]",
  flags: {},
  run: async () => notImplemented("serve-mock"),
});
