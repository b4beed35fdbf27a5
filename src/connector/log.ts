import { escapeControl, safeJson } from "./escape";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/**
 * Text lines (`level message key=value`) or JSON lines, to the sink given (stderr in the CLI). `debug` lines (one
 * per page) only with `verbose`. Every line is escaped (escape.ts): what an API sent cannot reach a terminal raw.
 */
export function createLogger(format: "text" | "json", write: (line: string) => void, now: () => Date = () => new Date(), verbose = true): Logger {
  return {
    log(level, message, fields = {}) {
      if (level === "debug" && !verbose) return;
      if (format === "json") {
        write(`${safeJson({ time: now().toISOString(), level, message, ...fields })}\n`);
        return;
      }
      const extra = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${typeof value === "string" && /\s/.test(value) ? JSON.stringify(value) : value}`)
        .join(" ");
      const prefix = level === "info" || level === "debug" ? "" : `${level}: `;
      write(`${escapeControl(`${prefix}${message}${extra ? ` ${extra}` : ""}`)}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
