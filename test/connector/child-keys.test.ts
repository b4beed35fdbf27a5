// Many-to-many children (a group's members, a user in several groups): keyed by the child's id alone, a member of
// two groups would be stored once, its other memberships lost with exit 0. `_parent_<field>` in the child's
// primary_key keeps one row per parent.
import { describe, expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { Database } from "bun:sqlite";
import { syncStreams } from "../helpers/streams";
import { tempDb } from "../helpers/sync";

const groups = items(5);
/** Every group has members 1-3 (in every group) and four of its own. */
const members = new Map(groups.map((g) => [g.id, [...items(3), ...items(4).map((m) => ({ ...m, id: g.id * 100 + m.id }))]]));
const api = lenientApi(groups, { style: "offset", sizeParam: "limit" });
const memberApis = new Map([...members].map(([id, list]) => [id, lenientApi(list, { style: "offset", sizeParam: "limit" })]));
const fetch: FetchLike = async (request) => {
  const match = /^\/groups\/(\d+)\/members$/.exec(new URL(request.url).pathname);
  if (!match) return api.fetch(request);
  return memberApis.get(Number(match[1]))?.fetch(request) ?? new Response("{}", { status: 404 });
};
/** The live rows of the members table, as (id, _parent_id). */
function memberships(db: string): { id: number; _parent_id: number }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.query("SELECT id, _parent_id FROM members WHERE _deleted = 0 ORDER BY id, _parent_id").all() as { id: number; _parent_id: number }[];
  } finally {
    sqlite.close();
  }
}

const file = (child: Record<string, unknown>) => ({
  base_url: "http://groups.test",
  strategy: "offset",
  page_size: 3,
  cursor_field: "modified",
  params: {},
  request: { since_param: "since" },
  streams: [
    { name: "groups", path: "/groups" },
    { name: "members", path: "/groups/{groups.id}/members", ...child },
  ],
});

describe("a child's primary key with its parent's field", () => {
  test("primary_key [id, _parent_id]: one row per membership, and again on the next sync", async () => {
    const db = tempDb();
    const run = await syncStreams(db, file({ primary_key: ["id", "_parent_id"] }), fetch);
    expect(run.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    const rows = memberships(db);
    expect(rows).toHaveLength(5 * 7);
    expect(rows.filter((r) => r.id === 1).map((r) => r._parent_id)).toEqual([1, 2, 3, 4, 5]);
    const again = await syncStreams(db, file({ primary_key: ["id", "_parent_id"] }), fetch);
    expect(again.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(memberships(db)).toEqual(rows);
  });

  test("primary_key of parent fields only, or of a field the rows do not carry, is refused naming the key", async () => {
    await expect(syncStreams(tempDb(), file({ primary_key: ["_parent_id"] }), fetch)).rejects.toThrow(
      "streams[1] ('members').primary_key needs a field of the child's own records besides _parent_id",
    );
    await expect(syncStreams(tempDb(), file({ primary_key: ["id", "_parent_name"] }), fetch)).rejects.toThrow(
      "streams[1] ('members').primary_key names '_parent_name', but the child's rows carry '_parent_id'",
    );
    const top = file({});
    top.streams[0] = { name: "groups", path: "/groups", primary_key: ["id", "_parent_id"] } as never;
    await expect(syncStreams(tempDb(), top, fetch)).rejects.toThrow("a parent's field, but the stream has no parent");
  });

  test("keyed by the child's id alone, a member of several groups is one row (the default, for one-to-many children)", async () => {
    const db = tempDb();
    const run = await syncStreams(db, file({}), fetch);
    expect(run.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(memberships(db).filter((r) => r.id === 1)).toHaveLength(1);
  });
});
