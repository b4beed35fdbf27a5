import { describe, expect, test } from "bun:test";
import { get, mockApp } from "./helpers";

async function statuses(options: Parameters<typeof mockApp>[0], n: number): Promise<number[]> {
  const mock = mockApp(options);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await mock.app.request("/pagination/offset")).status);
  return out;
}

describe("faults", () => {
  test("--fail-rate 1: every answer is 500, 502 or 503 (JSON); 503 carries Retry-After: 1", async () => {
    const mock = mockApp({ failRate: 1 });
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const { status, headers, body } = await get(mock, "/pagination/offset");
      seen.add(status);
      expect(body.error).toContain("Injected fault");
      expect(headers.get("retry-after")).toBe(status === 503 ? "1" : null);
    }
    expect([...seen].sort()).toEqual([500, 502, 503]);
  });

  test("--fail-rate F fails about F of the requests, the same ones under the same seed", async () => {
    const a = await statuses({ failRate: 0.3, seed: 5 }, 200);
    const failed = a.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
    expect(await statuses({ failRate: 0.3, seed: 5 }, 200)).toEqual(a);
    expect(await statuses({ failRate: 0.3, seed: 6 }, 200)).not.toEqual(a);
    expect(await statuses({ failRate: 0 }, 50)).toEqual(Array(50).fill(200));
  });

  test("--latency-ms N and A-B delay each request (recorded by the injected sleep)", async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    const fixed = mockApp({ latencyMs: 250, sleep });
    for (let i = 0; i < 5; i++) await get(fixed, "/pagination/offset");
    expect(slept).toEqual([250, 250, 250, 250, 250]);
    slept.length = 0;
    const ranged = mockApp({ latencyMs: [100, 200], sleep, seed: 9 });
    for (let i = 0; i < 50; i++) await get(ranged, "/pagination/keyset");
    expect(slept.every((ms) => ms >= 100 && ms <= 200 && Number.isInteger(ms))).toBe(true);
    expect(new Set(slept).size).toBeGreaterThan(10);
    const again: number[] = [];
    const same = mockApp({ latencyMs: [100, 200], sleep: async (ms) => void again.push(ms), seed: 9 });
    for (let i = 0; i < 50; i++) await get(same, "/pagination/keyset");
    expect(again).toEqual(slept);
  });

  test("--truncate-rate 1: status 200, then the body breaks off mid-JSON", async () => {
    const mock = mockApp({ truncateRate: 1 });
    for (let i = 0; i < 5; i++) {
      const res = await mock.app.request("/pagination/offset?limit=20");
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      const text = new TextDecoder().decode(first.value);
      expect(text).toStartWith('{"data":[');
      let failed = false;
      try {
        await reader.read();
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);
    }
  });

  test("--malformed-rate 1: status 200 with a complete body that is not JSON", async () => {
    const mock = mockApp({ malformedRate: 1 });
    const { status, text, body } = await get(mock, "/pagination/page_number");
    expect(status).toBe(200);
    expect(text).toStartWith('{"data":[');
    expect(body).toBeUndefined();
    expect(() => JSON.parse(text)).toThrow();
  });

  test("truncate and malformed hit about their share of pages, deterministically", async () => {
    const kinds = async (seed: number) => {
      const mock = mockApp({ truncateRate: 0.2, malformedRate: 0.2, seed });
      const out: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await mock.app.request("/pagination/offset?limit=3");
        try {
          JSON.parse(await res.text());
          out.push("ok");
        } catch (error) {
          out.push(error instanceof SyntaxError ? "malformed" : "truncated");
        }
      }
      return out;
    };
    const a = await kinds(1);
    expect(a.filter((k) => k === "truncated").length).toBeWithin(8, 35);
    expect(a.filter((k) => k === "malformed").length).toBeWithin(5, 35);
    expect(await kinds(1)).toEqual(a);
  });

  test("error answers (400) are never truncated or made malformed", async () => {
    const mock = mockApp({ truncateRate: 1, malformedRate: 1 });
    const { status, body } = await get(mock, "/pagination/offset?limit=0");
    expect(status).toBe(400);
    expect(body.error).toContain("limit");
  });
});
