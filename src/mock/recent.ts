import type { MiddlewareHandler } from "hono";

/** One answered request, as the page's live log shows it. */
export interface RecentEntry {
  seq: number;
  time: string;
  method: string;
  /** Path and query string. */
  target: string;
  status: number;
  ms: number;
  /** The fault injected into this request (fail_500, throttled_429, slow, ...), if any. */
  fault: string | null;
}

/** The last `capacity` requests, for GET /_mock/requests; the page's own polling is left out. */
export class RecentRequests {
  private readonly entries: RecentEntry[] = [];
  private readonly faults = new WeakMap<Request, string>();
  private seq = 0;

  constructor(
    private readonly clock: () => number,
    private readonly capacity = 200,
  ) {}

  /** Fault middlewares call this with the raw request they answered. */
  fault(request: Request, kind: string): void {
    const before = this.faults.get(request);
    this.faults.set(request, before ? `${before}+${kind}` : kind);
  }

  /** Entries after `seq`, oldest first. */
  after(seq: number): RecentEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const url = new URL(c.req.url);
      if (url.pathname === REQUESTS_PATH) return;
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const fault = this.faults.get(c.req.raw) ?? null;
      this.entries.push({
        seq: ++this.seq,
        time: new Date(this.clock()).toISOString(),
        method: c.req.method,
        target: url.pathname + url.search,
        status: c.res.status,
        ms,
        fault,
      });
      if (this.entries.length > this.capacity) this.entries.shift();
    };
  }
}

export const REQUESTS_PATH = "/_mock/requests";
