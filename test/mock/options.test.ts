import { describe, expect, test } from "bun:test";
import { createMockApp } from "../../src/mock/index";
import { ConfigError } from "../../src/errors";
import { parseLatency, resolveOptions } from "../../src/mock/options";

describe("resolveOptions", () => {
  test("applies the documented defaults", () => {
    const s = resolveOptions({ clock: () => Date.parse("2024-06-01T12:34:56Z") });
    expect(s).toMatchObject({
      records: 200,
      spanSeconds: 30 * 86400,
      sameSecond: 1,
      maxPageSize: 50,
      mutatePerSec: 0,
      deleteShare: 0,
      failRate: 0,
      latencyMs: undefined,
      truncateRate: 0,
      malformedRate: 0,
      rateLimit: undefined,
      requireAuth: undefined,
      throttleRate: 0,
      slowRate: 0,
      slowMs: [3000, 3000],
      sessionTtlSeconds: 300,
      publicUrl: undefined,
      logFormat: "text",
    });
    expect(s.anchor).toBe(Date.parse("2024-06-01T12:00:00Z") / 1000);
    expect(s.seed).toBeWithin(0, 2 ** 32);
  });

  test("every bad value is a ConfigError naming the option and what is allowed", () => {
    const cases: [Parameters<typeof resolveOptions>[0], string][] = [
      [{ records: -1 }, "records must be a whole number from 0 to 10000000"],
      [{ records: 1.5 }, "records must be a whole number"],
      [{ seed: 2 ** 32 }, "seed must be a whole number from 0 to 4294967295"],
      [{ now: "2024-06-01" }, "now must be a UTC time as YYYY-MM-DDTHH:MM:SSZ"],
      [{ spanDays: -1 }, "spanDays must be a number from 0"],
      [{ sameSecond: 0 }, "sameSecond must be a whole number from 1"],
      [{ maxPageSize: 0 }, "maxPageSize must be a whole number from 1"],
      [{ failRate: 1.1 }, "failRate must be a number from 0 to 1"],
      [{ deleteShare: -0.1 }, "deleteShare must be a number from 0 to 1"],
      [{ truncateRate: Number.NaN }, "truncateRate must be a number from 0 to 1"],
      [{ malformedRate: 2 }, "malformedRate must be a number from 0 to 1"],
      [{ latencyMs: [300, 100] }, "latencyMs must be N or A-B with A <= B"],
      [{ latencyMs: 10 ** 6 }, "latencyMs must be a whole number from 0 to 120000"],
      [{ throttleRate: 1.5 }, "throttleRate must be a number from 0 to 1"],
      [{ slowRate: -0.1 }, "slowRate must be a number from 0 to 1"],
      [{ slowMs: [50, 10] }, "slowMs must be N or A-B with A <= B"],
      [{ slowMs: 120_001 }, "slowMs must be a whole number from 0 to 120000"],
      [{ slowMs: 1.5 }, "slowMs must be a whole number"],
      [{ rateLimit: { capacity: 0, refillPerSec: 1 } }, "capacity must be a whole number from 1"],
      [{ rateLimit: { capacity: 1, refillPerSec: 0 } }, "refillPerSec must be a number from 0.0001"],
      [{ requireAuth: "oauth" as never }, "requireAuth must be one of bearer, basic, api_key, session_token"],
      [{ auth: { user: "a:b" } }, "user must be non-empty printable ASCII without ':'"],
      [{ auth: { token: "has space" } }, "token must be non-empty printable ASCII"],
      [{ sessionTtlSeconds: 0 }, "sessionTtlSeconds must be a whole number from 1"],
      [{ publicUrl: "ftp://x" }, "publicUrl must be an http(s) URL"],
      [{ publicUrl: "https://x/?a=1" }, "publicUrl must be an http(s) URL"],
    ];
    for (const [options, message] of cases) {
      expect(() => resolveOptions(options)).toThrow(ConfigError);
      expect(() => resolveOptions(options)).toThrow(message);
    }
  });

  test("a namer puts the user's words (CLI flags) into messages", () => {
    expect(() => resolveOptions({ spanDays: -2 }, (key) => `--${key}`)).toThrow("--spanDays must be");
  });

  test("parseLatency reads N and A-B", () => {
    expect(parseLatency("250")).toBe(250);
    expect(parseLatency("100-300")).toEqual([100, 300]);
    for (const bad of ["", "-5", "1-", "a", "1.5", "1-2-3"]) expect(parseLatency(bad)).toBeUndefined();
  });

  test("createMockApp exposes the seed it used and refuses bad options before building anything", () => {
    const mock = createMockApp({ seed: 0, records: 3, now: "2024-01-01T00:00:00Z" });
    try {
      expect(mock.seed).toBe(0);
      expect(mock.size()).toBe(3);
    } finally {
      mock.close();
    }
    expect(() => createMockApp({ records: -5 })).toThrow("records must be");
  });
});
