// Fails (exit 1) when the modules under a folder import each other in a cycle, so a cycle cannot come back
// unnoticed: `bun scripts/check-cycles.ts [folder]` (default src). Type-only imports count too, because a cycle
// of types is still two modules that cannot be understood, or moved, one without the other.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** `import ... from "x"`, `export ... from "x"`, `import "x"` and `import("x")`, type-only ones included. */
const IMPORT = /(?:^|[;\s])(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|(?:^|[;\s])import\s*\(?\s*["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative specifier names (x, x.ts, x/index.ts), or undefined for a package or a missing file. */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((candidate) => files.has(candidate));
}

/** Each file's imports of other files under the folders. */
export function importGraph(...roots: string[]): Map<string, string[]> {
  const files = new Set(roots.flatMap((root) => sourceFiles(resolve(root))));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
    const targets = [...text.matchAll(IMPORT)].map((m) => resolveImport(file, (m[1] ?? m[2]) as string, files));
    graph.set(file, [...new Set(targets.filter((t): t is string => t !== undefined))]);
  }
  return graph;
}

/** One cycle per strongly connected group of files (Tarjan), each as the path that closes it. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === file ? undefined : stack.pop()) group.push(top);
    if (group.length > 1 || graph.get(file)?.includes(file)) groups.push(group);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return groups.map((group) => pathThrough(group, graph));
}

/** A closed path through a group, so the message shows which import to break: a → b → c → a. */
function pathThrough(group: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0] as string;
  const path = [start];
  const seen = new Set([start]);
  for (let at = start; ; ) {
    const next = (graph.get(at) ?? []).filter((n) => members.has(n));
    const step = next.find((n) => n === start) ?? next.find((n) => !seen.has(n)) ?? next[0];
    if (step === undefined || step === start || seen.has(step)) return [...path, step ?? start];
    path.push(step);
    seen.add(step);
    at = step;
  }
}

if (import.meta.main) {
  const root = process.argv[2] ?? "src";
  const cycles = findCycles(importGraph(root));
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((file) => relative(process.cwd(), file)).join(" → ")}`);
  if (cycles.length > 0) process.exit(1);
  console.log(`check-cycles: no import cycle under ${root}`);
}
