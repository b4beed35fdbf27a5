// This session's never-silent fixes through the compiled binary, against servers on a loopback port that behave as
// real ones do: a plain list that ignores the since filter and caps its pages, timestamps written in several
// offsets, and a cursor that is a number.
import { describe, expect, test } from "bun:test";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { runBinary } from "../../testkit/processes";
import { tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("the compiled binary against real-world dialects", () => {
  test("a plain offset list that ignores updated_since and caps pages at 25: exact with one warning, and again after a change", async () => {
    const data = items(400, 3);
    const server = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: null, maxPageSize: 25 }).serve();
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `${server.url}/items`, "--strategy", "offset", "--page-size", "100", "--cursor-field", "modified", "--db", db];
      const first = await runBinary(args);
      expect(first.code).toBe(0);
      expect(ids(db)).toEqual(range(400));
      expect(first.stderr.split("\n").filter((line) => line.includes("the API does not filter by 'updated_since'"))).toHaveLength(1);
      data[9] = { ...(data[9] as (typeof data)[number]), title: "changed" };
      data.push({ id: 401, title: "new", modified: "2025-06-01T00:00:00Z" });
      const again = await runBinary([...args, "--log", "json"]);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 1, updated: 1 });
      expect(tableRows(db).get("10")?.title).toBe("changed");
    } finally {
      server.stop();
    }
  });

  test("one instant written in several offsets, filtered and sorted by instant: exact", async () => {
    const offsets = ["Z", "+02:00", "-05:00", "+05:30"];
    const data = items(300, 4).map((item, i) => {
      const offset = offsets[i % offsets.length] as string;
      if (offset === "Z") return item;
      const minutes = (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
      return { ...item, modified: new Date(Date.parse(item.modified) + minutes * 60_000).toISOString().replace(".000Z", offset) };
    });
    const server = lenientApi(data, { style: "offset", sizeParam: "limit", sinceParam: "updated_since", byInstant: true }).serve();
    try {
      const db = tempDb();
      const run = await runBinary([
        "sync",
        "--base-url",
        `${server.url}/items`,
        "--strategy",
        "offset",
        "--page-size",
        "30",
        "--cursor-field",
        "modified",
        "--db",
        db,
      ]);
      expect(run.stderr).not.toContain("out of order");
      expect(run.code).toBe(0);
      expect(ids(db)).toEqual(range(300));
    } finally {
      server.stop();
    }
  });

  test("a numeric cursor with --initial-cursor 0 against an API that refuses a timestamp in its filter: exact", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ id: i + 1, version: 10 + Math.floor(i / 3) }));
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(request) {
        const q = new URL(request.url).searchParams;
        const since = Number(q.get("updated_since") ?? "0");
        if (Number.isNaN(since)) return Response.json({ error: "updated_since must be a number" }, { status: 400 });
        const list = rows.filter((r) => r.version > since); // exclusive, as GitHub's ?since=<id>
        const start = Number(q.get("offset") ?? "0");
        return Response.json({ data: list.slice(start, start + 20), total: list.length });
      },
    });
    try {
      const db = tempDb();
      const args = ["sync", "--base-url", `http://127.0.0.1:${server.port}/items`, "--strategy", "offset", "--cursor-field", "version", "--db", db];
      const refused = await runBinary(args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("updated_since must be a number");
      const run = await runBinary([...args, "--initial-cursor", "0"]);
      expect(run.code).toBe(0);
      expect(ids(db)).toEqual(range(120));
    } finally {
      server.stop(true);
    }
  });
});
