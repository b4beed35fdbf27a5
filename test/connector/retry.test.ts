import { describe, expect, test } from "bun:test";
import { DEFAULT_RETRY, decideRetry, parseRetryAfter, retryDelay } from "../../src/connector/http/retry";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("retry policy", () => {
  test("Retry-After in seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  test("Retry-After as an HTTP-date, and a date in the past is 0", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });

  test("absent or garbage Retry-After is ignored", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  test("full jitter stays under an exponential, capped ceiling", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(policy, 1, undefined, () => 0.999)).toBe(99);
    expect(retryDelay(policy, 3, undefined, () => 0.999)).toBe(399);
    expect(retryDelay(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(retryDelay(policy, 3, undefined, () => 0)).toBe(0);
  });

  test("never retries before the server's Retry-After", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(policy, 1, 2000, () => 0.5)).toBe(2000);
  });

  test("stops at the attempt cap and when the wait would pass the time budget", () => {
    const policy = { ...DEFAULT_RETRY, maxAttempts: 3, maxElapsedMs: 10_000 };
    expect(decideRetry(policy, 2, 0, undefined, () => 0.5)).toMatchObject({ retry: true });
    expect(decideRetry(policy, 3, 0, undefined, () => 0.5)).toEqual({ retry: false, reason: "gave up after 3 attempts" });
    const late = decideRetry(policy, 1, 0, 3_600_000, () => 0.5);
    expect(late.retry).toBe(false);
    if (!late.retry) expect(late.reason).toContain("asked to wait 3600 s");
  });
});
