// `connector probe` asks for the sort and the since filter after its first page (probe-discover.ts), and keeps a
// candidate only when the answer proves it. Measured first against the real servers: DRF 3.14 (ordering,
// updated_at__gte) and json-server 0.17 (_sort/_order, updatedAt_gte) were found and synced exactly.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../../src/cli/args";
import { memoryIo } from "../../src/cli/io";
import { probeCommand, runProbe } from "../../src/cli/probe";
import type { FetchLike } from "../../src/connector/http/client";
import { type Item, items } from "../helpers/dialects";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const dir = mkdtempSync(join(tmpdir(), "connector-discover-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A framework-like list: `sortParam` sorts by `modified`, `filter` keeps `modified >= value`, other params per `unknown`. */
function frameworkApi(data: Item[], o: { sort: (q: URLSearchParams) => boolean; filter: string | null; unknown: "ignored" | "equality" }): FetchLike {
  return async (request) => {
    const q = new URL(request.url).searchParams;
    let list = [...data].sort((a, b) => ((a.id * 37) % 101) - ((b.id * 37) % 101)); // by a key, not by modified
    for (const [name, value] of q) {
      if (name === o.filter) list = list.filter((d) => Date.parse(d.modified) >= Date.parse(value));
      else if (o.unknown === "equality" && !name.startsWith("_") && !["page", "per_page", "ordering"].includes(name))
        list = list.filter((d) => String(d[name]) === value);
    }
    if (o.sort(q)) list.sort((a, b) => a.modified.localeCompare(b.modified) || a.id - b.id);
    const page = Number(q.get("page") ?? "1");
    const next =
      page * 20 < list.length ? `${new URL(request.url).origin}/items?${new URLSearchParams({ ...Object.fromEntries(q), page: String(page + 1) })}` : null;
    return Response.json({ count: list.length, next, results: list.slice((page - 1) * 20, page * 20) });
  };
}

async function probeWrite(url: string, fetch: FetchLike, file: string): Promise<{ config: Record<string, unknown>; out: string }> {
  const io = memoryIo({ cwd: dir });
  const code = await runProbe(parseArgs([url, "--write", file, "--force"], probeCommand.flags, "probe"), io, {
    fetch,
    sleep: async () => {},
    now: () => 0,
    random: () => 0.5,
  });
  expect(code).toBe(0);
  return { config: JSON.parse(readFileSync(join(dir, file), "utf8")), out: io.out.join("") };
}

describe("probe finds the sort and the since filter", () => {
  test("DRF-like (ordering=, modified__gte): written, and the next sync reads only what changed", async () => {
    const data = items(100, 2);
    const fetch = frameworkApi(data, { sort: (q) => q.get("ordering") === "modified", filter: "modified__gte", unknown: "ignored" });
    const { config, out } = await probeWrite("http://drf.test/items", fetch, "drf.json");
    expect(config).toMatchObject({ params: { ordering: "modified" }, request: { since_param: "modified__gte" } });
    expect(out).toContain("request.since_param 'modified__gte' filters modified at or after a value, and ordering=modified sorts by it");
    const db = tempDb();
    expect((await syncOnce(db, config, fetch)).error).toBeUndefined();
    expect(tableRows(db).size).toBe(100);
    data.push({ id: 101, title: "new", modified: "2025-06-01T00:00:00Z" });
    const again = await syncOnce(db, config, fetch);
    expect(again.error).toBeUndefined();
    expect(again.summary).toMatchObject({ inserted: 1, requests: 1 });
  });

  test("json-server-1-like (unknown parameters are equality filters): the equality candidates are refused, ':gte' is kept", async () => {
    const fetch = frameworkApi(items(100, 2), { sort: (q) => q.get("_sort") === "modified", filter: "modified:gte", unknown: "equality" });
    const { config } = await probeWrite("http://js.test/items", fetch, "js1.json");
    expect(config).toMatchObject({ params: { _sort: "modified", _order: "asc" }, request: { since_param: "modified:gte" } });
    const db = tempDb();
    expect((await syncOnce(db, config, fetch)).error).toBeUndefined();
    expect(tableRows(db).size).toBe(100);
  });

  test("an API with neither: since_param stays null, and the hint says what was tried", async () => {
    const fetch = frameworkApi(items(100, 2), { sort: () => false, filter: null, unknown: "ignored" });
    const { config, out } = await probeWrite("http://plain.test/items", fetch, "plain.json");
    expect(config).toMatchObject({ request: { since_param: null } });
    expect(config.params).toEqual({});
    expect(out).toContain("no sort and filter by modified found among the common names");
  });
});
