// Several streams with the compiled binaries: serve-mock on loopback, sync SIGKILLed inside one stream (a top-level
// one under --concurrency 2, and a child part way through its parents), then resumed: every stream exact against
// its oracle (/_mock/dataset?resource=...), nested order items included.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { differences, oracleRows, storedRows } from "../helpers/streams";
import { integrityOk, savedState, tempDb } from "../helpers/sync";
import { SHOP_STREAMS } from "../../testkit/streams";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMockBinary(["--records", "300", "--seed", "19", "--max-page-size", "100"]);
});
afterAll(async () => {
  await mock.stop();
});

const oracle = (resource: "users" | "companies" | "orders") => oracleRows((request) => fetch(request), resource, mock.url);

/** A configuration of the four streams beside a fresh database; returns the database's path. */
function setUp(): { db: string; config: string } {
  const db = tempDb();
  const config = join(dirname(db), "configuration.json");
  const streams = SHOP_STREAMS;
  writeFileSync(config, JSON.stringify({ base_url: mock.url, page_size: 20, params: {}, checkpoint_rows: 1, streams }));
  return { db, config };
}

const sync = (paths: { db: string; config: string }, args: string[], env: Record<string, string> = {}) =>
  runBinary(["sync", "--config", paths.config, "--db", paths.db, "--log", "json", ...args], { env });

async function expectEveryStreamExact(db: string): Promise<void> {
  const orders = await oracle("orders");
  expect(differences(storedRows(db, "users"), await oracle("users"))).toEqual([]);
  expect(differences(storedRows(db, "companies"), await oracle("companies"))).toEqual([]);
  expect(differences(storedRows(db, "orders"), orders)).toEqual([]);
  expect([...orders.values()].some((o) => Array.isArray(o.items) && o.items.length > 0)).toBe(true); // nested values compared too
  const withParent = new Map([...orders].map(([id, o]) => [id, { ...o, _parent_id: o.userId }]));
  expect(differences(storedRows(db, "user_orders"), withParent)).toEqual([]);
  expect(integrityOk(db)).toBe(true);
}

describe("several streams: SIGKILL, then resume", () => {
  test("killed mid-transaction of the orders' third page under --concurrency 2: every stream exact after the resume", async () => {
    const paths = setUp();
    const killed = await sync(paths, ["--concurrency", "2"], { CONNECTOR_TEST_KILL_AT: "mid-transaction:3:orders" });
    expect(killed.signal).toBe("SIGKILL");
    expect((savedState(paths.db, "orders") as { run: { pages: number } }).run.pages).toBe(2);
    const resumed = await sync(paths, ["--concurrency", "2"]);
    expect(resumed.code).toBe(0);
    const outcome = JSON.parse(resumed.stdout);
    expect(outcome.streams.find((s: { name: string }) => s.name === "orders")).toMatchObject({ status: "ok", resumed: true });
    await expectEveryStreamExact(paths.db);
  }, 60_000);

  test("killed after the commit of the child's 40th parent: the resume reads the other parents' children once", async () => {
    const paths = setUp();
    const killed = await sync(paths, [], { CONNECTOR_TEST_KILL_AT: "after-commit:40:user_orders" });
    expect(killed.signal).toBe("SIGKILL");
    const pass = (savedState(paths.db, "user_orders") as { children: { pass: { done: number; total: number } } }).children.pass;
    expect(pass.total).toBe(300);
    expect(pass.done).toBe(40); // each parent here is one page, and every page its own checkpoint
    const status = await runBinary(["status", "--db", paths.db, "--table", "user_orders"]);
    expect(status.stdout).toMatch(new RegExp(`^  children +a pass stopped after ${pass.done} of 300 parents; the next sync resumes it$`, "m"));
    const resumed = await sync(paths, ["--stream", "user_orders"]);
    expect(resumed.code).toBe(0);
    const child = JSON.parse(resumed.stdout).streams[0];
    expect(child).toMatchObject({ name: "user_orders", status: "ok", resumed: true, requests: 300 - pass.done });
    expect(resumed.stderr).toContain(`resuming the children's pass after ${pass.done} of 300 users rows`);
    await expectEveryStreamExact(paths.db);
  }, 60_000);

  test("SIGKILLed at random moments, three times in a row (seeded), then finished: every stream exact", async () => {
    const paths = setUp();
    const { connectorBinary } = await import("../../testkit/binary");
    const bin = await connectorBinary();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let killedMidway = 0;
    for (let i = 0; i < 3; i++) {
      const proc = Bun.spawn([bin, "sync", "--config", paths.config, "--db", paths.db, "--concurrency", "2", "--quiet"], {
        stdout: "ignore",
        stderr: "ignore",
      });
      await Bun.sleep(40 + Math.floor(random() * 300));
      proc.kill("SIGKILL");
      await proc.exited;
      if (proc.signalCode === "SIGKILL") killedMidway++;
    }
    expect(killedMidway).toBeGreaterThan(0); // at least one kill landed while the sync ran
    const finished = await sync(paths, ["--concurrency", "2"]);
    expect(finished.code).toBe(0);
    await expectEveryStreamExact(paths.db);
  }, 60_000);
});
