import { SignalReceived } from "../errors";

/** What a command may touch of the outside world. Only main.ts builds the real one. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** stderr is a terminal: progress bars and questions are allowed. */
  isTTY: boolean;
  /** Asks a yes/no question on a TTY; resolves false when there is no TTY. */
  confirm(question: string): Promise<boolean>;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  signal: AbortSignal;
  cwd: string;
}

/** An Io that records everything, for tests. */
export function memoryIo(overrides: Partial<Io> = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: {},
    isTTY: false,
    confirm: async () => false,
    signal: new AbortController().signal,
    cwd: process.cwd(),
    ...overrides,
  };
}

/** The shell's convention: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** The signal that aborted `io.signal`, if one did. */
export function receivedSignal(io: Io): "SIGINT" | "SIGTERM" | null {
  const reason: unknown = io.signal.aborted ? io.signal.reason : null;
  return reason instanceof SignalReceived ? reason.signalName : null;
}
