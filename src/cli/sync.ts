import { defineCommand } from "./command";
import { notImplemented } from "./not-implemented";

export const syncCommand = defineCommand({
  name: "sync",
  summary: "Incrementally sync an HTTP JSON API (or the embedded mock) into SQLite",
  usage: "connector sync [options]",
  flags: {},
  run: async () => notImplemented("sync"),
});
