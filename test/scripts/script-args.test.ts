// Every script with flags answers --help with how to run it (exit 0, nothing run) and names a bad flag (exit 2).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = join(import.meta.dir, "../../scripts");
const scripts = readdirSync(DIR).filter((file) => file.endsWith(".ts") && readFileSync(join(DIR, file), "utf8").includes("scriptArgs(import.meta.path"));
const run = (file: string, args: string[]) => Bun.spawnSync([process.execPath, join(DIR, file), ...args], { stdout: "pipe", stderr: "pipe" });

describe("scripts' flags", () => {
  test("the scripts with flags read them through scriptArgs (none parses argv on its own)", () => {
    const own = readdirSync(DIR).filter((file) => file.endsWith(".ts") && /\bparseArgs\(/.test(readFileSync(join(DIR, file), "utf8")));
    expect(own).toEqual(["script-args.ts"]);
    expect(scripts.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of scripts) {
    test(`${file} --help prints its usage and exits 0; --no-such-flag exits 2 naming it`, () => {
      const help = run(file, ["--help"]);
      expect(help.exitCode).toBe(0);
      expect(help.stdout.toString()).toContain(`scripts/${file}`);
      const bad = run(file, ["--no-such-flag"]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr.toString()).toContain("'--no-such-flag'");
      expect(bad.stderr.toString()).toContain("--help");
      expect(bad.stderr.toString()).not.toContain("    at ");
    });
  }
});
