// The strategy's part of the configuration is a tagged union: a fixed strategy takes only the names it reads.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { validateConfig } from "../../src/config/load";
import { RequestSchema, ResponseSchema } from "../../src/config/schema";
import { SHARED_NAMES, STRATEGY_NAMES, STRATEGY_NAMES_READ } from "../../src/config/strategies";
import { namesFor, StrategyConfigSchema } from "../../src/config/strategy-config";
import { loadStreams } from "../../src/config/streams";
import { configMessageOf } from "../helpers/errors";

const dir = mkdtempSync(join(tmpdir(), "connector-strategy-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base_url = "http://127.0.0.1:5001/users";

const messageOf = configMessageOf;
const validate = (config: Record<string, unknown>) => validateConfig({ base_url, ...config }, {});
/** A value each name accepts: first_page takes 0 or 1, the rest a string. */
const sampleOf = (key: string) => (key === "first_page" ? 0 : `my_${key}`);
const blockOf = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, sampleOf(key)]));

describe("each strategy's names", () => {
  for (const strategy of STRATEGY_NAMES) {
    const reads = STRATEGY_NAMES_READ[strategy];
    test(`${strategy} takes its own and the shared names, and refuses every other`, () => {
      const request = blockOf([...SHARED_NAMES.request, ...reads.request]);
      const response = blockOf([...SHARED_NAMES.response, ...reads.response]);
      expect(validate({ strategy, request, response }).config.request).toMatchObject(request);
      const others = (block: "request" | "response", all: readonly string[]) =>
        all.filter((key) => !(SHARED_NAMES[block] as readonly string[]).includes(key) && !(reads[block] as readonly string[]).includes(key));
      const refused = [
        ...others("request", Object.keys(RequestSchema.entries)).map((key) => ["request", key] as const),
        ...others("response", Object.keys(ResponseSchema.entries)).map((key) => ["response", key] as const),
      ];
      expect(refused.length).toBeGreaterThan(0);
      for (const [block, key] of refused) {
        const message = messageOf(() => validate({ strategy, [block]: { [key]: sampleOf(key) } }));
        expect(message).toContain(`${block}.${key} is not read by strategy '${strategy}'`);
        const readers = STRATEGY_NAMES.filter((s) => (STRATEGY_NAMES_READ[s][block] as readonly string[]).includes(key));
        for (const reader of readers) expect(message).toContain(`'${reader}'`);
      }
    });
  }

  test("auto (the default) takes every name: detection picks the strategy later", () => {
    const request = blockOf(Object.keys(RequestSchema.entries));
    const response = blockOf(Object.keys(ResponseSchema.entries));
    expect(validate({ request, response }).config.strategy).toBe("auto");
    expect(v.safeParse(StrategyConfigSchema, { strategy: "auto", request, response }).success).toBe(true);
  });

  test("the union's variants: the keyset variant's output holds only keyset's names", () => {
    const parsed = v.parse(StrategyConfigSchema, { strategy: "keyset", request: { token_param: "cursor" } });
    expect(parsed.strategy).toBe("keyset");
    expect(Object.keys(parsed.request).sort()).toEqual([...SHARED_NAMES.request, ...STRATEGY_NAMES_READ.keyset.request].sort());
  });

  test("a misspelt name still gets its did-you-mean, before the strategy check", () => {
    expect(messageOf(() => validate({ strategy: "offset", request: { offset_parm: "skip" } }))).toContain("offset_param");
  });
});

describe("several streams", () => {
  const load = (file: unknown) => {
    const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(file));
    return loadStreams({ file: path, env: {}, cwd: dir });
  };

  test("the top-level names are defaults for streams of any strategy; a stream's own are checked against its own", () => {
    const defaults = { base_url: "http://127.0.0.1:5001", strategy: "offset", request: { offset_param: "skip" } };
    const streams = [
      { name: "users", path: "/users" },
      { name: "events", path: "/events", strategy: "keyset" },
    ];
    expect(load({ ...defaults, streams }).streams.map((s) => s.config.strategy)).toEqual(["offset", "keyset"]);
    const wrong = [...streams, { name: "orders", path: "/orders", strategy: "keyset", request: { offset_param: "skip" } }];
    expect(messageOf(() => load({ ...defaults, streams: wrong }))).toContain("streams[2].request.offset_param is not read by strategy 'keyset'");
    expect(messageOf(() => load({ ...defaults, strategy: "page_number", streams }))).toContain("request.offset_param is not read by strategy 'page_number'");
  });
});

describe("names written by a program (probe)", () => {
  test("keep what the strategy reads; a page-size name moves to the size key the strategy reads", () => {
    expect(namesFor("offset", "request", { per_page_param: "pageSize", page_param: "p", since_param: null })).toEqual({
      limit_param: "pageSize",
      since_param: null,
    });
    expect(namesFor("next_page_url", "response", { records: "items", next_url: "next", total_pages: "pages" })).toEqual({ records: "items", next_url: "next" });
    expect(namesFor("auto", "request", { page_param: "p" })).toEqual({ page_param: "p" });
  });
});
