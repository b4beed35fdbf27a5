// Memory stays bounded whatever a server sends: huge or endless error bodies, a gzip bomb in an error, a huge login
// answer, and a body under the size cap nested millions of levels deep. The compiled binary's peak RSS is read
// from the kernel (getrusage, via a fresh bun process) after it exits; a hostile loopback server streams the bodies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { connectorBinary } from "../../testkit/binary";
import { tempDb } from "../helpers/sync";

const MB = 1024 * 1024;
/** Well above what a bounded read needs (about 60 MB for the runtime), well below what reading the bodies costs. */
const PEAK_LIMIT = 200 * MB;
const CHUNK = new Uint8Array(64 * 1024).fill(0x61);

/** `total` bytes of "aaa..." (Infinity: never ends), made as they are read. */
function stream(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      controller.enqueue(CHUNK);
      sent += CHUNK.byteLength;
    },
  });
}

let server: ReturnType<typeof Bun.serve>;
let bomb: Uint8Array;
beforeAll(() => {
  bomb = Bun.gzipSync(new Uint8Array(300 * MB)); // 300 MB of zeros in about 300 KB
  // Not the mock: a fault server streaming unbounded and hostile bodies.
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 30,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/huge-404") return new Response(stream(300 * MB), { status: 404 });
      if (path === "/endless-500") return new Response(stream(Infinity), { status: 500 });
      if (path === "/bomb-400") return new Response(bomb, { status: 400, headers: { "content-encoding": "gzip" } });
      if (path === "/login") return new Response(stream(300 * MB), { headers: { "content-type": "application/json" } });
      if (path === "/deep") return new Response(new Blob(["[".repeat(30 * MB), "]".repeat(30 * MB)]), { headers: { "content-type": "application/json" } });
      return Response.json({ data: [] });
    },
  });
});
afterAll(() => server.stop(true));

/**
 * Runs the command in a fresh bun process that reports its child's peak RSS: the kernel's figure (getrusage of
 * children) covers every child a process has waited for, so the test process itself cannot ask it per child.
 */
async function peakOf(argv: string[]): Promise<{ code: number; stderr: string; peak: number }> {
  const script = `const p = Bun.spawn(${JSON.stringify(argv)}, { stdout: "ignore", stderr: "pipe" });
const t = setTimeout(() => p.kill("SIGKILL"), 60000);
const stderr = await new Response(p.stderr).text();
await p.exited; clearTimeout(t);
console.log(JSON.stringify({ code: p.exitCode, stderr, peak: p.resourceUsage().maxRSS }));`;
  const wrapper = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit", stdin: "ignore" });
  const out = await new Response(wrapper.stdout).text();
  await wrapper.exited;
  return JSON.parse(out);
}

/** Runs `sync` against one hostile path; returns exit code, stderr and peak RSS in bytes. */
async function syncAgainst(path: string, extra: Record<string, unknown> = {}) {
  const db = tempDb();
  const config = join(dirname(db), "configuration.json");
  const base = `http://127.0.0.1:${server.port}`;
  writeFileSync(config, JSON.stringify({ base_url: `${base}${path}`, strategy: "offset", retry: { max_attempts: 1, timeout_seconds: 10 }, ...extra }));
  return peakOf([await connectorBinary(), "sync", "--config", config, "--db", db]);
}

describe("bounded reads of bodies the sync does not need", () => {
  for (const [path, status] of [
    ["/huge-404", 404],
    ["/endless-500", 500],
    ["/bomb-400", 400],
  ] as const) {
    test(`${path}: fails with HTTP ${status} and a bounded peak`, async () => {
      const run = await syncAgainst(path);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`HTTP ${status}`);
      expect(run.peak).toBeLessThan(PEAK_LIMIT);
    }, 90_000);
  }

  test("a 300 MB login answer is refused after a few KB, with a bounded peak", async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const run = await syncAgainst("/items", { auth: { type: "session_token", login_url: `${base}/login`, username: "u", password: "p4ss-word" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("login at");
    expect(run.peak).toBeLessThan(PEAK_LIMIT);
  }, 90_000);
});

test("a 60 MB body nested 30 million levels deep is refused before it is parsed", async () => {
  const run = await syncAgainst("/deep");
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("nests deeper than");
  // The body itself is read (60 MB, under the 64 MB cap); the tree is never built.
  expect(run.peak).toBeLessThan(PEAK_LIMIT + 60 * MB);
}, 90_000);
