// install.sh for real: a release directory (this machine's compiled connector and its SHA256SUMS) served on a
// loopback port, the script run by dash and bash into a temporary prefix, the installed binary run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connectorBinary } from "../../testkit/binary";

const script = resolve(import.meta.dir, "../../install.sh");
const asset = `connector-${process.platform}-${process.arch}`;
const shells = ["dash", "bash"].map((name) => Bun.which(name)).filter((path): path is string => path !== null);
let work: string;
let release: string;
let binary: string;
let server: ReturnType<typeof serveRelease>;
let realSums: string;

/** Serves the files of `state.dir`; `tamper` flips one byte in the middle of the executable, `stall` sends 1 MB
 * of it and then nothing, `sums` replaces SHA256SUMS. */
function serveRelease(dir: string) {
  const state = { dir, requests: [] as string[], tamper: false, tamperedSize: 0, stall: false, sums: undefined as string | undefined };
  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const name = new URL(request.url).pathname.slice(1);
      state.requests.push(name);
      if (name === "SHA256SUMS" && state.sums !== undefined) return new Response(state.sums);
      const file = Bun.file(join(state.dir, name));
      if (!/^[\w.-]+$/.test(name) || !(await file.exists())) return new Response("not found", { status: 404 });
      if (state.stall && name !== "SHA256SUMS") return new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(1 << 20)) }));
      if (!state.tamper || name === "SHA256SUMS") return new Response(file);
      const bytes = await file.bytes();
      bytes[bytes.length >> 1]! ^= 0xff;
      state.tamperedSize = bytes.length;
      return new Response(bytes);
    },
  });
  return Object.assign(state, { url: `http://127.0.0.1:${http.port}`, stop: () => http.stop(true) });
}

beforeAll(async () => {
  binary = await connectorBinary();
  work = mkdtempSync(join(tmpdir(), "connector-install-test-"));
  release = join(work, "release");
  mkdirSync(release);
  symlinkSync(binary, join(release, asset));
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(binary).stream()) hasher.update(chunk);
  realSums = `${"0".repeat(64)}  connector-plan9-x64\n${hasher.digest("hex")}  ${asset}\n`;
  writeFileSync(join(release, "SHA256SUMS"), realSums);
  server = serveRelease(release);
}, 120_000);

afterAll(() => {
  server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  shell?: string;
  args?: string[];
  /** Directories put before the system PATH, or instead of it with `onlyPath`. */
  path?: string[];
  onlyPath?: boolean;
  piped?: boolean;
  releaseUrl?: string;
  ownGroup?: boolean;
}

/** Starts install.sh with its own HOME and TMPDIR (in its own process group with `ownGroup`, as a terminal would). */
function startInstall({ shell = shells[0]!, args = [], path = [], onlyPath = false, piped = false, releaseUrl, ownGroup = false }: Run) {
  const sandbox = mkdtempSync(join(work, "run-"));
  const temp = join(sandbox, "tmp");
  mkdirSync(temp);
  const env = {
    PATH: [...path, ...(onlyPath ? [] : [process.env.PATH ?? "/usr/bin:/bin"])].join(":"),
    HOME: join(sandbox, "home"),
    TMPDIR: temp,
    CONNECTOR_RELEASE_URL: releaseUrl ?? `${server.url}/`,
  };
  const argv = [...(ownGroup ? [Bun.which("setsid")!] : []), ...(piped ? [shell, "-s", "--", ...args] : [shell, script, ...args])];
  const proc = Bun.spawn(argv, { cwd: sandbox, env, stdin: piped ? Bun.file(script) : "ignore", stdout: "pipe", stderr: "pipe" });
  return { proc, sandbox, temp };
}

/** Runs install.sh to the end; returns its output and what it left in TMPDIR. */
async function install(run: Run) {
  const { proc, sandbox, temp } = startInstall(run);
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, out, err, sandbox, tempLeft: readdirSync(temp) };
}

/** A directory holding only links to the named commands (what install.sh may use), to take others away. */
function toolbox(names: string[]): string {
  const dir = mkdtempSync(join(work, "tools-"));
  for (const name of names) {
    const found = Bun.which(name);
    if (!found) throw new Error(`${name} is not installed`);
    symlinkSync(found, join(dir, name));
  }
  return dir;
}
const BASICS = ["uname", "mktemp", "rm", "mkdir", "cp", "chmod", "mv", "awk", "cat"];

/** A fake `uname` that reports another machine. */
function fakeUname(os: string, arch: string): string {
  const dir = mkdtempSync(join(work, "uname-"));
  writeFileSync(join(dir, "uname"), `#!/bin/sh\ncase "$1" in -s) echo '${os}' ;; -m) echo '${arch}' ;; *) exit 1 ;; esac\n`);
  chmodSync(join(dir, "uname"), 0o755);
  return dir;
}

async function versionOf(file: string): Promise<string> {
  const proc = Bun.spawn([file, "--version"], { stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  expect(code).toBe(0);
  return out.trim();
}

describe("install.sh", () => {
  test.each(shells)(
    "%s: downloads, checks and installs this machine's binary into --prefix; it runs",
    async (shell) => {
      server.requests.length = 0;
      const r = await install({ shell, args: ["--prefix", "my prefix"] });
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const installed = join(r.sandbox, "my prefix", "bin", "connector");
      expect(statSync(installed).mode & 0o111).toBe(0o111);
      const version = await versionOf(installed);
      expect(version).toBe(await versionOf(binary));
      expect(r.out).toContain(`installed ${version} at ${installed}`);
      expect(r.out).toContain(`export PATH="${join(r.sandbox, "my prefix", "bin")}:$PATH"`);
      expect(server.requests).toEqual(["SHA256SUMS", asset]);
      expect(readdirSync(join(r.sandbox, "my prefix", "bin"))).toEqual(["connector"]);
      expect(r.tempLeft).toEqual([]);
    },
    120_000,
  );

  test("piped into sh (curl … | sh -s -- --prefix DIR), with the bin directory already on PATH", async () => {
    const prefix = join(work, "piped");
    const r = await install({ piped: true, args: [`--prefix=${prefix}`], path: [join(prefix, "bin")] });
    expect(r.code).toBe(0);
    expect(r.out).toContain("run: connector --help");
    expect(r.out).not.toContain("export PATH");
    expect(await versionOf(join(prefix, "bin", "connector"))).toBe(await versionOf(binary));
    expect(r.tempLeft).toEqual([]);
  }, 60_000);

  test("works with only wget and shasum (no curl, no sha256sum)", async () => {
    const tools = toolbox([...BASICS, "wget", "shasum"]);
    const r = await install({ args: ["--prefix", "p"], path: [tools], onlyPath: true });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(await versionOf(join(r.sandbox, "p", "bin", "connector"))).toBe(await versionOf(binary));
    expect(r.tempLeft).toEqual([]);
  }, 60_000);

  test("refuses a tampered binary: non-zero, the connector already there untouched, nothing left behind", async () => {
    const sandboxPrefix = join(work, "tampered");
    mkdirSync(join(sandboxPrefix, "bin"), { recursive: true });
    writeFileSync(join(sandboxPrefix, "bin", "connector"), "#!/bin/sh\necho old\n");
    server.tamper = true;
    try {
      const r = await install({ args: ["--prefix", sandboxPrefix] });
      expect(r.code).toBe(1);
      expect(server.tamperedSize).toBe(statSync(binary).size);
      expect(r.err).toContain(`checksum mismatch for ${asset}`);
      expect(r.err).toContain("nothing was installed");
      expect(r.out).not.toContain("installed connector");
      expect(readFileSync(join(sandboxPrefix, "bin", "connector"), "utf8")).toBe("#!/bin/sh\necho old\n");
      expect(readdirSync(join(sandboxPrefix, "bin"))).toEqual(["connector"]);
      expect(r.tempLeft).toEqual([]);
    } finally {
      server.tamper = false;
    }
  }, 60_000);

  test("Ctrl-C during the download: exit 130, the partial download removed, nothing installed", async () => {
    server.stall = true;
    const { proc, sandbox, temp } = startInstall({ args: ["--prefix", "p"], ownGroup: true });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
    try {
      const partial = () => readdirSync(temp).flatMap((dir) => readdirSync(join(temp, dir)).map((name) => join(temp, dir, name)));
      for (let i = 0; i < 400 && !partial().some((file) => file.endsWith(asset) && statSync(file).size > 0); i++) await Bun.sleep(25);
      expect(partial().some((file) => file.endsWith(asset))).toBe(true);
      process.kill(-proc.pid, "SIGINT"); // the whole foreground group, as a terminal's Ctrl-C
      expect(await proc.exited).toBe(130);
      expect(readdirSync(temp)).toEqual([]);
      expect(existsSync(join(sandbox, "p"))).toBe(false);
    } finally {
      clearTimeout(timer);
      server.stall = false;
    }
  }, 60_000);

  test("a checksummed executable that does not run here is not installed, and says why", async () => {
    const broken = join(work, "broken-release");
    mkdirSync(broken);
    const body = "#!/bin/sh\necho 'cannot execute: required file not found' >&2\nexit 126\n";
    writeFileSync(join(broken, asset), body);
    writeFileSync(join(broken, "SHA256SUMS"), `${new Bun.CryptoHasher("sha256").update(body).digest("hex")}  ${asset}\n`);
    server.dir = broken;
    try {
      const r = await install({ args: ["--prefix", "p"] });
      expect(r.code).toBe(1);
      expect(r.err).toContain(`the downloaded ${asset} does not run on this machine`);
      expect(r.err).toContain("cannot execute: required file not found");
      expect(readdirSync(join(r.sandbox, "p", "bin"))).toEqual([]);
      expect(r.tempLeft).toEqual([]);
    } finally {
      server.dir = release;
    }
  }, 60_000);

  test("refuses when SHA256SUMS has no checksum for this platform, before downloading the binary", async () => {
    server.sums = realSums
      .split("\n")
      .filter((line) => !line.endsWith(asset))
      .join("\n");
    server.requests.length = 0;
    try {
      const r = await install({ args: ["--prefix", "p"] });
      expect(r.code).toBe(1);
      expect(r.err).toContain(`has no checksum for ${asset}`);
      expect(server.requests).toEqual(["SHA256SUMS"]);
      expect(existsSync(join(r.sandbox, "p"))).toBe(false);
      expect(r.tempLeft).toEqual([]);
    } finally {
      server.sums = undefined;
    }
  }, 60_000);

  test("a release URL that serves nothing: the URL named, non-zero, nothing installed", async () => {
    const r = await install({ args: ["--prefix", "p"], releaseUrl: `${server.url}/v9.9.9` });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`could not download ${server.url}/v9.9.9/SHA256SUMS`);
    expect(existsSync(join(r.sandbox, "p"))).toBe(false);
    expect(r.tempLeft).toEqual([]);
  }, 60_000);

  test.each([
    ["FreeBSD", "amd64", "unsupported operating system 'FreeBSD'"],
    ["Linux", "riscv64", "unsupported architecture 'riscv64'"],
    ["Linux", "i686", "unsupported architecture 'i686'"],
    ["MINGW64_NT-10.0", "x86_64", "on Windows download"],
  ])(
    "%s %s is refused with a message, before any download",
    async (os, arch, message) => {
      server.requests.length = 0;
      const r = await install({ args: ["--prefix", "p"], path: [fakeUname(os, arch)] });
      expect(r.code).toBe(1);
      expect(r.err).toContain(message);
      expect(r.err).toContain("x64");
      expect(server.requests).toEqual([]);
      expect(existsSync(join(r.sandbox, "p"))).toBe(false);
    },
    60_000,
  );

  test("without sha256sum and shasum nothing is downloaded or installed", async () => {
    server.requests.length = 0;
    const r = await install({ args: ["--prefix", "p"], path: [toolbox([...BASICS, "curl"])], onlyPath: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain("neither sha256sum nor shasum");
    expect(server.requests).toEqual([]);
    expect(existsSync(join(r.sandbox, "p"))).toBe(false);
  }, 60_000);

  test("bad arguments are usage errors (exit 2) naming the argument", async () => {
    const unknown = await install({ args: ["--prefx", "p"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown argument '--prefx'");
    const empty = await install({ args: ["--prefix"] });
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("--prefix needs a directory");
    const help = await install({ args: ["--help"] });
    expect(help.code).toBe(0);
    expect(help.out).toContain("CONNECTOR_RELEASE_URL");
  }, 60_000);
});
