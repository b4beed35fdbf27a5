// Priority-first sync from the command line: flag errors, and a configuration file run end to end.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";

describe("priority-first on the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "connector-pfs-"));
  const run = async (argv: string[]) => {
    const io = memoryIo({ cwd: dir });
    const code = await runCli(argv, io);
    return { code, out: io.out.join(""), err: io.err.join("") };
  };

  test("bad flags and a cursor-less API exit 2 with a clear message, and create no database", async () => {
    const db = join(dir, "never.db");
    writeFileSync(join(dir, "no-since.json"), JSON.stringify({ base_url: "http://127.0.0.1:9/x", request: { since_param: null } }));
    const base = ["sync", "--db", db, "--base-url", "http://127.0.0.1:9/x"];
    const cases: [string[], string][] = [
      [[...base, "--priority-first", "--window", "5x"], 'window must be a duration such as 24h, 90m, 7d or 3600s (from 1s to 3650d), got "5x"'],
      [[...base, "--priority-first", "--window", "0h"], "window must be a duration"],
      [[...base, "--priority-first", "--max-duration", "soon"], "max_duration must be a duration"],
      [[...base, "--priority-first", "--history-limit", "yesterday"], "history_limit must be a timestamp like 2024-01-31T23:59:59Z"],
      [[...base, "--window", "24h"], "window only applies to a priority-first sync"],
      [[...base, "--max-duration", "1h"], "max_duration only applies to a priority-first sync"],
      [["sync", "--db", db, "--config", "no-since.json", "--priority-first"], "priority_first needs an API that filters by the cursor"],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toContain(message);
    }
    expect(existsSync(db)).toBe(false);
  });

  test("sync --mock --priority-first completes a small history and says so; state lists what remains", async () => {
    const db = join(dir, "mock.db");
    const r = await run(["sync", "--mock", "--mock-records", "300", "--priority-first", "--window", "7d", "--db", db, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rows inserted +300$/m);
    expect(r.out).toMatch(/^history windows +[1-9]\d* finished this run$/m);
    expect(r.out).toMatch(/^history left +none: complete back to \S+ \(oldest row\)$/m);
    const state = await run(["state", "--db", db]);
    expect(state.code).toBe(0);
    const backfill = JSON.parse(state.out).user.backfill;
    expect(backfill).toMatchObject({ remaining: [], current: null });
    expect(backfill.done).toEqual([[backfill.limit, backfill.anchor]]);
    expect(state.out).toContain(`"done": [\n        ["${backfill.limit}", "${backfill.anchor}"]\n      ]`);
  });
});
