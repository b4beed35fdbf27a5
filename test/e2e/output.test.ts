// What a person and a scheduler see (issue 15): the progress line on a pseudo-terminal (util-linux `script`), none
// of its escape codes off one, one JSON outcome with --log json whatever happens, exit codes 130/143 on signals.
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { connectorBinary } from "../../testkit/binary";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { tempDb } from "../helpers/sync";

const ESC = "\x1b";

/** Runs the binary on a pseudo-terminal: `script` gives it one and copies what it writes (stdout and stderr). */
async function onTerminal(args: string[], env: Record<string, string | undefined>) {
  const bin = await connectorBinary();
  const command = [bin, ...args].map((a) => `'${a}'`).join(" ");
  const proc = Bun.spawn(["script", "-qec", command, "/dev/null"], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  return { out, code };
}

function syncArgs(mock: RunningMock, db: string, extra: string[] = []): string[] {
  return ["sync", "--base-url", `${mock.url}/pagination/offset`, "--page-size", "20", "--db", db, ...extra];
}

/** Waits (bounded) until the sync has committed some pages, as a reader sees them. */
async function untilCommitted(db: string): Promise<void> {
  for (let i = 0; i < 300 && !(existsSync(db) && (await runBinary(["status", "--db", db, "--json"])).stdout.match(/"pagesCommitted":[1-9]/)); i++)
    await Bun.sleep(50);
}

describe("progress", () => {
  test("on a pseudo-terminal: one line redrawn in place with rows, pages, rows/s, % and ETA, cleared before the summary", async () => {
    const mock = await startMockBinary(["--records", "600", "--seed", "21", "--latency-ms", "30"]);
    try {
      const { out, code } = await onTerminal(syncArgs(mock, tempDb()), { TERM: "xterm" });
      expect(code).toBe(0);
      expect(out).toMatch(/\r\x1b\[Ksyncing: [\d,]+ rows, \d+ pages, [\d,]+ rows\/s, \d+% of 600, ETA \d+s/);
      // The summary starts on a clean line: right after the clear, never glued to "rows/s".
      expect(out).toMatch(/\r\x1b\[Kstrategy +offset/);
      // Each redraw is the progress line alone, up to the next carriage return: nothing glued to it.
      const redraws = out.split("\r").filter((part) => part.includes("syncing:"));
      expect(redraws.length).toBeGreaterThan(1);
      for (const part of redraws) expect(part).toMatch(/^\x1b\[Ksyncing: [^\x1b]*ETA \d+s$/);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("NO_COLOR or TERM=dumb on a terminal, and any pipe: no escape code at all; off a terminal no line per page", async () => {
    const mock = await startMockBinary(["--records", "600", "--seed", "22", "--latency-ms", "20"]);
    try {
      for (const env of [{ TERM: "xterm", NO_COLOR: "1" }, { TERM: "dumb" }]) {
        const { out, code } = await onTerminal(syncArgs(mock, tempDb()), env);
        expect(code).toBe(0);
        expect(out).toContain("\rsyncing: ");
        expect(out).not.toContain(ESC);
      }
      const piped = await runBinary(syncArgs(mock, tempDb()), { env: { NO_COLOR: "", TERM: "xterm" } });
      expect(piped.code).toBe(0);
      expect(piped.stderr + piped.stdout).not.toContain(ESC);
      expect(piped.stderr).not.toContain("\r");
      // 30 pages, a second or so: at most the start lines, no page lines (a progress line comes every 5 s).
      expect(piped.stderr.trim().split("\n").length).toBeLessThan(5);
      const verbose = await runBinary(syncArgs(mock, tempDb(), ["--verbose"]));
      const pages = Number(verbose.stdout.match(/^pages +(\d+)$/m)?.[1]);
      expect(pages).toBeGreaterThan(29);
      expect(verbose.stderr.split("\n").filter((l) => /^page \d+ /.test(l))).toHaveLength(pages);
    } finally {
      await mock.stop();
    }
  }, 60_000);
});

describe("outcome", () => {
  test("--log json ends a success, a failure and a bad flag with exactly one JSON object on stdout", async () => {
    const mock = await startMockBinary(["--records", "60", "--seed", "23"]);
    try {
      const ok = await runBinary([...syncArgs(mock, tempDb()), "--log", "json"]);
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim().split("\n")).toHaveLength(1);
      expect(JSON.parse(ok.stdout)).toMatchObject({ status: "ok", rows: 60, inserted: 60 });
      for (const line of ok.stderr.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      await mock.stop();
    }
    const db = tempDb();
    const config = join(dirname(db), "down.json");
    writeFileSync(config, JSON.stringify({ base_url: "http://127.0.0.1:9/x", retry: { max_attempts: 1 } }));
    const down = await runBinary(["sync", "--config", config, "--db", db, "--log", "json"]);
    const badConfig = await runBinary(["sync", "--base-url", "http://127.0.0.1:9/x", "--db", tempDb(), "--log", "json", "--strategy", "magic"]);
    const badFlag = await runBinary(["sync", "--log", "json", "--page-size", "ten"]);
    for (const [run, code, errorCode] of [
      [down, 1, "http_retries"],
      [badConfig, 2, "config"],
      [badFlag, 2, "usage"],
    ] as const) {
      expect({ code: run.code, lines: run.stdout.trim().split("\n").length }).toEqual({ code, lines: 1 });
      expect(JSON.parse(run.stdout)).toMatchObject({ status: "failed", error: { code: errorCode }, rows: 0 });
    }
    expect(JSON.parse(down.stdout).error.message).toContain("GET http://127.0.0.1:9/x");
    // The failure is recorded for `connector status`, with its message.
    const status = await runBinary(["status", "--db", db]);
    expect(status.stdout).toMatch(/^ {2}last run +failed, \S+ to \S+, 0 rows in 0 pages: GET http:\/\/127\.0\.0\.1:9\/x/m);
  }, 60_000);

  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    test(`${signal}: exit ${code}, the committed rows and how to resume; with --log json one outcome "interrupted"`, async () => {
      const mock = await startMockBinary(["--records", "2000", "--seed", "24", "--latency-ms", "40"]);
      try {
        for (const json of [false, true]) {
          const db = tempDb();
          const args = syncArgs(mock, db, ["--checkpoint-rows", "1", ...(json ? ["--log", "json"] : [])]);
          const proc = Bun.spawn([await connectorBinary(), ...args], {
            stdout: "pipe",
            stderr: "pipe",
            stdin: "ignore",
            env: { ...process.env, NO_COLOR: "1" },
          });
          const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
          await untilCommitted(db);
          proc.kill(signal);
          const [stdout, stderr] = await output;
          expect(await proc.exited).toBe(code);
          if (json) {
            expect(stdout.trim().split("\n")).toHaveLength(1);
            const outcome = JSON.parse(stdout);
            expect(outcome).toMatchObject({ status: "interrupted", signal });
            expect(outcome.rows).toBeGreaterThan(0);
          } else {
            expect(stderr).toMatch(
              new RegExp(`connector: stopped by ${signal}: [\\d,]+ rows \\(\\d+ pages\\) committed; run the same command again to resume`),
            );
            const resumed = await runBinary(args);
            expect(resumed.code).toBe(0);
            expect(resumed.stdout).toMatch(/^resumed +yes/m);
          }
          const status = JSON.parse((await runBinary(["status", "--db", db, "--json"])).stdout).user;
          expect(status.lastRun.outcome).toBe(json ? "interrupted" : "ok");
        }
      } finally {
        await mock.stop();
      }
    }, 60_000);
  }
});
