// Secrets stay secret and credentials stay home, checked from the outside with the compiled binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { savedState, tableRows, tempDb } from "../helpers/sync";

const TOKEN = "s3cr3t-T0ken-4e1f9a";

/** Every byte the run left behind: stdout, stderr, and each file next to the database (db, -wal, -shm). */
function leaks(db: string, ...outputs: string[]): string[] {
  const found: string[] = [];
  outputs.forEach((text, i) => {
    if (text.includes(TOKEN)) found.push(`output ${i}`);
  });
  const base = db.split("/").at(-1) as string;
  for (const name of readdirSync(dirname(db))) if (name.startsWith(base) && readFileSync(join(dirname(db), name)).includes(TOKEN)) found.push(name);
  return found;
}

describe("secrets", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMockBinary(["--records", "300", "--seed", "3", "--require-auth", "bearer", "--auth-token", TOKEN]);
  }, 30_000);
  afterAll(() => mock.stop());

  test("a token from ${VAR} never reaches stdout, stderr, --log json, state, the database or its WAL", async () => {
    const db = tempDb();
    const config = join(dirname(db), "configuration.json");
    writeFileSync(
      config,
      JSON.stringify({
        base_url: `${mock.url}/pagination/offset`,
        page_size: 20,
        auth: { type: "bearer", token: "${API_TOKEN}" },
        headers: { "X-Api-Key": "${API_TOKEN}" },
      }),
    );
    const env = { API_TOKEN: TOKEN };
    // Killed after a commit, so the WAL is left on disk to be searched too.
    const killed = await runBinary(["sync", "--config", config, "--db", db, "--log", "json"], { env: { ...env, CONNECTOR_TEST_KILL_AT: "after-commit:4" } });
    expect(killed.signal).toBe("SIGKILL");
    expect(readdirSync(dirname(db)).some((f) => f.endsWith("-wal"))).toBe(true);
    expect(leaks(db, killed.stdout, killed.stderr)).toEqual([]);
    const text = await runBinary(["sync", "--config", config, "--db", db], { env });
    expect(text.code).toBe(0);
    const state = await runBinary(["state", "--db", db]);
    expect(leaks(db, text.stdout, text.stderr, state.stdout, state.stderr)).toEqual([]);
    expect(diff(db, await dataset((r) => fetch(r), mock.url, { Authorization: `Bearer ${TOKEN}` }))).toEqual(NO_DIFF);
  });

  test("errors that name the URL and the status do not carry the token either", async () => {
    const db = tempDb();
    const config = join(dirname(db), "configuration.json");
    writeFileSync(config, JSON.stringify({ base_url: `${mock.url}/pagination/nope?access_token=${TOKEN}`, auth: { type: "bearer", token: "${API_TOKEN}" } }));
    const run = await runBinary(["sync", "--config", config, "--db", db, "--log", "json"], { env: { API_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("HTTP 404");
    expect(run.stderr).toContain("access_token=***");
    expect(leaks(db, run.stdout, run.stderr)).toEqual([]);
    const wrong = await runBinary(["sync", "--base-url", `${mock.url}/pagination/offset`, "--db", tempDb()], { env: { API_TOKEN: TOKEN } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("HTTP 401");
  });
});

describe("credentials stay home", () => {
  let mock: RunningMock;
  const received: Headers[] = [];
  let recorder: ReturnType<typeof Bun.serve>;
  beforeAll(async () => {
    // A second loopback origin that records every request's headers and serves the mock's pages (a "CDN").
    recorder = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (request) => {
        received.push(request.headers);
        const url = new URL(request.url);
        return fetch(`${mock.url}${url.pathname}${url.search}`);
      },
    });
    mock = await startMockBinary(["--records", "90", "--seed", "4", "--public-url", `http://127.0.0.1:${recorder.port}`]);
  }, 30_000);
  afterAll(async () => {
    recorder.stop(true);
    await mock.stop();
  });

  const configFile = (db: string, extra: Record<string, unknown>) => {
    const path = join(dirname(db), "configuration.json");
    writeFileSync(
      path,
      JSON.stringify({
        base_url: `${mock.url}/pagination/next_page_url`,
        strategy: "next_page_url",
        page_size: 20,
        request: { since_param: null },
        auth: { type: "bearer", token: TOKEN },
        headers: { "X-Custom": "custom-value" },
        ...extra,
      }),
    );
    return path;
  };

  test("a next URL on another origin is refused before anything is sent there; the checkpoint stays", async () => {
    received.length = 0;
    const db = tempDb();
    const run = await runBinary(["sync", "--config", configFile(db, {}), "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`is not on ${mock.url}, the origin of base_url`);
    expect(received).toHaveLength(0);
    expect(tableRows(db).size).toBe(20);
    expect((savedState(db) as { run: unknown }).run).not.toBeNull();
  });

  test("with allow_origins the sync follows, but the other origin gets no credentials or custom headers", async () => {
    received.length = 0;
    const db = tempDb();
    const run = await runBinary(["sync", "--config", configFile(db, { allow_origins: [`http://127.0.0.1:${recorder.port}`] }), "--db", db]);
    expect(run.code).toBe(0);
    expect(received.length).toBeGreaterThan(0);
    for (const headers of received) {
      expect(headers.get("authorization")).toBeNull();
      expect(headers.get("x-custom")).toBeNull();
    }
    expect(diff(db, await dataset((r) => fetch(r), mock.url))).toEqual(NO_DIFF);
  });

  test("send_credentials_to_allowed_origins is the only way they get there", async () => {
    received.length = 0;
    const db = tempDb();
    const run = await runBinary([
      "sync",
      "--config",
      configFile(db, { allow_origins: [`http://127.0.0.1:${recorder.port}`], send_credentials_to_allowed_origins: true }),
      "--db",
      db,
    ]);
    expect(run.code).toBe(0);
    expect(received.every((h) => h.get("authorization") === `Bearer ${TOKEN}`)).toBe(true);
  });
});

describe("one writer", () => {
  test("a second sync on the same database is refused at once; the first finishes exactly", async () => {
    const mock = await startMockBinary(["--records", "200", "--seed", "6", "--latency-ms", "60"]);
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `${mock.url}/pagination/offset`, "--page-size", "10", "--db", db, "--quiet"];
      const first = runBinary(args);
      await Bun.sleep(600);
      const started = performance.now();
      const second = await runBinary(args);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("is in use by another sync");
      expect((await first).code).toBe(0);
      expect(diff(db, await dataset((r) => fetch(r), mock.url))).toEqual(NO_DIFF);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("a --db nobody can write to is a clear usage error", async () => {
    const run = await runBinary(["sync", "--mock", "--db", "/proc/connector-test.db"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not writable");
  });
});
