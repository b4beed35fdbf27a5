// Pipelining and the time split: the next request leaves before the current page commits, and the summary says
// where the run's time went. Clocks here are fake, so every number is exact.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import { runSync } from "../../src/connector/driver";
import type { FetchLike } from "../../src/connector/http/client";
import { silentLogger } from "../../src/connector/log";
import { SqliteStore } from "../../src/store/sqlite-store";
import { tempDb } from "../helpers/sync";

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
const user = (id: number) => ({ id: `u${id}`, name: `n${id}`, updatedAt: `2024-01-0${id}T00:00:00Z` });

/** Three keyset pages (start → A → B → end); `onFetch` runs in the fetch's first continuation, not when it is called. */
function threePages(onFetch: () => void = () => {}) {
  let calls = 0;
  const fetch: FetchLike = async (request) => {
    calls++;
    await null;
    onFetch();
    const token = new URL(request.url).searchParams.get("scroll_param") ?? "start";
    const page = { start: [1, 2], A: [3, 4], B: [5] }[token] ?? [];
    return json({ data: page.map(user), scroll_param: { start: "A", A: "B" }[token] ?? null });
  };
  return { fetch, calls: () => calls };
}

describe("time split", () => {
  test("waiting, parsing and writing are timed apart with the injected timer", async () => {
    let clock = 0;
    const server = threePages(() => (clock += 5));
    const db = tempDb();
    const store = SqliteStore.open(db, { exclusive: true });
    const commitPage: SqliteStore["commitPage"] = (...args) => ((clock += 7), store.commitPage(...args));
    const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset" }, env: {}, cwd: tmpdir() });
    try {
      const summary = await runSync(config, { store: { readState: (s) => store.readState(s), saveState: (s, v) => store.saveState(s, v), close: () => {}, commitPage }, logger: silentLogger, fetch: server.fetch, sleep: async () => {}, now: () => 0, random: () => 0.5, timer: () => clock });
      expect(summary.timing).toEqual({ httpWaitMs: 15, parseMs: 0, writeMs: 21 });
    } finally {
      store.close();
    }
  });

  test("the client's JSON parse is counted as parsing, not as waiting", async () => {
    let clock = 0;
    const server = threePages(() => (clock += 5));
    const db = tempDb();
    const store = SqliteStore.open(db, { exclusive: true });
    const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset" }, env: {}, cwd: tmpdir() });
    // Every JSON.parse takes 2 ms of fake time: the client's parse of each body must land in parseMs.
    const parse = JSON.parse;
    JSON.parse = ((text: string) => ((clock += 2), parse(text))) as typeof JSON.parse;
    try {
      const summary = await runSync(config, { store, logger: silentLogger, fetch: server.fetch, sleep: async () => {}, now: () => 0, random: () => 0.5, timer: () => clock });
      expect(summary.timing).toEqual({ httpWaitMs: 15, parseMs: 6, writeMs: 0 });
    } finally {
      JSON.parse = parse;
      store.close();
    }
  });
});
