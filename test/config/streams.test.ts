import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load";
import { loadStreams } from "../../src/config/streams";
import { configMessageOf } from "../helpers/errors";

const dir = mkdtempSync(join(tmpdir(), "connector-streams-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(file: unknown, overrides: Record<string, unknown> = {}) {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(file));
  return loadStreams({ file: path, overrides, env: {}, cwd: dir });
}

const messageOf = configMessageOf;

const base = "http://127.0.0.1:5001";
const issueExample = {
  base_url: base,
  page_size: 50,
  streams: [
    { name: "users", path: "/pagination/keyset" },
    { name: "companies", path: "/api/companies", page_size: 20, strategy: "offset" },
    { name: "orders", path: "/api/orders", table: "all_orders" },
    { name: "user_orders", path: "/api/users/{users.id}/orders", parent: "users" },
  ],
};

describe("streams in configuration.json", () => {
  test("top-level keys are defaults, a stream overrides any, table defaults to the name, path joins base_url", () => {
    const { streams, multi } = load(issueExample);
    expect(multi).toBe(true);
    expect(streams.map((s) => [s.name, s.config.table, s.config.base_url, s.config.page_size, s.config.strategy])).toEqual([
      ["users", "users", `${base}/pagination/keyset`, 50, "auto"],
      ["companies", "companies", `${base}/api/companies`, 20, "offset"],
      ["orders", "all_orders", `${base}/api/orders`, 50, "auto"],
      ["user_orders", "user_orders", `${base}/api/users/{users.id}/orders`, 50, "auto"],
    ]);
    expect(streams.map((s) => [s.parent, s.parentFields])).toEqual([
      [null, []],
      [null, []],
      [null, []],
      ["users", ["id"]],
    ]);
  });

  test("the parent can be left out when the placeholder names it; flags override every stream", () => {
    const { streams } = load(
      {
        base_url: `${base}/v1/`,
        streams: [
          { name: "users", path: "users" },
          { name: "orders", path: "/users/{users.id}/orders", page_size: 5 },
        ],
      },
      { page_size: 7 },
    );
    expect(streams[0]?.config.base_url).toBe(`${base}/v1/users`);
    expect(streams[1]?.parent).toBe("users");
    expect(streams.map((s) => s.config.page_size)).toEqual([7, 7]);
  });

  test("a configuration without streams is one stream, exactly as loadConfig reads it", () => {
    const file = { base_url: `${base}/pagination/offset`, page_size: 10 };
    const { streams, multi } = load(file);
    expect(multi).toBe(false);
    expect(streams).toHaveLength(1);
    const path = join(dir, "single.json");
    writeFileSync(path, JSON.stringify(file));
    expect(streams[0]?.config).toEqual(loadConfig({ file: path, env: {}, cwd: dir }).config);
    expect(streams[0]?.name).toBe("user");
  });

  test("errors name the stream's key by its place in the file", () => {
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "a", path: "/a" },
            { name: "b", path: "/b" },
            { name: "c", path: "/c", page_size: 0 },
          ],
        }),
      ),
    ).toContain("streams[2].page_size must be at least 1");
    expect(messageOf(() => load({ base_url: base, page_size: 0, streams: [{ name: "a", path: "/a" }] }))).toMatch(/: page_size must be at least 1/);
    expect(messageOf(() => load({ base_url: base, streams: [{ name: "a", path: "/a", pagesize: 3 }] }))).toContain(
      "unknown key 'streams[0].pagesize' (did you mean 'streams[0].page_size'?)",
    );
    expect(messageOf(() => load({ base_url: base, streams: [{ path: "/a" }] }))).toContain("streams[0].name must be a SQL identifier");
    expect(messageOf(() => load({ base_url: base, streams: [] }))).toContain("streams must be a non-empty list");
  });

  test("a stream's own base_url must be on the sync's origin", () => {
    const { streams } = load({ base_url: base, streams: [{ name: "a", base_url: `${base}/other`, path: "/x" }] });
    expect(streams[0]?.config.base_url).toBe(`${base}/other/x`);
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "a", path: "/a" },
            { name: "b", base_url: "http://evil.test/b" },
          ],
        }),
      ),
    ).toContain("streams[1] ('b').base_url is on http://evil.test, not on the sync's origin http://127.0.0.1:5001");
  });

  test("duplicate names and tables are refused; a parent must come first and be named consistently", () => {
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "a", path: "/a" },
            { name: "a", path: "/b" },
          ],
        }),
      ),
    ).toContain("streams[1].name 'a' is also streams[0].name");
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "a", path: "/a" },
            { name: "b", path: "/b", table: "A" },
          ],
        }),
      ),
    ).toContain("writes table 'A', as streams[0] does");
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "c", path: "/u/{u.id}/c" },
            { name: "u", path: "/u" },
          ],
        }),
      ),
    ).toContain("parent 'u' is not a stream declared before it");
    expect(
      messageOf(() =>
        load({
          base_url: base,
          streams: [
            { name: "u", path: "/u" },
            { name: "c", path: "/c", parent: "u" },
          ],
        }),
      ),
    ).toContain("no {u.field} placeholder");
    expect(messageOf(() => load({ base_url: base, streams: [{ name: "a", path: "/a" }] }, { table: "x" }))).toContain("--table cannot be used");
  });
});
