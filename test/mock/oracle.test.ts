import { describe, expect, test } from "bun:test";
import { byId, dataset, get, mockApp, walkOffset } from "./helpers";

const post = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

describe("GET /_mock/dataset", () => {
  test("is NDJSON, one user per line, sorted by id, equal to paging through everything", async () => {
    const mock = mockApp({ records: 250 });
    const { status, text, headers } = await get(mock, "/_mock/dataset");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/x-ndjson");
    expect(text.endsWith("\n")).toBe(true);
    const rows = await dataset(mock);
    expect(rows).toHaveLength(250);
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).toSorted());
    expect((await walkOffset(mock)).toSorted(byId)).toEqual(rows);
  });

  test("lines are the exact JSON the pagination endpoints serve", async () => {
    const mock = mockApp({ records: 30 });
    const page = JSON.parse((await get(mock, "/pagination/offset?limit=30")).text).data;
    const lines = new Set((await get(mock, "/_mock/dataset")).text.trim().split("\n"));
    for (const user of page) expect(lines.has(JSON.stringify(user))).toBe(true);
  });

  test("/_mock/* is never subject to faults or rate limits; with --require-auth it needs the credential", async () => {
    const mock = mockApp({ failRate: 1, requireAuth: "bearer", rateLimit: { capacity: 1, refillPerSec: 0.001 }, clock: () => 0 });
    const auth = { headers: { authorization: `Bearer ${mock.credentials.token}` } };
    for (let i = 0; i < 5; i++) {
      expect((await get(mock, "/_mock/dataset", auth)).status).toBe(200);
      expect((await get(mock, "/_mock/mutations", auth)).status).toBe(200);
    }
    expect((await get(mock, "/_mock/dataset")).status).toBe(401);
    expect((await get(mock, "/pagination/offset")).status).toBeOneOf([500, 502, 503]);
    expect((await get(mock, "/pagination/offset")).status).toBe(429);
  });
});

describe("POST /_mock/mutations", () => {
  test('{"per_sec": N} sets the live-change rate; 0 stops it; GET reads it', async () => {
    const mock = mockApp();
    expect((await get(mock, "/_mock/mutations", post('{"per_sec": 12.5}'))).body).toEqual({ per_sec: 12.5 });
    expect((await get(mock, "/_mock/mutations")).body).toEqual({ per_sec: 12.5 });
    expect((await get(mock, "/_mock/mutations", post('{"per_sec": 0}'))).body).toEqual({ per_sec: 0 });
  });

  test("a bad body is 400", async () => {
    const mock = mockApp();
    for (const body of ["", "nope", "[]", "{}", '{"per_sec": -1}', '{"per_sec": "5"}', '{"per_sec": 1, "x": 2}', '{"per_sec": 1e9}']) {
      const { status, body: answer } = await get(mock, "/_mock/mutations", post(body));
      expect(status).toBe(400);
      expect(answer.error).toContain("per_sec");
    }
  });

  test("a running rate changes rows over time (bounded wait)", async () => {
    const mock = mockApp({ records: 50 });
    const before = (await get(mock, "/_mock/dataset")).text;
    await get(mock, "/_mock/mutations", post('{"per_sec": 200}'));
    let after = before;
    for (let i = 0; i < 40 && after === before; i++) {
      await Bun.sleep(50);
      after = (await get(mock, "/_mock/dataset")).text;
    }
    expect(after).not.toBe(before);
    await get(mock, "/_mock/mutations", post('{"per_sec": 0}'));
    const stopped = (await get(mock, "/_mock/dataset")).text;
    await Bun.sleep(250);
    expect((await get(mock, "/_mock/dataset")).text).toBe(stopped);
  });
});
