// Pipelining and the time split: the next request leaves before the current page commits, and the summary says
// where the run's time went. Clocks here are fake, so every number is exact.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { loadConfig } from "../../src/config/load";
import { runSync } from "../../src/connector/driver";
import { createAuth } from "../../src/connector/http/auth";
import { HttpClient, type FetchLike } from "../../src/connector/http/client";
import { DEFAULT_RETRY } from "../../src/connector/http/retry";
import { silentLogger } from "../../src/connector/log";
import { Redactor } from "../../src/secrets";
import { openStore } from "../../src/store/open";
import type { Store } from "../../src/store/types";
import { tableRows, tempDb, wrapStore } from "../helpers/sync";

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

function client(fetch: FetchLike, auth = createAuth(null, fetch, new Redactor(), 1000)) {
  const deps = { fetch, sleep: async () => {}, now: () => 0, random: () => 0.5 };
  return new HttpClient({ ...DEFAULT_RETRY, timeoutMs: 5000 }, deps, { headers: {}, auth, redact: (s) => s, maxBodyBytes: 1 << 20 });
}

describe("pipelining", () => {
  test("getJson hands the request to fetch before it returns, with no auth or a static credential", () => {
    for (const auth of [null, { type: "bearer", token: "t0ken" } as const]) {
      let calls = 0;
      const fetch: FetchLike = async (request) => (calls++, json({ auth: request.headers.get("authorization") }));
      const pending = client(fetch, createAuth(auth, fetch, new Redactor(), 1000)).getJson("http://api.test/a");
      expect(calls).toBe(1);
      void pending;
    }
  });

  test("a session token, once logged in, is set without waiting", async () => {
    let calls = 0;
    const fetch: FetchLike = async (request) => {
      calls++;
      return request.method === "POST" ? json({ token: "s3ssion" }) : json({ auth: request.headers.get("authorization") });
    };
    const auth = createAuth(
      {
        type: "session_token",
        login_url: "http://api.test/login",
        username: "u",
        password: "p",
        token_field: "token",
        header: "Authorization",
        prefix: "Token",
      },
      fetch,
      new Redactor(),
      1000,
    );
    const http = client(fetch, auth);
    expect((await http.getJson("http://api.test/a")).body).toEqual({ auth: "Token s3ssion" });
    expect(calls).toBe(2);
    const second = http.getJson("http://api.test/b");
    expect(calls).toBe(3);
    expect((await second).body).toEqual({ auth: "Token s3ssion" });
  });

  test("the next page's request is sent before the current page is written; the last page sends none", async () => {
    const server = threePages();
    const db = tempDb();
    const store = await openStore(db, { mode: "writer" });
    const seenAtWrite: number[] = [];
    const writePage: Store["writePage"] = (page) => (seenAtWrite.push(server.calls()), store.writePage(page));
    const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset" }, env: {}, cwd: tmpdir() });
    try {
      const summary = await runSync(config, {
        store: wrapStore(store, { writePage }),
        logger: silentLogger,
        fetch: server.fetch,
        sleep: async () => {},
        now: () => 0,
        random: () => 0.5,
      });
      expect(summary.inserted).toBe(5);
    } finally {
      await store.close();
    }
    expect(seenAtWrite).toEqual([2, 3, 3]);
    expect(tableRows(db).size).toBe(5);
  });
});

describe("time split", () => {
  test("waiting, parsing and writing are timed apart with the injected timer", async () => {
    let clock = 0;
    const server = threePages(() => (clock += 5));
    const db = tempDb();
    const store = await openStore(db, { mode: "writer" });
    const writePage: Store["writePage"] = (page) => ((clock += 7), store.writePage(page));
    const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset" }, env: {}, cwd: tmpdir() });
    try {
      const summary = await runSync(config, {
        store: wrapStore(store, { writePage }),
        logger: silentLogger,
        fetch: server.fetch,
        sleep: async () => {},
        now: () => 0,
        random: () => 0.5,
        timer: () => clock,
      });
      expect(summary.timing).toEqual({ httpWaitMs: 15, parseMs: 0, writeMs: 21 });
    } finally {
      await store.close();
    }
  });

  test("the client's JSON parse is counted as parsing, not as waiting", async () => {
    let clock = 0;
    const server = threePages(() => (clock += 5));
    const db = tempDb();
    const store = await openStore(db, { mode: "writer" });
    const { config } = loadConfig({ overrides: { base_url: "http://api.test/items", strategy: "keyset" }, env: {}, cwd: tmpdir() });
    // Every JSON.parse takes 2 ms of fake time: the client's parse of each body must land in parseMs.
    const parse = JSON.parse;
    JSON.parse = ((text: string) => ((clock += 2), parse(text))) as typeof JSON.parse;
    try {
      const summary = await runSync(config, {
        store,
        logger: silentLogger,
        fetch: server.fetch,
        sleep: async () => {},
        now: () => 0,
        random: () => 0.5,
        timer: () => clock,
      });
      expect(summary.timing).toEqual({ httpWaitMs: 15, parseMs: 6, writeMs: 0 });
    } finally {
      JSON.parse = parse;
      await store.close();
    }
  });
});
