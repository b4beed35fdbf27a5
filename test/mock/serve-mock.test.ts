import { describe, expect, test } from "bun:test";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";
import { connectorBinary } from "../../testkit/binary";

/** Runs serve-mock in process until `body` is done, then aborts it like Ctrl-C. */
async function serving(args: string[], body: (url: string, io: ReturnType<typeof memoryIo>) => Promise<void>) {
  const controller = new AbortController();
  const io = memoryIo({ signal: controller.signal });
  const exit = runCli(["serve-mock", "--port", "0", ...args], io);
  try {
    for (let i = 0; i < 200 && !io.out.join("").includes("\n"); i++) await Bun.sleep(10);
    const first = io.out.join("").split("\n")[0]!;
    expect(first).toMatch(/^Mock API listening on http:\/\/127\.0\.0\.1:\d+$/);
    await body(first.slice("Mock API listening on ".length), io);
  } finally {
    controller.abort();
  }
  return { code: await exit, out: io.out.join(""), err: io.err.join("") };
}

describe("connector serve-mock (in process)", () => {
  test("prints the URL line, the endpoint table, seed and credentials; serves; Ctrl-C exits 0", async () => {
    const result = await serving(["--seed", "99", "--auth-token", "tok"], async (url) => {
      const res = await fetch(`${url}/pagination/offset?limit=3`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(3);
      expect((await fetch(`${url}/auth/http_bearer`, { headers: { authorization: "Bearer tok" } })).status).toBe(200);
    });
    expect(result.code).toBe(0);
    for (const path of [
      "/pagination/offset",
      "/pagination/page_number",
      "/pagination/keyset",
      "/pagination/next_page_url",
      "/pagination/link_header",
      "/auth/http_basic",
      "/auth/http_bearer",
      "/auth/api_key",
      "/auth/session_token/login",
      "/auth/session_token/data",
      "/export/csv",
      "/_mock/dataset",
    ]) {
      expect(result.out).toContain(path);
    }
    expect(result.out).toContain("Seed: 99");
    expect(result.out).toContain("token:    tok");
    expect(result.out).toMatch(/user: +user-[0-9a-f]+/);
  });

  test("logs one line per request to stderr (method, path with query, status, ms); --log json; --quiet", async () => {
    const text = await serving([], async (url) => void (await fetch(`${url}/pagination/keyset?order_by=nope`)).text());
    expect(text.err).toMatch(/^\S+Z GET \/pagination\/keyset\?order_by=nope 400 [\d.]+ ms\n$/);
    const json = await serving(["--log", "json"], async (url) => void (await fetch(`${url}/pagination/offset`)).text());
    expect(JSON.parse(json.err.trim())).toMatchObject({ method: "GET", path: "/pagination/offset", status: 200 });
    const quiet = await serving(["--quiet"], async (url) => void (await fetch(`${url}/pagination/offset`)).text());
    expect(quiet.err).toBe("");
  });

  test("--throttle-rate, --slow-rate and --slow-ms: in --help, in the banner, served, and counted by /_mock/stats", async () => {
    const help = memoryIo();
    expect(await runCli(["serve-mock", "--help"], help)).toBe(0);
    for (const flag of ["--throttle-rate <F>", "--slow-rate <F>", "--slow-ms <N|A-B>"]) expect(help.out.join("")).toContain(flag);
    const result = await serving(["--quiet", "--throttle-rate", "1", "--slow-rate", "1", "--slow-ms", "1-3"], async (url) => {
      const res = await fetch(`${url}/pagination/offset`);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      const stats = (await (await fetch(`${url}/_mock/stats`)).json()) as { requests: number; faults: Record<string, number> };
      expect([stats.requests, stats.faults.throttled_429, stats.faults.slow]).toEqual([1, 1, 1]);
    });
    expect(result.code).toBe(0);
    expect(result.out).toContain("Faults: throttle 1, slow 1 (1-3 ms)");
    expect(result.out).toContain("/_mock/stats");
  });

  test("another host than loopback gets a loud warning (a TEST-NET address, so nothing is exposed)", async () => {
    const io = memoryIo();
    const code = await runCli(["serve-mock", "--port", "0", "--quiet", "--host", "192.0.2.1"], io);
    const err = io.err.join("");
    expect(err).toContain("WARNING: --host 192.0.2.1");
    expect(err).toContain("cannot listen on 192.0.2.1:0");
    expect(code).toBe(1);
  });

  test("every bad flag value exits 2 with one line naming the flag", async () => {
    const cases: [string[], string][] = [
      [["--port", "70000"], "--port"],
      [["--records", "-1"], "--records"],
      [["--seed", "x"], "--seed"],
      [["--now", "yesterday"], "--now"],
      [["--span-days", "-1"], "--span-days"],
      [["--same-second", "0"], "--same-second"],
      [["--max-page-size", "0"], "--max-page-size"],
      [["--mutate-per-sec", "-1"], "--mutate-per-sec"],
      [["--delete-share", "1.5"], "--delete-share"],
      [["--fail-rate", "2"], "--fail-rate"],
      [["--latency-ms", "fast"], "--latency-ms"],
      [["--latency-ms", "9-3"], "--latency-ms"],
      [["--truncate-rate", "-0.1"], "--truncate-rate"],
      [["--malformed-rate", "7"], "--malformed-rate"],
      [["--capacity", "5"], "--capacity"],
      [["--rate-limit", "--capacity", "0"], "--capacity"],
      [["--rate-limit", "--refill-per-sec", "0"], "--refill-per-sec"],
      [["--require-auth", "oauth"], "--require-auth"],
      [["--auth-user", "a:b"], "--auth-user"],
      [["--auth-password", "a b"], "--auth-password"],
      [["--auth-token", ""], "--auth-token"],
      [["--session-ttl", "0"], "--session-ttl"],
      [["--public-url", "file:///etc"], "--public-url"],
      [["--log", "xml"], "--log"],
      [["--throttle-rate", "1.01"], "--throttle-rate must be a number from 0 to 1"],
      [["--slow-rate", "-1"], "--slow-rate must be a number from 0 to 1"],
      [["--slow-ms", "100"], "--slow-ms needs --slow-rate"],
      [["--slow-rate", "0.5", "--slow-ms", "soon"], "--slow-ms must be N or A-B"],
      [["--slow-rate", "0.5", "--slow-ms", "90-20"], "--slow-ms must be N or A-B with A <= B"],
      [["--slow-rate", "0.5", "--slow-ms", "999999"], "--slow-ms must be a whole number from 0 to 120000"],
    ];
    for (const [args, flag] of cases) {
      const io = memoryIo();
      const code = await runCli(["serve-mock", "--port", "0", ...args], io);
      expect(code).toBe(2);
      const err = io.err.join("");
      expect(err.trim().split("\n")).toHaveLength(1);
      expect(err).toContain(flag);
      expect(io.out).toEqual([]);
    }
  });
});

describe("connector serve-mock (compiled binary)", () => {
  /** Starts the binary on a free loopback port, runs `body` with its URL, and always kills it afterwards. */
  async function withBinary(args: string[], body: (url: string, proc: Bun.Subprocess<"ignore", "pipe", "pipe">) => Promise<void>) {
    const proc = Bun.spawn([await connectorBinary(), "serve-mock", "--port", "0", ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    try {
      const reader = proc.stdout.getReader();
      let out = "";
      const deadline = Date.now() + 20_000;
      while (!out.includes("\n") && Date.now() < deadline) {
        const chunk = await reader.read();
        if (chunk.done) break;
        out += new TextDecoder().decode(chunk.value);
      }
      reader.releaseLock();
      const url = /^Mock API listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
      expect(url).toBeDefined();
      await body(url!, proc);
    } finally {
      proc.kill("SIGKILL");
    }
  }

  test("serves on a free loopback port and stops cleanly on SIGINT with exit 0", async () => {
    await withBinary(["--seed", "4", "--records", "120"], async (url, proc) => {
      const page = (await (await fetch(`${url}/pagination/page_number?per_page=50&page=3`)).json()) as { data: unknown[] };
      expect(page).toMatchObject({ page: 3, page_size: 50, total_pages: 3, total_items: 120 });
      expect(page.data).toHaveLength(20);
      const lines = (await (await fetch(`${url}/_mock/dataset`)).text()).trim().split("\n");
      expect(lines).toHaveLength(120);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(0);
      expect(await new Response(proc.stderr).text()).toContain("GET /pagination/page_number?per_page=50&page=3 200");
    });
  });

  test("a truncated response reaches a real client as a broken connection after status 200", async () => {
    await withBinary(["--quiet", "--truncate-rate", "1"], async (url) => {
      const res = await fetch(`${url}/pagination/offset?limit=50`);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      expect((await fetch(`${url}/_mock/dataset`)).status).toBe(200);
    });
  });

  test("slow answers (latency faults) outlive Bun's default 10 s idle timeout, request after request", async () => {
    // Without a raised idleTimeout Bun cuts the second slow request on a kept-alive connection at 10 s (fetch then
    // retries it, so it takes about twice as long) and warns on stderr.
    await withBinary(["--quiet", "--latency-ms", "10200"], async (url, proc) => {
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        const res = await fetch(`${url}/pagination/offset?limit=1`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
        expect(performance.now() - started).toBeLessThan(14_000);
      }
      proc.kill("SIGINT");
      await proc.exited;
      expect(await new Response(proc.stderr).text()).toBe("");
    });
  }, 40_000);
});
