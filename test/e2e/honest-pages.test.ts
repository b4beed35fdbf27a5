// Issue 14 §1-§2 through the compiled binary: a second source into one table, and a server that caps its pages.
import { describe, expect, test } from "bun:test";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { runBinary } from "../../testkit/processes";
import { savedState, tableRows, tempDb } from "../helpers/sync";

describe("the compiled binary", () => {
  test("sync --mock, then another source into the same db: exit 2 before any request; --table syncs it on its own", async () => {
    const db = tempDb();
    const first = await runBinary(["sync", "--mock", "--db", db, "--quiet"]);
    expect(first.code).toBe(0);
    expect(savedState(db)?.source).toBe("the embedded mock (seed 1, 200 records) with order_by=updatedAt&order_type=asc (cursor updatedAt, key id)");
    const api = lenientApi(items(120), { style: "offset", sizeParam: "limit", sinceParam: "updated_since" });
    const server = api.serve();
    try {
      const args = ["sync", "--base-url", `${server.url}/items`, "--strategy", "offset", "--cursor-field", "modified", "--db", db, "--log", "json"];
      const refused = await runBinary(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("it was synced from the embedded mock (seed 1, 200 records)");
      expect(refused.stderr).toContain(`this sync reads ${server.url}/items?order_by=updatedAt&order_type=asc (cursor modified, key id)`);
      // On a terminal the ways out are lines of their own, not escaped "\n"s.
      const text = await runBinary(args.filter((a) => a !== "--log" && a !== "json"));
      expect(text.code).toBe(2);
      expect(text.stderr).toContain("\n  Nothing was requested. Choose one:\n");
      expect(text.stderr).not.toContain("\\n");
      expect(api.requests).toHaveLength(0);
      expect(tableRows(db).size).toBe(200);
      const own = await runBinary([...args, "--table", "items"]);
      expect(own.code).toBe(0);
      expect(tableRows(db, "items").size).toBe(120);
    } finally {
      server.stop();
    }
  });

  test("page_number with page_size 200 against a server capped at 100: the first run and the next are exact", async () => {
    const data = items(2000, 130);
    const api = lenientApi(data, { style: "page", maxPageSize: 100 });
    const server = api.serve();
    try {
      const db = tempDb();
      const args = [
        "sync",
        "--base-url",
        `${server.url}/items`,
        "--strategy",
        "page_number",
        "--page-size",
        "200",
        "--cursor-field",
        "modified",
        "--db",
        db,
        "--log",
        "json",
      ];
      const file = `${db}.json`;
      await Bun.write(file, JSON.stringify({ params: {}, request: { since_param: "since" } }));
      const first = await runBinary([...args, "--config", file]);
      expect(first.code).toBe(0);
      expect(tableRows(db).size).toBe(2000);
      expect(first.stderr.split("\n").filter((line) => line.includes("returned 100 rows where 200 were asked"))).toHaveLength(1);
      data.push({ id: 2001, title: "new", modified: "2025-05-01T00:00:00Z" });
      const again = await runBinary([...args, "--config", file]);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).inserted).toBe(1);
      expect(tableRows(db).size).toBe(2001);
    } finally {
      server.stop();
    }
  });
  test("an API whose cursor filter is exclusive (updated_since > value): said once, then exact", async () => {
    const api = lenientApi(items(500, 7), { style: "offset", sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true });
    const server = api.serve();
    try {
      const db = tempDb();
      const file = `${db}.json`;
      await Bun.write(file, JSON.stringify({ params: {}, request: { since_param: "updated_since" } }));
      const args = ["sync", "--base-url", `${server.url}/items`, "--strategy", "offset", "--cursor-field", "modified", "--db", db, "--config", file];
      const run = await runBinary([...args, "--page-size", "50"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain("'updated_since' filters by modified after the value, not at or after it");
      expect([...tableRows(db).keys()].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    } finally {
      server.stop();
    }
  });
});
