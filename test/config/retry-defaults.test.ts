// Issue 17: one retry defaults object; the configuration's defaults and probe's policy are read from it.
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { DEFAULT_RETRY } from "../../src/connector/http/retry";
import { ConfigSchema } from "../../src/config/schema";

describe("retry defaults", () => {
  test("a configuration without a retry block gets DEFAULT_RETRY, in its own units", () => {
    const { retry } = v.parse(ConfigSchema, { base_url: "http://a.test" });
    expect(retry).toEqual({
      max_attempts: DEFAULT_RETRY.maxAttempts,
      max_elapsed_seconds: DEFAULT_RETRY.maxElapsedMs / 1000,
      timeout_seconds: DEFAULT_RETRY.timeoutMs / 1000,
      base_delay_ms: DEFAULT_RETRY.baseDelayMs,
      max_delay_ms: DEFAULT_RETRY.maxDelayMs,
    });
    // The documented values (README, config --help) are these.
    expect(retry).toEqual({ max_attempts: 100, max_elapsed_seconds: 300, timeout_seconds: 30, base_delay_ms: 500, max_delay_ms: 30_000 });
  });
});
