// Runs the compiled binary: serve-mock on a free loopback port, and one-shot commands.
import { connectorBinary } from "./binary";

export interface RunningMock {
  url: string;
  stop(): Promise<void>;
}

/** Starts `connector serve-mock --port 0` and waits for its "Mock API listening on <url>" line. */
export async function startMockBinary(args: string[] = []): Promise<RunningMock> {
  const bin = await connectorBinary();
  const proc = Bun.spawn([bin, "serve-mock", "--port", "0", "--quiet", ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const reader = proc.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 15_000;
  while (!/Mock API listening on (\S+)/.test(text)) {
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`serve-mock did not start: ${text}`);
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve-mock exited: ${text}${await new Response(proc.stderr).text()}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream()).catch(() => {});
  const url = (text.match(/Mock API listening on (\S+)/) as RegExpMatchArray)[1] as string;
  return {
    url,
    async stop() {
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

export interface Finished {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary to completion (killed after `timeoutMs`). */
export async function runBinary(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<Finished> {
  const bin = await connectorBinary();
  const proc = Bun.spawn([bin, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  clearTimeout(timer);
  return { code: proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode), stdout, stderr };
}
