import { describe, expect, test } from "bun:test";
import { get, mockApp } from "./helpers";

describe("--rate-limit (token bucket, injected clock)", () => {
  test("capacity requests pass, the next is 429 with Retry-After in seconds; refill lets requests through again", async () => {
    let now = 1_000_000;
    const mock = mockApp({ rateLimit: { capacity: 5, refillPerSec: 2 }, clock: () => now });
    for (let i = 0; i < 5; i++) expect((await get(mock, "/pagination/offset")).status).toBe(200);
    const limited = await get(mock, "/pagination/keyset");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body.error).toContain("Rate limit");
    now += 499;
    expect((await get(mock, "/pagination/offset")).status).toBe(429);
    now += 1;
    expect((await get(mock, "/pagination/offset")).status).toBe(200);
    expect((await get(mock, "/pagination/offset")).status).toBe(429);
    now += 60_000;
    for (let i = 0; i < 5; i++) expect((await get(mock, "/pagination/offset")).status).toBe(200);
    expect((await get(mock, "/pagination/offset")).status).toBe(429);
  });

  test("Retry-After grows with a slow refill", async () => {
    const mock = mockApp({ rateLimit: { capacity: 1, refillPerSec: 0.1 }, clock: () => 0 });
    expect((await get(mock, "/pagination/offset")).status).toBe(200);
    expect((await get(mock, "/pagination/offset")).headers.get("retry-after")).toBe("10");
  });

  test("off by default", async () => {
    const mock = mockApp({ clock: () => 0 });
    for (let i = 0; i < 40; i++) expect((await get(mock, "/pagination/offset")).status).toBe(200);
  });
});
