// A resumed run whose saved token the server no longer takes (expired, or the server restarted) goes on from the
// newest value it committed, instead of failing on every resume.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items, type Item } from "../helpers/dialects";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

/** Scroll tokens signed by this instance's secret: another instance's token gets 400. */
function tokenApi(data: Item[], secret: string, refuseAll = false) {
  const requests: URL[] = [];
  const fetch: FetchLike = async (request) => {
    const url = new URL(request.url);
    requests.push(url);
    const since = url.searchParams.get("since");
    const list = since ? data.filter((d) => d.modified >= since) : data;
    const cursor = url.searchParams.get("cursor");
    let start = 0;
    if (cursor) {
      const [signed, at] = atob(cursor).split(":");
      if (signed !== secret || refuseAll) return Response.json({ error: "invalid or expired cursor" }, { status: 400 });
      start = Number(at);
    }
    const next = start + 50 < list.length ? btoa(`${secret}:${start + 50}`) : null;
    return Response.json({ items: list.slice(start, start + 50), next_cursor: next });
  };
  return { fetch, requests };
}
const config = {
  base_url: "http://tokens.test/items",
  strategy: "keyset",
  page_size: 50,
  cursor_field: "modified",
  params: {},
  request: { since_param: "since", token_param: "cursor" },
  response: { records: "items", next_token: "next_cursor" },
};
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("a resumed run's saved token refused", () => {
  test("400 on the saved token: a warning, then on from the newest committed value; exact", async () => {
    const data = items(300, 3);
    const db = tempDb();
    const cut = await syncOnce(db, { ...config, max_pages: 2 }, tokenApi(data, "first").fetch);
    expect(cut.error?.message).toContain("max_pages");
    const restarted = tokenApi(data, "second");
    const run = await syncOnce(db, config, restarted.fetch);
    expect(run.error).toBeUndefined();
    expect(run.summary?.resumed).toBe(true);
    expect(run.logs.join("\n")).toContain("the interrupted run's saved token was refused");
    expect(ids(db)).toEqual(range(300));
    // From the value below the newest committed one (rows 1-100 read: 00:00:33 is the newest, 00:00:32 below it).
    expect(restarted.requests[1]?.searchParams.get("since")).toBe(data[98]?.modified ?? "");
    expect(run.summary?.inserted).toBe(200);
  });

  test("refused again after the restart: the error, once (no loop)", async () => {
    const data = items(300, 3);
    const db = tempDb();
    await syncOnce(db, { ...config, max_pages: 2 }, tokenApi(data, "first").fetch);
    const refusing = tokenApi(data, "second", true);
    const run = await syncOnce(db, config, refusing.fetch);
    expect(run.error?.message).toContain("HTTP 400 (invalid or expired cursor)");
    expect(refusing.requests.length).toBeLessThanOrEqual(3);
  });

  test("a token refused in a run that was not resumed is an error, not a restart", async () => {
    const run = await syncOnce(tempDb(), config, tokenApi(items(300, 3), "only", true).fetch);
    expect(run.error?.message).toContain("HTTP 400 (invalid or expired cursor)");
    expect(run.logs.join("\n")).not.toContain("was refused");
  });
});
