import { nestedDeeperThan, treeDeeperThan } from "../../src/connector/http/depth";
import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { HttpClient, type FetchLike } from "../../src/connector/http/client";
import { HttpError } from "../../src/errors";
import { DEFAULT_RETRY } from "../../src/connector/http/retry";

type Reply = Response | (() => Response) | Error;

/** A fetch that answers from a script and records requests; sleeps are recorded, never waited. */
function harness(replies: Reply[], options: { start?: number; headers?: Record<string, string>; redact?: (s: string) => string; maxBodyBytes?: number } = {}) {
  const requests: Request[] = [];
  const sleeps: number[] = [];
  let clock = options.start ?? Date.parse("2026-01-01T00:00:00Z");
  const fetch: FetchLike = async (request) => {
    requests.push(request);
    const reply = replies.shift();
    if (!reply) throw new Error("script exhausted");
    if (reply instanceof Error) throw reply;
    return typeof reply === "function" ? reply() : reply;
  };
  const client = new HttpClient(
    { ...DEFAULT_RETRY, maxAttempts: 4, maxElapsedMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 5000 },
    { fetch, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)), now: () => clock, random: () => 0.5 },
    { headers: options.headers ?? {}, redact: options.redact ?? ((s) => s), maxBodyBytes: options.maxBodyBytes ?? 1024 },
  );
  return { client, requests, sleeps };
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { ...init, headers: { "content-type": "application/json", ...init.headers } });

describe("HttpClient", () => {
  test("returns parsed JSON and sends the configured headers", async () => {
    const h = harness([json({ data: [1] })], { headers: { "X-Test": "yes" } });
    const response = await h.client.getJson("http://api.test/a");
    expect(response.body).toEqual({ data: [1] });
    expect(h.requests[0]?.headers.get("x-test")).toBe("yes");
  });

  test("retries 5xx, 429, 408 and network errors with backoff, recording the delays", async () => {
    const h = harness([json({}, { status: 503 }), new TypeError("connection refused"), json({}, { status: 429 }), json({ ok: 1 })]);
    const response = await h.client.getJson("http://api.test/a");
    expect(response.body).toEqual({ ok: 1 });
    expect(response.attempts).toBe(4);
    expect(h.sleeps).toEqual([50, 100, 200]);
  });

  test("waits exactly Retry-After seconds, and until an HTTP-date", async () => {
    const h = harness([
      json({}, { status: 503, headers: { "retry-after": "2" } }),
      json({}, { status: 429, headers: { "retry-after": "Thu, 01 Jan 2026 00:00:09 GMT" } }),
      json({ ok: 1 }),
    ]);
    await h.client.getJson("http://api.test/a");
    expect(h.sleeps).toEqual([2000, 7000]);
  });

  test("a Retry-After past the time budget fails at once with exit 1 and says why", async () => {
    const h = harness([json({}, { status: 503, headers: { "retry-after": "3600" } })]);
    const error = await h.client.getJson("http://api.test/a").catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain("asked to wait 3600 s");
    expect(h.sleeps).toEqual([]);
  });

  test("a permanent 500 gives up after max attempts", async () => {
    const h = harness(Array.from({ length: 4 }, () => json({ error: "boom" }, { status: 500 })));
    const error = await h.client.getJson("http://api.test/a").catch((e) => e);
    expect(error.message).toBe("GET http://api.test/a failed: HTTP 500 (boom); gave up after 4 attempts");
    expect(h.requests).toHaveLength(4);
  });

  test("404, 401 and other 4xx fail at once, naming the URL (redacted) and the status", async () => {
    const h = harness([json({ error: "no such page" }, { status: 404 })], { redact: (s) => s.replace("sekret", "***") });
    const error = await h.client.getJson("http://api.test/a?key=sekret").catch((e) => e);
    expect(error.message).toBe("GET http://api.test/a?key=*** failed: HTTP 404 (no such page)");
    expect(error.status).toBe(404);
    expect(h.requests).toHaveLength(1);
  });

  test("invalid JSON and truncated bodies are retried as transient", async () => {
    const truncated = () => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"data": [{"id"'));
          controller.error(new Error("connection closed"));
        },
      });
      return new Response(stream, { headers: { "content-type": "application/json" } });
    };
    const h = harness([
      new Response("{not json", { headers: { "content-type": "application/json" } }),
      truncated,
      new Response('{"a":1}', { headers: { "content-length": "50" } }),
      json({ ok: 1 }),
    ]);
    expect((await h.client.getJson("http://api.test/a")).body).toEqual({ ok: 1 });
    expect(h.sleeps).toHaveLength(3);
  });

  test("a body over the size limit fails without retrying", async () => {
    const h = harness([json({ data: "x".repeat(2000) })]);
    const error = await h.client.getJson("http://api.test/a").catch((e) => e);
    expect(error.message).toContain("larger than the limit of 1024 bytes");
    expect(h.requests).toHaveLength(1);
  });

  test("follows same-origin redirects but refuses another origin", async () => {
    const redirect = (to: string) => new Response(null, { status: 302, headers: { location: to } });
    const ok = harness([redirect("/b"), json({ ok: 1 })]);
    expect((await ok.client.getJson("http://api.test/a")).url).toBe("http://api.test/b");
    const away = harness([redirect("http://evil.test/steal")], { headers: { Authorization: "Bearer t" } });
    const error = await away.client.getJson("http://api.test/a").catch((e) => e);
    expect(error.message).toContain("redirected to another origin (http://evil.test)");
    expect(away.requests).toHaveLength(1);
  });

  test("a redirect from http to https on the same host is refused, saying to write base_url with https", async () => {
    const h = harness([new Response(null, { status: 301, headers: { location: "https://api.test/a" } })]);
    const error = await h.client.getJson("http://api.test/a").catch((e) => e);
    expect(error.message).toContain("redirected to https (https://api.test): the API answers over https only; write base_url with https://");
    expect(h.requests).toHaveLength(1);
  });
});

describe("HttpClient over a socket", () => {
  test("a compressed body's Content-Length (the compressed size) is not taken for the body's; the inflated size is what the limit counts", async () => {
    const bodies: Record<string, Uint8Array> = {
      "/fits": gzipSync(JSON.stringify({ data: "x".repeat(900) })),
      "/bomb": gzipSync(JSON.stringify({ data: "x".repeat(100_000) })),
    };
    // A real socket, not the mock: gzip bodies (a bomb among them) that the mock never sends.
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request) => {
        const body = bodies[new URL(request.url).pathname] as Uint8Array;
        return new Response(body, { headers: { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(body.byteLength) } });
      },
    });
    try {
      const deps = { fetch: (request: Request) => fetch(request), sleep: async () => {}, now: () => 0, random: () => 0.5 };
      const client = new HttpClient({ ...DEFAULT_RETRY, maxAttempts: 1, timeoutMs: 5000 }, deps, { headers: {}, redact: (s) => s, maxBodyBytes: 1024 });
      const fits = await client.getJson(`http://127.0.0.1:${server.port}/fits`);
      expect(fits.body).toEqual({ data: "x".repeat(900) });
      expect(fits.bytes).toBe(911);
      const error = await client.getJson(`http://127.0.0.1:${server.port}/bomb`).catch((e) => e);
      expect(error.message).toContain("larger than the limit of 1024 bytes");
    } finally {
      server.stop(true);
    }
  });
});

describe("nesting depth scan", () => {
  const deeper = (text: string, limit: number) => nestedDeeperThan(new TextEncoder().encode(text), limit);
  test("counts open arrays and objects, not brackets inside strings, escaped quotes included", () => {
    expect(deeper('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(deeper('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(deeper('["[[[[", "\\"[[[[", "\\\\", [1]]', 2)).toBe(false);
    expect(deeper('["\\\\", [[1]]]', 2)).toBe(true);
    expect(deeper(`${"[".repeat(1001)}${"]".repeat(1001)}`, 1000)).toBe(true);
    expect(deeper('["unterminated', 1)).toBe(false);
  });

  test("the walk of a parsed body agrees with the scan of its text", () => {
    const cases = [
      '{"a":[{"b":[1]}]}',
      '["[[[[", "\\"[[[[", "\\\\", [1]]',
      '["\\\\", [[1]]]',
      '[[], {"a": {}}]',
      '"text"',
      "7",
      `${"[".repeat(1001)}${"]".repeat(1001)}`,
    ];
    for (const text of cases) for (const limit of [1, 2, 3, 4, 1000]) expect(treeDeeperThan(JSON.parse(text), limit)).toBe(deeper(text, limit));
  });

  test("a small body nested too deep is refused with the depth error, valid JSON or not, and not retried", async () => {
    const deep = "[".repeat(1001);
    for (const text of [`${deep}${"]".repeat(1001)}`, deep]) {
      const h = harness([new Response(text, { headers: { "content-type": "application/json" } })], { maxBodyBytes: 1 << 20 });
      const error = await h.client.getJson("http://api.test/a").catch((e) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error.message).toContain("the response nests deeper than 1000 levels; refusing to parse it");
      expect(h.requests.length).toBe(1);
    }
  });
});
