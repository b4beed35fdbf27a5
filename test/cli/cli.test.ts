import { describe, expect, test } from "bun:test";
import { runCli } from "../../src/cli/run";
import { memoryIo } from "../../src/cli/io";
import { commands } from "../../src/cli/commands";
import pkg from "../../package.json" with { type: "json" };

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

describe("connector CLI shell", () => {
  test("--version from source: the package version, commit unknown (stamped only into built executables)", async () => {
    const host = `${process.platform}-${process.arch}`;
    const r = await run("--version");
    expect(r.code).toBe(0);
    expect(r.out).toBe(`connector ${pkg.version} (unknown, ${host}, bun ${Bun.version})\n`);
    const json = await run("-v", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ name: "connector", version: pkg.version, commit: "unknown", target: host, bun: Bun.version });
  });

  test("--help lists every command with one line each", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    for (const name of ["serve-mock", "sync", "state", "reset", "probe"]) expect(r.out).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
  });

  test("no command at all is a usage error with help on stderr", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.err).toContain("Usage: connector <command>");
    expect(r.out).toBe("");
  });

  test("each command has its own --help with usage and options", async () => {
    for (const command of commands) {
      const r = await run(command.name, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toStartWith(`Usage: connector ${command.name}`);
      expect(r.out).toContain("--help");
    }
  });

  test("an unknown command exits 2 with one line naming it", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toBe("connector: unknown command 'frobnicate': run 'connector --help' for the list\n");
  });

  test("an unknown top-level flag exits 2 naming the flag", async () => {
    const r = await run("--frob");
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown flag '--frob'");
  });

  test("an unknown command flag exits 2, names it and points to the command's help", async () => {
    for (const command of commands) {
      const r = await run(command.name, "--no-such-flag");
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toContain("'--no-such-flag'");
      expect(r.err).toContain(`connector ${command.name} --help`);
    }
  });
});
