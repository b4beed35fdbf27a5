import { describe, expect, test } from "bun:test";
import { MAX_BODY_BYTES, MAX_QUERY_BYTES } from "../../src/mock/limits";
import { get, mockApp } from "./helpers";

describe("size limits", () => {
  test("a query string over the limit is 414 with a JSON error", async () => {
    const mock = mockApp();
    const { status, body } = await get(mock, `/pagination/offset?scroll=${"x".repeat(MAX_QUERY_BYTES)}`);
    expect(status).toBe(414);
    expect(body.error).toContain(String(MAX_QUERY_BYTES));
  });

  test("a body over the limit is 413 with a JSON error", async () => {
    const mock = mockApp();
    const big = JSON.stringify({ per_sec: 1, pad: "x".repeat(MAX_BODY_BYTES) });
    const { status, body } = await get(mock, "/_mock/mutations", { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(status).toBe(413);
    expect(body.error).toContain(String(MAX_BODY_BYTES));
  });

  test("unknown paths are 404 with a JSON error", async () => {
    const { status, body } = await get(mockApp(), "/pagination/cursor");
    expect(status).toBe(404);
    expect(body.error).toContain("/pagination/cursor");
  });
});
