// Runs the real sync driver against any in-process fetch handler (the mock's app, or a small dialect server),
// into a real SQLite file, with recorded sleeps instead of waiting.
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load";
import { runSync, type SyncDeps, type SyncSummary } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { createLogger } from "../../src/connector/log";
import { runPriorityFirst } from "../../src/connector/priority";
import type { SourceOptions } from "../../src/connector/source";
import { openStore } from "../../src/store/open";
import type { Store } from "../../src/store/types";

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), "connector-test-")), "test.db");
}

export interface SyncRun {
  summary?: SyncSummary;
  error?: Error & { exitCode?: number; code?: string };
  logs: string[];
  sleeps: number[];
}

/** One sync (a priority-first one when the config says so); `now` is the clock of the run (default: the real one). */
export async function syncOnce(db: string, config: Record<string, unknown>, fetch: FetchLike, options: { signal?: AbortSignal; env?: Record<string, string>; now?: () => number; fullRefresh?: boolean; source?: SourceOptions } = {}): Promise<SyncRun> {
  const { config: loaded } = loadConfig({ overrides: config, env: options.env ?? {}, cwd: tmpdir() });
  const logs: string[] = [];
  const sleeps: number[] = [];
  const store = await openStore(db, { mode: "writer", tables: [loaded.table] });
  try {
    const run = loaded.priority_first ? runPriorityFirst : (c: typeof loaded, d: SyncDeps) => runSync(c, d, { fullRefresh: options.fullRefresh });
    const summary = await run(loaded, {
      store,
      logger: createLogger("text", (line) => void logs.push(line)),
      fetch,
      sleep: async (ms) => void sleeps.push(ms),
      now: options.now ?? (() => Date.now()),
      random: () => 0.5,
      signal: options.signal,
      source: options.source,
    });
    return { summary, logs, sleeps };
  } catch (error) {
    return { error: error as SyncRun["error"], logs, sleeps };
  } finally {
    await store.close();
  }
}

/** A store that calls `over` where given and the store elsewhere (tests that watch or break one method). */
export function wrapStore(store: Store, over: Partial<Store>): Store {
  return new Proxy(store, {
    get: (target, name: keyof Store) => {
      if (Object.hasOwn(over, name)) return over[name];
      const value = target[name];
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Every live row of a synced table (not marked deleted), keyed by id, without the connector's own columns. */
export function tableRows(db: string, table = "user"): Map<string, Record<string, unknown>> {
  const sqlite = new Database(db);
  try {
    const exists = sqlite.query("SELECT 1 FROM sqlite_master WHERE name = ?").get(table);
    if (!exists) return new Map();
    const rows = sqlite.query(`SELECT * FROM "${table}" WHERE _deleted = 0`).all() as Record<string, unknown>[];
    return new Map(rows.map(({ _synced_at, _deleted, ...row }) => [String(row.id), row]));
  } finally {
    sqlite.close();
  }
}

/** The ids a full refresh marked deleted (`_deleted = 1`). */
export function deletedIds(db: string, table = "user"): Set<string> {
  const sqlite = new Database(db);
  try {
    const rows = sqlite.query(`SELECT id FROM "${table}" WHERE _deleted = 1`).all() as { id: string }[];
    return new Set(rows.map((row) => row.id));
  } finally {
    sqlite.close();
  }
}

export function savedState(db: string, table = "user"): Record<string, unknown> | null {
  const sqlite = new Database(db);
  try {
    const row = sqlite.query("SELECT state FROM _connector_state WHERE stream = ?").get(table) as { state: string } | null;
    return row ? JSON.parse(row.state) : null;
  } finally {
    sqlite.close();
  }
}

export function integrityOk(db: string): boolean {
  const sqlite = new Database(db);
  try {
    return (sqlite.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check === "ok";
  } finally {
    sqlite.close();
  }
}
