import { describe, expect, test } from "bun:test";
import { parseArgs, formatFlags } from "../../src/cli/args";
import { UsageError } from "../../src/errors";

const specs = {
  port: { type: "number", help: "port", integer: true, min: 0, max: 65535 },
  host: { type: "string", help: "host", value: "HOST" },
  quiet: { type: "boolean", help: "quiet" },
  header: { type: "strings", help: "header" },
  write: { type: "string", help: "write", value: "FILE", implied: "out.json" },
} as const;

describe("parseArgs", () => {
  test("reads --name value, --name=value, booleans, repeated strings and positionals", () => {
    const p = parseArgs(["--port", "5001", "--host=0.0.0.0", "--quiet", "--header", "a: 1", "--header=b: 2", "x"], specs, "t");
    expect(p.flags).toEqual({ port: 5001, host: "0.0.0.0", quiet: true, header: ["a: 1", "b: 2"] });
    expect(p.positionals).toEqual(["x"]);
    expect(p.help).toBe(false);
  });

  test("numbers outside bounds or not numbers name the flag and the allowed range", () => {
    expect(() => parseArgs(["--port", "abc"], specs, "t")).toThrow("--port must be a whole number from 0 to 65535, got 'abc'");
    expect(() => parseArgs(["--port", "70000"], specs, "t")).toThrow(UsageError);
    expect(() => parseArgs(["--port", "1.5"], specs, "t")).toThrow("whole number");
    expect(() => parseArgs(["--port", ""], specs, "t")).toThrow("got ''");
  });

  test("a flag that needs a value and has none is an error", () => {
    expect(() => parseArgs(["--host"], specs, "t")).toThrow("--host needs a value (HOST)");
    expect(() => parseArgs(["--host", "--quiet"], specs, "t")).toThrow("--host needs a value");
  });

  test("a flag with an implied value takes the next word, or the implied value before a flag or at the end", () => {
    expect(parseArgs(["--write", "a.json", "x"], specs, "t")).toMatchObject({ flags: { write: "a.json" }, positionals: ["x"] });
    expect(parseArgs(["x", "--write"], specs, "t")).toMatchObject({ flags: { write: "out.json" }, positionals: ["x"] });
    expect(parseArgs(["--write", "--quiet"], specs, "t").flags).toEqual({ write: "out.json", quiet: true });
    expect(parseArgs(["--write="], specs, "t").flags.write).toBe("");
    expect(formatFlags(specs)).toContain("--write [FILE]");
  });

  test("booleans accept =true/=false only", () => {
    expect(parseArgs(["--quiet=false"], specs, "t").flags.quiet).toBe(false);
    expect(() => parseArgs(["--quiet=yes"], specs, "t")).toThrow("--quiet takes no value");
  });

  test("single-dash flags and unknown flags are refused; -- ends flags", () => {
    expect(() => parseArgs(["-p", "1"], specs, "t")).toThrow("unknown flag '-p'");
    expect(() => parseArgs(["--constructor"], specs, "t")).toThrow("unknown flag '--constructor'");
    expect(parseArgs(["--", "--port"], specs, "t").positionals).toEqual(["--port"]);
  });

  test("help is generated from the same specs", () => {
    const help = formatFlags(specs);
    expect(help).toContain("--port <N>");
    expect(help).toContain("--host <HOST>");
    expect(help).toMatch(/--quiet +quiet/);
  });
});
