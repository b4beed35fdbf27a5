// `connector sync` with a configuration of several streams, in process over the embedded mock: a block per
// stream plus totals, --log json per-stream objects, --stream and --concurrency, exit codes, status per table.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";

const dir = mkdtempSync(join(tmpdir(), "connector-cli-streams-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

const streams = [
  { name: "users", path: "/pagination/keyset" },
  { name: "companies", path: "/api/companies", strategy: "offset" },
  { name: "orders", path: "/api/orders" },
  { name: "user_orders", path: "/api/users/{users.id}/orders", parent: "users" },
];
writeFileSync(join(dir, "streams.json"), JSON.stringify({ base_url: "http://127.0.0.1:9", params: {}, streams }));
const mock = ["--mock", "--mock-records", "80", "--mock-seed", "3", "--config", "streams.json", "--quiet"];

describe("sync of several streams on the command line", () => {
  test("a block per stream and the totals; a second sync reads only what is new", async () => {
    const db = join(dir, "text.db");
    const r = await run(["sync", ...mock, "--db", db, "--concurrency", "2"]);
    expect(r.code).toBe(0);
    expect(r.out.match(/^stream \w+ \(table \w+\): ok$/gm)).toEqual([
      "stream users (table users): ok",
      "stream companies (table companies): ok",
      "stream orders (table orders): ok",
      "stream user_orders (table user_orders): ok",
    ]);
    expect(r.out).toMatch(/^stream users \(table users\): ok\n {2}strategy +keyset/m);
    expect(r.out).toMatch(/^totals: 4 streams, 4 ok\n {2}requests +\d+\n {2}pages +\d+\n {2}rows inserted +[\d,]+$/m);
    const inserted = [...r.out.matchAll(/^ {2}rows inserted +([\d,]+)$/gm)].map((m) => Number(m[1]?.replace(",", "")));
    expect(inserted[4]).toBe(inserted.slice(0, 4).reduce((a, b) => a + b, 0));
    expect(inserted[0]).toBe(80);
    const again = await run(["sync", ...mock, "--db", db]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^totals: 4 streams, 4 ok\n(?:.*\n)*? {2}rows inserted +0$/m);
    const status = await run(["status", "--db", db, "--json"]);
    const tables = JSON.parse(status.out);
    expect(Object.keys(tables).sort()).toEqual(["companies", "orders", "user_orders", "users"]);
    const live = Object.values(tables).reduce((n: number, t) => n + (t as { rows: { live: number } }).rows.live, 0);
    const text = await run(["status", "--db", db]);
    expect(text.out).toMatch(/^user_orders\n {2}rows +[\d,]+ live/m);
    expect(text.out).toMatch(/^ {2}source +the embedded mock \(seed 3, 80 records\) \/api\/users\/\{users\.id\}\/orders \(cursor updatedAt, key id\)$/m);
    expect(text.out).toEndWith(`totals: 4 tables, ${live.toLocaleString("en-US")} live rows, 0 deleted\n`);
  });

  test("--log json: one object with a per-stream object each and the totals; --stream picks streams", async () => {
    const db = join(dir, "json.db");
    const r = await run(["sync", ...mock, "--db", db, "--log", "json", "--stream", "users", "--stream", "user_orders"]);
    expect(r.code).toBe(0);
    const outcome = JSON.parse(r.out);
    expect(outcome.status).toBe("ok");
    expect(outcome.streams.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ["users", "ok"],
      ["user_orders", "ok"],
    ]);
    expect(outcome.streams[0]).toMatchObject({ table: "users", strategy: "keyset", inserted: 80 });
    expect(outcome.totals.inserted).toBe(outcome.streams[0].inserted + outcome.streams[1].inserted);
  });

  test("an unknown --stream is exit 2 with the nearest name; --stream on a one-table configuration is exit 2", async () => {
    const db = join(dir, "usage.db");
    const r = await run(["sync", ...mock, "--db", db, "--stream", "compnies"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--stream 'compnies' is not a stream of this configuration (did you mean 'companies'?)");
    const single = await run(["sync", "--mock", "--db", db, "--stream", "users", "--quiet"]);
    expect(single.code).toBe(2);
    expect(single.err).toContain('--stream applies to a configuration with "streams"');
  });

  test("a failing stream: exit 1, its block says why, the other streams are synced", async () => {
    writeFileSync(
      join(dir, "broken.json"),
      JSON.stringify({ base_url: "http://127.0.0.1:9", params: {}, streams: [...streams.slice(0, 2), { name: "nothing", path: "/api/nothing" }] }),
    );
    const r = await run(["sync", "--mock", "--mock-records", "30", "--config", "broken.json", "--quiet", "--db", join(dir, "broken.db")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^stream nothing \(table nothing\): FAILED: .*404/m);
    expect(r.out).toContain("totals: 3 streams, 2 ok, 1 failed");
    expect(r.out).toMatch(/^stream companies \(table companies\): ok\n(?:.*\n)*? {2}rows inserted +3$/m);
  });
});
