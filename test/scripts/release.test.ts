// `npm run release` for this machine's target only (the others are the same command with another --target; CI
// builds all five): the files, SHA256SUMS, and what the release executable says about itself.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
const target = `${process.platform}-${process.arch}`;
const asset = `connector-${target}`;
let work: string;

async function run(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const proc = Bun.spawn(argv, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, out, err };
}

async function release(outdir: string) {
  const r = await run([process.execPath, "scripts/release.ts", "--targets", target, "--outdir", outdir]);
  if (r.code !== 0) throw new Error(`release failed: ${r.err}`);
}

/** What the sources' commit is, asked of git here in the test. */
async function expectedCommit(): Promise<string> {
  const head = (await run(["git", "rev-parse", "--short=7", "HEAD"])).out.trim();
  const dirty = (await run(["git", "status", "--porcelain", "--", "src", "package.json"])).out.trim() !== "";
  expect(head).toMatch(/^[0-9a-f]{7,}$/);
  return `${head}${dirty ? "-dirty" : ""}`;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "connector-release-test-"));
  await release(join(work, "release"));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm run release", () => {
  test("writes the executable and a SHA256SUMS that `sha256sum -c` accepts, and nothing else", async () => {
    const dir = join(work, "release");
    expect(readdirSync(dir).sort()).toEqual(["SHA256SUMS", asset].sort());
    const check = await run(["sha256sum", "-c", "SHA256SUMS"], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.out).toBe(`${asset}: OK\n`);
  });

  test("--version says the version, the commit it was built from, the target and Bun; --json as an object", async () => {
    const binary = join(work, "release", asset);
    const pkg = await Bun.file(join(root, "package.json")).json();
    const commit = await expectedCommit();
    const text = await run([binary, "--version"], { cwd: work });
    expect(text.code).toBe(0);
    expect(text.out).toBe(`connector ${pkg.version} (${commit}, ${target}, bun ${Bun.version})\n`);
    const json = await run([binary, "--version", "--json"], { cwd: work });
    expect(JSON.parse(json.out)).toEqual({ name: "connector", version: pkg.version, commit, target, bun: Bun.version });
  });

  test("a build outside a git checkout (the sources copied, as from a tarball) still works and says commit unknown", async () => {
    const copy = join(work, "tarball");
    mkdirSync(copy);
    for (const entry of ["src", "scripts", "package.json", "tsconfig.json"]) cpSync(join(root, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
    const r = await run([process.execPath, "scripts/release.ts", "--targets", target, "--outdir", "out"], { cwd: copy });
    expect(r.code).toBe(0);
    const version = await run([join(copy, "out", asset), "--version", "--json"], { cwd: work });
    expect(JSON.parse(version.out)).toMatchObject({ commit: "unknown", target });
  }, 180_000);

  test("the executable reads neither bunfig.toml nor .env from the directory it runs in", async () => {
    const dir = join(work, "hostile-cwd");
    mkdirSync(dir);
    writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./preload.js"]\n');
    writeFileSync(join(dir, "preload.js"), 'require("node:fs").writeFileSync("preload-ran", "yes");\n');
    writeFileSync(join(dir, ".env"), "CONNECTOR_TEST_DOTENV_TOKEN=from-dotenv\n");
    const config = { base_url: "http://127.0.0.1:9/items", headers: { Authorization: "Bearer ${CONNECTOR_TEST_DOTENV_TOKEN}" }, retry: { max_attempts: 1 } };
    writeFileSync(join(dir, "configuration.json"), JSON.stringify(config));
    const binary = join(work, "release", asset);
    expect((await run([binary, "--version"], { cwd: dir })).code).toBe(0);
    const sync = await run([binary, "sync", "--db", "x.db"], { cwd: dir });
    expect(sync.code).toBe(2);
    expect(sync.err).toContain("CONNECTOR_TEST_DOTENV_TOKEN");
    expect(existsSync(join(dir, "preload-ran"))).toBe(false);
  });

  test("an unknown target is a usage error naming it and the known ones", async () => {
    const r = await run([process.execPath, "scripts/release.ts", "--targets", "linux-x64,plan9-x64", "--outdir", join(work, "never")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown target 'plan9-x64'");
    expect(r.err).toContain("darwin-arm64");
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});
