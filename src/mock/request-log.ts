import type { MiddlewareHandler } from "hono";

/** One line per request: method, path, status and milliseconds, as text or as a JSON object. */
export function requestLog(log: (line: string) => void, format: "text" | "json", clock: () => number): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const time = new Date(clock()).toISOString();
    const entry = { time, method: c.req.method, path: c.req.path, status: c.res.status, ms };
    log(format === "json" ? JSON.stringify(entry) : `${time} ${entry.method} ${entry.path} ${entry.status} ${ms} ms`);
  };
}
