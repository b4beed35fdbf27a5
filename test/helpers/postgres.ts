// A real PostgreSQL server for the tests: initdb into a temporary folder, a free loopback port, trust auth, started
// once per test process and stopped (its folder removed) by a watchdog when that process is gone. When it cannot
// start, the tests that need it fail with a message that says how to get one: they never skip.
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { SQL } from "bun";

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The data folder (pg_ctl -D). */
  data: string;
  /** The folder of the server's binaries (psql, pg_ctl). */
  bin: string;
  /** Runs a server binary (pg_ctl, psql) as the server's owner; throws with its output when it fails. */
  run(tool: string, args: string[]): string;
  /** A new empty database; returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** `pg_ctl restart` (fast shutdown): every connection is dropped. */
  restart(): void;
}

const HOW_TO =
  "The PostgreSQL tests need PostgreSQL's server binaries (initdb, pg_ctl, postgres). Install them: " +
  "Debian/Ubuntu `apt-get install -y postgresql` (the binaries land in /usr/lib/postgresql/<version>/bin, found there), " +
  "macOS `brew install postgresql@15`; or set PG_BIN to the folder that holds initdb. The tests start and stop their own server.";

/** The folder of initdb/pg_ctl: $PG_BIN, PATH, or Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, "initdb"))) return process.env.PG_BIN;
  // A link on PATH (as this image has) points into the folder that also holds psql.
  const onPath = Bun.which("initdb");
  if (onPath) return dirname(realpathSync(onPath));
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

let started: Promise<TestPostgres> | undefined;

/** The test process's server, started on first use. Rejects (the test fails) with HOW_TO when it cannot start. */
export function testPostgres(): Promise<TestPostgres> {
  started ??= start().catch((error) => {
    throw new Error(`${HOW_TO}\nStarting it failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  return started;
}

async function start(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no initdb found");
  // initdb refuses to run as root: the server runs as the `postgres` user then, in a folder it owns.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? "postgres" : userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), "connector-pg-"));
  if (asRoot) chownSync(dir, Number(spawnSync("id", ["-u", owner]).stdout.toString().trim()), Number(spawnSync("id", ["-g", owner]).stdout.toString().trim()));
  const run = (tool: string, args: string[]): string => {
    const command = asRoot ? ["runuser", "-u", owner, "--", join(bin, tool), ...args] : [join(bin, tool), ...args];
    const result = spawnSync(command[0] as string, command.slice(1), { encoding: "utf8", cwd: dir, timeout: 60_000 });
    if (result.status !== 0)
      throw new Error(
        `${tool} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}): ${`${result.stdout}${result.stderr}`.trim().slice(-800)}`,
      );
    return result.stdout;
  };
  const data = join(dir, "data");
  // --no-sync and fsync=off: the tests kill the connector, never the server, so nothing here needs the disk.
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]);
  const port = freePort();
  const options = [
    `-c listen_addresses=127.0.0.1`,
    `-p ${port}`,
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ];
  const startServer = () => run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options.join(" "), "-w", "-t", "60", "start"]);
  startServer();
  // A watchdog outside this process stops the server and removes its folder once this process is gone, however
  // it ends (bun test's exit hooks do not run, and a killed runner runs none): no server outlives its tests.
  const pgCtl = asRoot ? `runuser -u ${owner} -- ${join(bin, "pg_ctl")}` : join(bin, "pg_ctl");
  const watchdog = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${pgCtl} -D '${data}' -m immediate stop >/dev/null 2>&1; rm -rf '${dir}'`;
  spawn("sh", ["-c", watchdog], { detached: true, stdio: "ignore" }).unref();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    data,
    bin,
    run,
    async createDatabase(prefix = "test") {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const admin = new SQL(url, { max: 1 });
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.close();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    restart() {
      run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-m", "fast", "-w", "-t", "60", "-o", options.join(" "), "restart"]);
    },
  };
}
