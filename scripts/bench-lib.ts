// Shared by the benches: the compiled serve-mock as a child process, a process's memory, and run statistics.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The compiled binary, or exit 2 telling how to build it. */
export function binaryPath(given: string | undefined, script: string): string {
  const bin = resolve(given ?? "dist/connector");
  if (!existsSync(bin)) {
    console.error(`${script}: ${bin} is missing: run 'bun scripts/build.ts' first`);
    process.exit(2);
  }
  return bin;
}

/** Current and peak resident memory of a running process (Linux /proc). */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb("VmRSS") / 1024), peakMb: Math.round(kb("VmHWM") / 1024) };
}

export interface MockProcess {
  proc: Bun.Subprocess<"ignore", "pipe", "inherit">;
  url: string;
  /** Spawn to the first 200 response. */
  startupMs: number;
  stop(): Promise<void>;
}

/** Starts `serve-mock` with a fixed seed and anchor and waits until it answers a page. */
export async function startMock(bin: string, records: number, maxPageSize = 1000): Promise<MockProcess> {
  const started = performance.now();
  const proc = Bun.spawn(
    [
      bin,
      "serve-mock",
      "--port",
      "0",
      "--quiet",
      "--records",
      String(records),
      "--seed",
      "1",
      "--now",
      "2024-06-01T00:00:00Z",
      "--max-page-size",
      String(maxPageSize),
    ],
    { stdout: "pipe", stderr: "inherit", stdin: "ignore" },
  );
  const reader = proc.stdout.getReader();
  let out = "";
  while (!out.includes("\n")) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`serve-mock exited before printing its URL: ${out}`);
    out += new TextDecoder().decode(chunk.value);
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream()).catch(() => {});
  const url = /^Mock API listening on (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`serve-mock printed no URL: ${out}`);
  for (let i = 0; i < 1000; i++) {
    const res = await fetch(`${url}/pagination/offset?limit=1`);
    await res.arrayBuffer();
    if (res.status === 200) break;
  }
  const startupMs = Math.round(performance.now() - started);
  return {
    proc,
    url,
    startupMs,
    async stop() {
      proc.kill("SIGINT");
      await proc.exited;
    },
  };
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}
