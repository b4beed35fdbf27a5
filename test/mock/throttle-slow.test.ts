import { describe, expect, test } from "bun:test";
import type { MockOptions } from "../../src/mock/index";
import { get, mockApp } from "./helpers";

// An RFC 9110 IMF-fixdate: day name, two-digit day, month name, four-digit year, time, "GMT".
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** `status|Retry-After|slept ms` of each of `n` requests (an HTTP-date has spaces, hence the bars). */
async function outcomes(options: MockOptions, n: number, path = "/pagination/offset?limit=3"): Promise<string[]> {
  let slept = 0;
  const mock = mockApp({ ...options, clock: () => 1_000_000, sleep: async (ms) => void (slept = ms) });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    slept = 0;
    const res = await mock.app.request(path);
    let kind = String(res.status);
    try {
      JSON.parse(await res.text());
    } catch (error) {
      kind += error instanceof SyntaxError ? "/malformed" : "/truncated";
    }
    out.push(`${kind}|${res.headers.get("retry-after") ?? "-"}|${slept}`);
  }
  return out;
}

describe("--throttle-rate", () => {
  test("at 1: every answer is 429 (JSON) with Retry-After an IMF-fixdate 1 to 2 s ahead, never in the past", async () => {
    for (const now of [1_000_000, 1_000_001, 1_000_500, 1_000_999, Date.parse("2024-02-29T23:59:59.999Z")]) {
      const mock = mockApp({ throttleRate: 1, clock: () => now });
      for (const path of ["/pagination/offset", "/pagination/keyset", "/export/csv", "/auth/http_bearer"]) {
        const { status, headers, body } = await get(mock, path);
        expect(status).toBe(429);
        expect(body.error).toContain("Injected fault (--throttle-rate)");
        const date = headers.get("retry-after")!;
        expect(date).toMatch(IMF_FIXDATE);
        const ahead = Date.parse(date) - now;
        expect(ahead).toBeGreaterThan(1000);
        expect(ahead).toBeLessThanOrEqual(2000);
        expect(Date.parse(date) % 1000).toBe(0);
      }
      expect((await get(mock, "/_mock/dataset")).status).toBe(200);
    }
  });

  test("the date is the next whole second plus one, written as RFC 9110's own example", async () => {
    const mock = mockApp({ throttleRate: 1, clock: () => Date.parse("1994-11-06T08:49:35.250Z") });
    expect((await get(mock, "/pagination/offset")).headers.get("retry-after")).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
  });

  test("at 0 (the default): no 429, no Retry-After", async () => {
    for (const options of [{}, { throttleRate: 0 }, { throttleRate: 0, failRate: 0, slowRate: 0 }]) {
      expect(await outcomes(options, 40)).toEqual(Array(40).fill("200|-|0"));
    }
  });

  test("at F: about F of the requests, the same ones under the same seed", async () => {
    const a = await outcomes({ throttleRate: 0.3, seed: 5 }, 200);
    expect(a.filter((o) => o.startsWith("429")).length).toBeWithin(30, 91);
    expect(await outcomes({ throttleRate: 0.3, seed: 5 }, 200)).toEqual(a);
    expect(await outcomes({ throttleRate: 0.3, seed: 6 }, 200)).not.toEqual(a);
  });
});

describe("--slow-rate and --slow-ms", () => {
  test("at 1 with A-B: every request sleeps A-B ms on top of --latency-ms, and still answers 200", async () => {
    const slow = (await outcomes({ slowRate: 1, slowMs: [10, 20], seed: 3 }, 60)).map((o) => o.split("|"));
    expect(slow.every(([status]) => status === "200")).toBe(true);
    const ms = slow.map(([, , slept]) => Number(slept));
    expect(ms.every((n) => n >= 10 && n <= 20 && Number.isInteger(n))).toBe(true);
    expect(new Set(ms).size).toBeGreaterThan(5);
    const both = await outcomes({ slowRate: 1, slowMs: 15, latencyMs: 100 }, 10);
    expect(both).toEqual(Array(10).fill("200|-|115"));
  });

  test("the slow delay defaults to 3000 ms", async () => {
    expect(await outcomes({ slowRate: 1 }, 3)).toEqual(Array(3).fill("200|-|3000"));
  });

  test("at 0: nothing sleeps beyond --latency-ms", async () => {
    expect(await outcomes({ slowRate: 0, slowMs: 500 }, 30)).toEqual(Array(30).fill("200|-|0"));
    expect(await outcomes({ slowRate: 0, slowMs: 500, latencyMs: 7 }, 30)).toEqual(Array(30).fill("200|-|7"));
  });

  test("at F: about F of the requests, the same ones under the same seed", async () => {
    const a = await outcomes({ slowRate: 0.25, slowMs: 50, seed: 8 }, 200);
    const slowed = a.filter((o) => o.endsWith("|50")).length;
    expect(slowed).toBeWithin(25, 80);
    expect(a.filter((o) => o.endsWith("|0")).length).toBe(200 - slowed);
    expect(await outcomes({ slowRate: 0.25, slowMs: 50, seed: 8 }, 200)).toEqual(a);
  });
});

describe("determinism", () => {
  const older: MockOptions = { seed: 11, failRate: 0.3, truncateRate: 0.2, malformedRate: 0.2, latencyMs: [100, 199] };

  test("a seed's older faults are those the mock served before throttle and slow existed (pinned)", async () => {
    // Recorded with the code before this change: 0/2/3 = 500/502/503, t truncated, m malformed, . a good page.
    const pinned = "22m0tmm..0..mt...m.0m0.2tm.2t0.m.mt2.000m.......mt3.3m3.0.3..m03t2m...m3...0m.tt.0t.230..t3t3.0..m.m";
    const seen = await outcomes(older, 100);
    const codes = seen.map((o) => (o.startsWith("200|") ? "." : o.startsWith("200/") ? o[4] : o[2])).join("");
    expect(codes).toBe(pinned);
    expect(seen.reduce((sum, o) => sum + Number(o.split("|")[2]), 0)).toBe(15140);
  });

  test("adding throttle and slow faults leaves a seed's older faults exactly as they were", async () => {
    const before = await outcomes(older, 300);
    const after = await outcomes({ ...older, throttleRate: 0.3, slowRate: 0.4, slowMs: 1000 }, 300);
    let throttled = 0;
    let slowed = 0;
    for (let i = 0; i < before.length; i++) {
      const [status, retryAfter, slept] = after[i]!.split("|");
      const wasFailure = /^5/.test(before[i]!);
      // A failure wins over a throttle; otherwise a throttle replaces whatever the page would have been.
      if (status === "429" && !wasFailure) throttled++;
      else expect(`${status}|${retryAfter}|${Number(slept) % 1000}`).toBe(before[i]!.replace(/\d+$/, (ms) => `${Number(ms) % 1000}`));
      if (Number(slept) >= 1000) slowed++;
    }
    expect(throttled).toBeWithin(40, 120);
    expect(slowed).toBeWithin(80, 160);
  });

  test("throttle and slow decisions do not depend on which older faults are on", async () => {
    const decisions = async (extra: MockOptions) =>
      (await outcomes({ seed: 2, throttleRate: 0.4, slowRate: 0.4, slowMs: 1000, ...extra }, 150)).map((o) => {
        const [status, , slept] = o.split("|");
        return `${status === "429" ? "T" : "-"}${Number(slept) >= 1000 ? "S" : "-"}`;
      });
    const alone = await decisions({});
    expect(await decisions({ truncateRate: 0.5, malformedRate: 0.5, latencyMs: [1, 500] })).toEqual(alone);
    expect(new Set(alone).size).toBe(4);
  });
});
