// Issue 14 §5: unknown commands, flags and configuration keys suggest the near miss, and keys are documented in the binary.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";

const dir = mkdtempSync(join(tmpdir(), "connector-dym-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

async function withConfig(config: unknown) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return run("sync", "--config", file, "--db", join(dir, "x.db"));
}

describe("did you mean", () => {
  test("a mistyped command or flag names the near miss; a far one does not guess", async () => {
    expect((await run("synk")).err).toBe("connector: unknown command 'synk' (did you mean 'sync'?): run 'connector --help' for the list\n");
    expect((await run("sync", "--page-sise", "5")).err).toContain("unknown flag '--page-sise' for 'sync' (did you mean '--page-size'?)");
    expect((await run("sync", "--base_url", "http://a.test")).err).toContain("(did you mean '--base-url'?)");
    const far = await run("sync", "--frobnicate");
    expect(far.code).toBe(2);
    expect(far.err).not.toContain("did you mean");
  });

  test("a mistyped configuration key, top level or nested, names the near miss and where keys are listed", async () => {
    const top = await withConfig({ base_url: "http://a.test", page_sise: 5 });
    expect(top.code).toBe(2);
    expect(top.err).toContain("unknown key 'page_sise' (did you mean 'page_size'?); every key is listed by 'connector config --help'");
    expect(top.err).not.toContain("README");
    expect((await withConfig({ base_url: "http://a.test", retry: { max_atempts: 5 } })).err).toContain(
      "unknown key 'retry.max_atempts' (did you mean 'retry.max_attempts'?)",
    );
  });

  test("connector config --help lists every key with its default", async () => {
    const r = await run("config", "--help");
    expect(r.code).toBe(0);
    for (const line of ["base_url", "page_size  +50", "retry.max_elapsed_seconds +300", 'request.since_param +"updated_since"', "limits.max_record_bytes"])
      expect(r.out).toMatch(new RegExp(`^  ${line}`, "m"));
    expect((await run("config")).out).toBe(r.out);
  });
});
