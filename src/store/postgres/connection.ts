// The --db URL of a PostgreSQL destination: parsed once, shown only with its password masked, and every driver or
// server error turned into one clear StoreError that names it.
import { AppError, describe } from "../../errors";
import { maskUrl } from "../../secrets";
import { StoreError } from "../store-error";

export interface PostgresTarget {
  /** The URL Bun's client gets: without our own `schema` parameter (the server would refuse it as a setting). */
  url: string;
  /** The URL for messages: password (and credential-named parameters) masked. */
  shown: string;
  schema: string;
  database: string;
}

/** Parses `postgres://user:password@host:port/db?schema=name`; the schema option wins over `?schema=`. */
export function parseTarget(db: string, schema?: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(db.trim());
  } catch {
    throw new AppError("db_url", `--db '${maskUrl(db)}' is not a valid PostgreSQL URL; the form is postgres://user:password@host:5432/database`, {
      exitCode: 2,
    });
  }
  const fromUrl = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  const chosen = schema ?? fromUrl ?? "public";
  if (chosen === "" || chosen.length > 63) throw new AppError("db_url", `schema '${chosen}' must be 1 to 63 characters`, { exitCode: 2 });
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || decodeURIComponent(parsed.username) || "postgres";
  return { url: parsed.href, shown: maskUrl(parsed.href), schema: chosen, database };
}

interface DriverError {
  code?: string;
  errno?: string | number;
  message?: string;
}

/** Whether an error means the connection is gone (refused, closed, server shutting down): the sync can be run again. */
export function isConnectionLoss(error: unknown): boolean {
  const { code = "", errno = "" } = (error ?? {}) as DriverError;
  return /CONNECTION_(CLOSED|REFUSED|FAILED|TIMEOUT)/.test(code) || /^(57P01|57P02|57P03|08\w{3})$/.test(String(errno));
}

/** A driver or server error as a StoreError naming the database (password masked); StoreErrors pass through. */
export function pgError(error: unknown, target: PostgresTarget, doing: string): AppError {
  if (error instanceof AppError) return error;
  const { code = "", errno = "" } = (error ?? {}) as DriverError;
  const state = String(errno);
  const at = `PostgreSQL at ${target.shown}`;
  const detail = describe(error).replace(target.url, target.shown);
  if (code.endsWith("CONNECTION_REFUSED"))
    return new StoreError("db_connect", `cannot connect to ${at}: connection refused. Is the server running and listening on that host and port?`, error);
  if (code.endsWith("CONNECTION_TIMEOUT"))
    return new StoreError("db_connect", `cannot connect to ${at}: no answer in time. Check the host, the port and any firewall`, error);
  if (state === "3D000")
    return new StoreError(
      "db_missing",
      `database '${target.database}' does not exist on ${at}; create it first (createdb ${target.database}, or CREATE DATABASE) or fix --db`,
      error,
    );
  if (state === "28P01" || state === "28000" || code.includes("AUTHENTICATION") || code.includes("SASL"))
    return new StoreError("db_auth", `${at} refused the login (${detail}); check the user name and password in --db`, error);
  if (state === "42501")
    return new StoreError(
      "db_permission",
      `${at}: permission denied while ${doing} (${detail}); the user needs CREATE and USAGE on schema '${target.schema}' and ownership of the connector's tables`,
      error,
    );
  if (isConnectionLoss(error)) {
    return new StoreError(
      "db_connection_lost",
      `the connection to ${at} was lost while ${doing} (${detail}): the server restarted or stopped. Nothing after the last checkpoint was kept; run the same command again to resume from it`,
      error,
    );
  }
  return new StoreError("db_error", `${at} failed while ${doing}: ${detail}`, error);
}
