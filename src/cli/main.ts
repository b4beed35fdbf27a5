#!/usr/bin/env bun
// The only file that reads argv, touches the real process and exits.
import { SignalReceived } from "../errors";
import { SIGNAL_EXIT_CODES, type Io } from "./io";
import { asksForVersion, versionOutput } from "./version";

// The version is asked for by scripts in a loop: answer it before loading (and evaluating) every command.
if (asksForVersion(process.argv.slice(2))) {
  process.stdout.write(versionOutput(process.argv.slice(2)));
  process.exit(0);
}

const controller = new AbortController();
let interrupts = 0;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupts++;
    // First signal: let the running command stop at a safe point. Second: leave at once.
    if (interrupts > 1) process.exit(SIGNAL_EXIT_CODES[sig]);
    controller.abort(new SignalReceived(sig));
  });
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  process.stderr.write(`${question} [y/N] `);
  for await (const line of console) return /^y(es)?$/i.test(line.trim());
  return false;
}

const io: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  confirm,
  signal: controller.signal,
  cwd: process.cwd(),
};

const { runCli } = await import("./run");
const code = await runCli(process.argv.slice(2), io);
process.exit(code);
