// Runs several streams (connector/streams.ts) against the in-process mock into a real SQLite file, and compares
// each stream's table with the mock's oracle for its resource.
import { Database } from "bun:sqlite";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStreams } from "../../src/config/streams";
import type { SyncDeps } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { createLogger } from "../../src/connector/log";
import { runStreams, selectStreams, type StreamResult } from "../../src/connector/streams";
import { openStore } from "../../src/store/open";
import { tempFolder } from "../../testkit/temp";

/** The example over the in-process mock: users, companies, orders and each user's orders. */
export function fourStreams(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    base_url: "http://mock.test",
    page_size: 20,
    params: {},
    streams: [
      { name: "users", path: "/pagination/keyset" },
      { name: "companies", path: "/api/companies", strategy: "offset" }, // {data, total} could be offset or page_number
      { name: "orders", path: "/api/orders" },
      { name: "user_orders", path: "/api/users/{users.id}/orders", parent: "users" },
    ],
    ...extra,
  };
}

export interface StreamsRun {
  results: StreamResult[];
  logs: string[];
}

/** One multi-stream sync of `file` (a configuration object) into `db`. */
export async function syncStreams(
  db: string,
  file: Record<string, unknown>,
  fetch: FetchLike,
  options: { concurrency?: number; only?: string[]; fullRefresh?: boolean; deps?: Partial<SyncDeps>; depsOf?: (name: string, deps: SyncDeps) => SyncDeps } = {},
): Promise<StreamsRun> {
  const path = join(tempFolder("connector-streams-"), "configuration.json");
  writeFileSync(path, JSON.stringify(file));
  const { streams } = loadStreams({ file: path, env: {}, cwd: tmpdir() });
  const picked = selectStreams(streams, options.only);
  const logs: string[] = [];
  const store = await openStore(db, { mode: "writer", tables: picked.map((s) => s.config.table) });
  try {
    const deps: SyncDeps = {
      store,
      logger: createLogger("text", (line) => void logs.push(line)),
      fetch,
      sleep: async () => {},
      now: () => Date.now(),
      random: () => 0.5,
      ...options.deps,
    };
    const depsOf = options.depsOf && ((def: { name: string }, d: SyncDeps) => options.depsOf?.(def.name, d) ?? d);
    const results = await runStreams(picked, deps, { concurrency: options.concurrency ?? 1, fullRefresh: options.fullRefresh ?? false, depsOf });
    return { results, logs };
  } finally {
    await store.close();
  }
}

export type Resource = "users" | "companies" | "orders";

/** The oracle's rows of a resource, by id as text. */
export async function oracleRows(fetch: FetchLike, resource: Resource, origin = "http://mock.test"): Promise<Map<string, Record<string, unknown>>> {
  const response = await fetch(new Request(`${origin}/_mock/dataset?resource=${resource}`));
  if (response.status !== 200) throw new Error(`oracle answered ${response.status}`);
  const rows = (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Map(rows.map((row) => [String(row.id), row]));
}

/** A table's live rows by id as text, nested values parsed back from their JSON text, the connector's columns left out. */
export function storedRows(db: string, table: string): Map<string, Record<string, unknown>> {
  const sqlite = new Database(db, { readonly: true });
  try {
    if (!sqlite.query("SELECT 1 FROM sqlite_master WHERE name = ?").get(table)) return new Map();
    const rows = sqlite.query(`SELECT * FROM "${table}" WHERE _deleted = 0`).all() as Record<string, unknown>[];
    const parsed = rows.map(({ _synced_at, _deleted, ...row }) =>
      Object.fromEntries(Object.entries(row).map(([k, value]) => [k, typeof value === "string" && /^[[{]/.test(value) ? JSON.parse(value) : value])),
    );
    return new Map(parsed.map((row) => [String(row.id), row]));
  } finally {
    sqlite.close();
  }
}

/** What differs between a table and the oracle's rows (each oracle field compared; `extra` fields ignored). */
export function differences(stored: Map<string, Record<string, unknown>>, oracle: Map<string, Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [id, want] of oracle) {
    const got = stored.get(id);
    if (!got) problems.push(`missing ${id}`);
    else
      for (const [field, value] of Object.entries(want))
        if (!Bun.deepEquals(got[field], value)) problems.push(`${id}.${field}: ${JSON.stringify(got[field])} != ${JSON.stringify(value)}`);
  }
  for (const id of stored.keys()) if (!oracle.has(id)) problems.push(`extra ${id}`);
  return problems.slice(0, 5);
}
