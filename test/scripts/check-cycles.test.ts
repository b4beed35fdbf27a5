// Issue 17: import cycles cannot come back. scripts/check-cycles.ts runs over src/ as `bun scripts/check-cycles.ts`
// would in CI, and is shown to catch a cycle; scripts/ and testkit/ never import from test/.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { findCycles, importGraph } from "../../scripts/check-cycles";

const root = resolve(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "connector-cycles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkCycles(folder: string) {
  const proc = Bun.spawnSync([process.execPath, "scripts/check-cycles.ts", folder], { cwd: root, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode, out: proc.stdout.toString(), err: proc.stderr.toString() };
}

/** Cycles that exist and are to be removed (none now): a cycle not listed fails, and so does a listed one that is gone. */
const KNOWN_CYCLES: string[] = [];

describe("import cycles", () => {
  test("src/ has none", () => {
    const run = checkCycles("src");
    const found = run.err
      .split("\n")
      .filter(Boolean)
      .map((line) => line.replace(/^import cycle: /, ""));
    expect(found.sort()).toEqual([...KNOWN_CYCLES].sort());
    expect(run.code).toBe(KNOWN_CYCLES.length === 0 ? 0 : 1);
  });

  test("a cycle, type-only imports and index files included, fails and names the path to break", () => {
    writeFileSync(join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b;\n');
    writeFileSync(join(dir, "b.ts"), 'import type { C } from "./c/index";\nexport const b = 1 as unknown as C;\n');
    mkdirSync(join(dir, "c"), { recursive: true });
    writeFileSync(join(dir, "c", "index.ts"), '// import { nothing } from "./nowhere";\nexport { a as C } from "../a";\nimport "node:fs";\n');
    writeFileSync(join(dir, "d.ts"), 'import { a } from "./a";\nexport const d = a;\n');
    const run = checkCycles(dir);
    expect(run.code).toBe(1);
    expect(run.err.trim().split("\n")).toHaveLength(1);
    expect(run.err).toContain(
      `import cycle: ${relative(root, join(dir, "a.ts"))} → ${relative(root, join(dir, "b.ts"))} → ${relative(root, join(dir, "c/index.ts"))} → ${relative(root, join(dir, "a.ts"))}`,
    );
  });

  test("scripts/ and testkit/ import nothing from test/ (a test may run a script, never the other way)", () => {
    const inTest = (file: string) => file.startsWith(`${join(root, "test")}/`);
    const graph = importGraph(...["src", "scripts", "testkit", "test"].map((folder) => join(root, folder)));
    const reaching = [...graph].filter(([file, targets]) => !inTest(file) && targets.some(inTest)).map(([file]) => relative(root, file));
    expect(reaching).toEqual([]);
    expect(graph.size).toBeGreaterThan(200);
    expect(
      findCycles(new Map([...graph].filter(([file]) => !file.startsWith(`${join(root, "src")}/`)))).map((cycle) => cycle.map((file) => relative(root, file))),
    ).toEqual([]);
  });
});
