// Runs the real sync driver against any in-process fetch handler (the mock's app, or a small dialect server),
// into a real SQLite file, with recorded sleeps instead of waiting.
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
// The database readers are shared with scripts/torture, so they live in testkit/ (which imports nothing from test/).
export { deletedIds, integrityOk, savedState, tableRows } from "../../testkit/db";
import { tempFolder } from "../../testkit/temp";

/** A database path in a folder of its own, removed when the test process exits. */
export function tempDb(): string {
  return join(tempFolder("connector-test-"), "test.db");
}

export interface SyncRun {
  summary?: SyncSummary;
  error?: Error & { exitCode?: number; code?: string };
  logs: string[];
  sleeps: number[];
}

/** One sync (a priority-first one when the config says so); `now` is the clock of the run (default: the real one). */
export async function syncOnce(
  db: string,
  config: Record<string, unknown>,
  fetch: FetchLike,
  options: {
    signal?: AbortSignal;
    env?: Record<string, string>;
    now?: () => number;
    fullRefresh?: boolean;
    source?: SourceOptions;
    /** Called with the opened store before the run (a test that limits or breaks it). */
    prepare?: (store: Store) => void;
  } = {},
): Promise<SyncRun> {
  const { config: loaded } = loadConfig({ overrides: config, env: options.env ?? {}, cwd: tmpdir() });
  const logs: string[] = [];
  const sleeps: number[] = [];
  const store = await openStore(db, { mode: "writer", tables: [loaded.table] });
  try {
    options.prepare?.(store);
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
