import type { MiddlewareHandler } from "hono";
import { REQUESTS_PATH } from "./recent";

/** One line per request: method, path with its query string, status and milliseconds, as text or as a JSON object. */
export function requestLog(log: (line: string) => void, format: "text" | "json", clock: () => number): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The page's own polling (once a second) would drown the log.
    if (c.req.path === REQUESTS_PATH) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const time = new Date(clock()).toISOString();
    const url = new URL(c.req.url);
    const entry = { time, method: c.req.method, path: url.pathname + url.search, status: c.res.status, ms };
    log(format === "json" ? JSON.stringify(entry) : `${time} ${entry.method} ${entry.path} ${entry.status} ${ms} ms`);
  };
}
