import type { MiddlewareHandler } from "hono";
import { jsonError } from "./respond";

/** A token bucket on an injected clock: `capacity` requests at once, refilled at `refillPerSec`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSec: number,
    private readonly clock: () => number,
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  /** Takes one token: 0 when granted, else the whole seconds until one is available (at least 1). */
  take(): number {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, now - this.last) / 1000) * this.refillPerSec);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.refillPerSec));
  }
}

/** Over the limit: 429 with Retry-After in seconds, like the playground's --rate-limit. */
export function rateLimit(bucket: TokenBucket, onLimited: (request: Request) => void = () => {}): MiddlewareHandler {
  return async (c, next) => {
    const wait = bucket.take();
    if (wait > 0) {
      onLimited(c.req.raw);
      return jsonError(429, `Rate limit exceeded: retry after ${wait} s.`, { "retry-after": String(wait) });
    }
    await next();
  };
}
