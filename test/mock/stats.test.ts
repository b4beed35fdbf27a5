import { describe, expect, test } from "bun:test";
import type { MockApp } from "../../src/mock/index";
import { MockStats } from "../../src/mock/stats";
import { get, mockApp } from "./helpers";

const ZERO_FAULTS = { fail_500: 0, fail_502: 0, fail_503: 0, throttled_429: 0, rate_limited_429: 0, truncated: 0, malformed: 0, slow: 0 };

async function stats(mock: MockApp) {
  const { status, body } = await get(mock, "/_mock/stats", { headers: { authorization: `Bearer ${mock.credentials.token}` } });
  expect(status).toBe(200);
  return body;
}

describe("GET /_mock/stats", () => {
  test("has exactly these fields, all zero on a fresh mock", async () => {
    expect(await stats(mockApp())).toEqual({
      requests: 0,
      faults: ZERO_FAULTS,
      retry_after_sent: 0,
      early_retries: 0,
      max_requests_per_target: 0,
      targets_tracked: 0,
    });
  });

  test("counts every other request, whatever its answer, never /_mock/*; and requests per target", async () => {
    const mock = mockApp();
    for (const path of [
      "/pagination/offset",
      "/pagination/offset",
      "/pagination/offset?limit=2",
      "/pagination/offset",
      "/nope",
      "/pagination/offset?limit=0",
    ]) {
      await get(mock, path);
    }
    await get(mock, "/_mock/dataset");
    await get(mock, "/pagination/offset", { method: "POST" });
    expect(await stats(mock)).toMatchObject({ requests: 7, max_requests_per_target: 3, targets_tracked: 5, retry_after_sent: 0, faults: ZERO_FAULTS });
  });

  test("counts each fault by kind, only when it was served", async () => {
    const fail = mockApp({ failRate: 1 });
    for (let i = 0; i < 60; i++) await get(fail, "/pagination/offset");
    const failed = await stats(fail);
    expect(failed.faults.fail_500 + failed.faults.fail_502 + failed.faults.fail_503).toBe(60);
    for (const kind of ["fail_500", "fail_502", "fail_503"]) expect(failed.faults[kind]).toBeGreaterThan(0);
    expect(failed.retry_after_sent).toBe(failed.faults.fail_503);

    const pages = mockApp({ truncateRate: 0.5, malformedRate: 1, slowRate: 1, slowMs: 1, sleep: async () => {} });
    for (let i = 0; i < 40; i++) await (await pages.app.request("/pagination/offset")).text().catch(() => "");
    await get(pages, "/pagination/offset?limit=0");
    const served = await stats(pages);
    expect(served.faults.truncated + served.faults.malformed).toBe(40);
    expect(served.faults.truncated).toBeWithin(8, 33);
    expect(served.faults.slow).toBe(41);

    const throttled = mockApp({ throttleRate: 1 });
    for (let i = 0; i < 3; i++) await get(throttled, "/pagination/keyset");
    expect((await stats(throttled)).faults).toEqual({ ...ZERO_FAULTS, throttled_429: 3 });
  });

  test("an HTTP-date Retry-After: a retry before the date is early (20 ms of slack), at or after it is not", async () => {
    let now = 1_000_500;
    const mock = mockApp({ throttleRate: 1, clock: () => now });
    const retryAt = async () => Date.parse((await get(mock, "/pagination/offset?limit=5")).headers.get("retry-after")!);
    let deadline = await retryAt();
    expect(deadline).toBe(1_002_000);
    now = 1_001_000;
    deadline = await retryAt();
    expect(await stats(mock)).toMatchObject({ early_retries: 1, retry_after_sent: 2 });
    now = deadline - 21;
    deadline = await retryAt();
    expect((await stats(mock)).early_retries).toBe(2);
    now = deadline - 20;
    deadline = await retryAt();
    now = deadline + 5000;
    await retryAt();
    expect(await stats(mock)).toMatchObject({
      early_retries: 2,
      retry_after_sent: 5,
      max_requests_per_target: 5,
      faults: { ...ZERO_FAULTS, throttled_429: 5 },
    });
  });

  test("a Retry-After in seconds (--rate-limit) counts from the answer; another target is not a retry", async () => {
    let now = 0;
    const mock = mockApp({ rateLimit: { capacity: 1, refillPerSec: 1 }, clock: () => now });
    expect((await get(mock, "/pagination/offset")).status).toBe(200);
    const limited = await get(mock, "/pagination/offset");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect((await get(mock, "/pagination/offset?limit=3")).status).toBe(429);
    expect((await stats(mock)).early_retries).toBe(0);
    now = 500;
    expect((await get(mock, "/pagination/offset")).status).toBe(429);
    expect((await stats(mock)).early_retries).toBe(1);
    now = 1500;
    expect((await get(mock, "/pagination/offset")).status).toBe(200);
    now = 1600;
    expect((await get(mock, "/pagination/offset?limit=3")).status).toBe(429);
    expect(await stats(mock)).toMatchObject({
      requests: 6,
      early_retries: 1,
      retry_after_sent: 4,
      max_requests_per_target: 4,
      faults: { ...ZERO_FAULTS, rate_limited_429: 4 },
    });
  });

  test("is never subject to faults, auth or rate limits, and is not counted", async () => {
    const mock = mockApp({ failRate: 1, throttleRate: 1, requireAuth: "bearer", rateLimit: { capacity: 1, refillPerSec: 0.001 }, clock: () => 0 });
    for (let i = 0; i < 5; i++) expect((await stats(mock)).requests).toBe(0);
  });
});

describe("MockStats memory", () => {
  test("past the cap the least recently requested target is forgotten; the maximum reached is kept", () => {
    const stats = new MockStats(() => 0, 2);
    for (const target of ["GET /a", "GET /b", "GET /a", "GET /c", "GET /a"]) stats.arrive(target);
    // /b went when /c came (/a had been requested since), so /a still counts from 1.
    expect(stats.toJSON()).toMatchObject({ requests: 5, targets_tracked: 2, max_requests_per_target: 3 });
    for (const target of ["GET /d", "GET /e", "GET /a"]) stats.arrive(target);
    expect(stats.toJSON()).toMatchObject({ requests: 8, targets_tracked: 2, max_requests_per_target: 3 });
  });

  test("a large cap forgets the least recently used hundredth at once, never a target just requested", () => {
    const stats = new MockStats(() => 0, 1000);
    stats.arrive("GET /kept");
    for (let i = 0; i < 5000; i++) {
      stats.arrive(`GET /${i}`);
      if (i % 500 === 0) stats.arrive("GET /kept");
    }
    const tracked = stats.toJSON().targets_tracked;
    expect(tracked).toBeLessThanOrEqual(1000);
    expect(tracked).toBeGreaterThanOrEqual(990);
    // /kept was requested 11 times and never forgotten: each eviction took only entries older than it.
    expect(stats.arrive("GET /kept").count).toBe(12);
    expect(stats.arrive("GET /0").count).toBe(1);
  });

  test("a passed deadline is dropped: later requests are not early even if the clock goes back", () => {
    let now = 0;
    const stats = new MockStats(() => now);
    stats.answered(stats.arrive("GET /a"), "2");
    now = 2000;
    stats.arrive("GET /a");
    now = 100;
    stats.arrive("GET /a");
    expect(stats.toJSON()).toMatchObject({ early_retries: 0, retry_after_sent: 1 });
  });
});
