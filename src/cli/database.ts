// Which database `state`, `status` and `reset` open: the one `sync` writes, found the way `sync` finds it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, readConfigFile } from "../config/load";
import { loadStreams } from "../config/streams";
import type { Io } from "./io";

export interface Database {
  /** An SQLite file or a postgres:// URL. */
  db: string;
  /** PostgreSQL: the configuration's schema (null: the URL's ?schema=, else public). */
  schema?: string;
}

/** The --db/--config flags every reading command takes, described once. */
export const DATABASE_FLAGS = {
  db: {
    type: "string",
    value: "FILE",
    help: "SQLite file or postgres:// URL (its ?schema= too); wins over the configuration's db",
    default: "the configuration's db, else connector.db",
  },
  config: { type: "string", value: "FILE", help: "configuration file whose db (and schema) to use", default: "configuration.json if present" },
} as const;

/**
 * --db wins; else the configuration's `db` (its ${VAR}s filled from the environment, as `sync` does); else
 * connector.db. The configuration is read only when --config names it or ./configuration.json exists.
 */
export function databaseOf(flags: { db?: string; config?: string }, io: Pick<Io, "cwd" | "env">): Database {
  if (flags.db !== undefined) return { db: flags.db };
  if (flags.config === undefined && !existsSync(resolve(io.cwd, DEFAULT_CONFIG_FILE))) return { db: "connector.db" };
  const raw = readConfigFile({ file: flags.config, cwd: io.cwd });
  // A configuration written for `sync --mock` has no base_url; only db and schema matter here.
  const overrides = raw.base_url === undefined ? { base_url: "http://127.0.0.1/" } : {};
  const { config } = loadStreams({ file: flags.config, overrides, env: io.env, cwd: io.cwd }).streams[0] ?? {};
  return { db: config?.db ?? "connector.db", ...(config?.schema ? { schema: config.schema } : {}) };
}
