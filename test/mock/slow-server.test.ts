import { describe, expect, test } from "bun:test";
import { startMockServer, type MockOptions, type MockServer } from "../../src/mock/index";
import { ANCHOR } from "./helpers";

/** A real server on a free loopback port, stopped after `body` whatever happens. */
async function withServer(options: MockOptions, body: (server: MockServer) => Promise<void>): Promise<void> {
  const server = await startMockServer({ seed: 1, now: ANCHOR, records: 20, port: 0, ...options });
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/** Polls `done` every few ms, failing after about two seconds instead of hanging the test. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await Bun.sleep(5);
  expect(done()).toBe(true);
}

describe("--slow-rate on a real server", () => {
  test("a request held in its slow delay holds up no other request", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sleeps = 0;
    // The first delay lasts until released; the others pass at once.
    const sleep = () => (++sleeps === 1 ? gate : Promise.resolve());
    await withServer({ slowRate: 1, slowMs: 50, sleep }, async ({ url }) => {
      let firstDone = false;
      const first = fetch(`${url}/pagination/offset?limit=1`).then(async (res) => {
        firstDone = true;
        return [res.status, ((await res.json()) as { data: unknown[] }).data.length];
      });
      await until(() => sleeps === 1);
      const second = await fetch(`${url}/pagination/offset?limit=2`);
      expect(second.status).toBe(200);
      expect(((await second.json()) as { data: unknown[] }).data).toHaveLength(2);
      expect(firstDone).toBe(false);
      release();
      expect(await first).toEqual([200, 1]);
    }).finally(release);
  });

  test("a client that gives up during the delay breaks nothing; the server answers the next one", async () => {
    let entered = () => {};
    const inDelay = new Promise<void>((resolve) => (entered = resolve));
    const log: string[] = [];
    const sleep = async (ms: number) => {
      entered();
      await Bun.sleep(ms);
    };
    await withServer({ slowRate: 1, slowMs: 30, sleep, log: (line) => log.push(line) }, async ({ url }) => {
      const controller = new AbortController();
      const gaveUp = fetch(`${url}/pagination/offset`, { signal: controller.signal }).then(
        () => "answered",
        (error: Error) => error.name,
      );
      await inDelay;
      controller.abort();
      expect(await gaveUp).toBe("AbortError");
      // The abandoned request still runs to its end (its log line), and its answer goes nowhere.
      await until(() => log.length === 1);
      expect(log[0]).toContain("GET /pagination/offset 200");
      const next = await fetch(`${url}/pagination/offset?limit=4`);
      expect(next.status).toBe(200);
      expect(((await next.json()) as { data: unknown[] }).data).toHaveLength(4);
      const stats = (await (await fetch(`${url}/_mock/stats`)).json()) as { requests: number; faults: { slow: number } };
      expect([stats.requests, stats.faults.slow]).toEqual([2, 2]);
    });
  });

  test("with the real timer, a slow answer does not come before its delay", async () => {
    await withServer({ slowRate: 1, slowMs: 40 }, async ({ url }) => {
      const started = performance.now();
      const res = await fetch(`${url}/pagination/offset?limit=1`);
      await res.text();
      expect(res.status).toBe(200);
      // A lower bound only, with room for timer rounding (an undelayed answer takes about 1 ms); no upper bound.
      expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    });
  });
});
