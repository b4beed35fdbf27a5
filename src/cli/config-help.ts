import { keysWithDefaults } from "../config/keys";
import { commandHelp, defineCommand } from "./command";

/** Keys whose default reads better as written than as parsed. */
const SHOWN: Record<string, string> = {
  base_url: "(required: the first page's URL)",
  auth: '(none) {"type": "bearer" | "basic" | "api_key" | "session_token", ...}',
  window: '"24h" (seconds, or 90m, 24h, 7d)',
  max_duration: '"30m"',
  db: '(--db, else connector.db) a file path, or postgres://user:password@host:5432/db such as "${DATABASE_URL}"',
  schema: "(the URL's ?schema=, else public) PostgreSQL only",
};

function keysTable(): string {
  const rows = keysWithDefaults().map(([key, value]) => [key, SHOWN[key] ?? JSON.stringify(value) ?? "(none)"] as const);
  const width = Math.max(...rows.map(([key]) => key.length)) + 2;
  return rows.map(([key, value]) => `  ${key.padEnd(width)}${value}`).join("\n");
}

export const configCommand = defineCommand({
  name: "config",
  summary: "List every key of configuration.json with its default",
  usage: "connector config [--help]",
  details: [
    "configuration.json (or --config FILE) is one JSON object; every key is optional except base_url, and a sync",
    "flag of the same name (kebab-case: --page-size for page_size) overrides it. Nested keys are written as",
    'objects: "retry": {"max_elapsed_seconds": 600}. "${VAR}" in a value is read from the environment.',
    "An unknown key or a bad value stops the sync before anything is written (exit 2), naming the key.",
    "",
    'Several tables: "streams": [{"name": "users", "path": "/users"}, ...]; the keys below are every stream\'s',
    'defaults and a stream may override any (plus "name", "path" joined to base_url, "parent" for a child stream',
    "whose path names its parent's fields: \"/users/{users.id}/orders\"). table defaults to the stream's name.",
    "",
    "Keys and defaults:",
    keysTable(),
  ].join("\n"),
  flags: {},
  async run(_parsed, io) {
    io.stdout(commandHelp(configCommand));
    return 0;
  },
});
