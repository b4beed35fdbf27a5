export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** Text lines (`level message key=value`) or JSON lines, to the sink given (stderr in the CLI). */
export function createLogger(format: "text" | "json", write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  return {
    log(level, message, fields = {}) {
      if (format === "json") {
        write(`${JSON.stringify({ time: now().toISOString(), level, message, ...fields })}\n`);
        return;
      }
      const extra = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${typeof value === "string" && /\s/.test(value) ? JSON.stringify(value) : value}`)
        .join(" ");
      write(`${level === "info" ? "" : `${level}: `}${message}${extra ? ` ${extra}` : ""}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
