import type { MiddlewareHandler } from "hono";
import { retryInstant } from "./retry-after";

export const FAULT_KINDS = ["fail_500", "fail_502", "fail_503", "throttled_429", "rate_limited_429", "truncated", "malformed", "slow"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Targets remembered at most (about 100 bytes each, so ~10 MB). Past it the least recently requested target is
 * forgotten, count and deadline, so a run over more distinct targets than this can under-count a forgotten one;
 * the running maximum already reached is kept.
 */
export const MAX_TARGETS = 100_000;
/** A retry this close to its deadline is not early: clocks on either side tick in coarse steps. */
export const EARLY_SLACK_MS = 20;

/** What GET /_mock/stats answers. */
export interface StatsJson {
  requests: number;
  faults: Record<FaultKind, number>;
  retry_after_sent: number;
  early_retries: number;
  max_requests_per_target: number;
  targets_tracked: number;
}

interface Target {
  count: number;
  /** Before this instant (ms) a request for the target is an early retry; 0 when there is none pending. */
  retryAt: number;
}

/** Server-side evidence that a client behaved: faults served, Retry-After sent and honoured, requests per target. */
export class MockStats {
  private requests = 0;
  private readonly faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  private retryAfterSent = 0;
  private earlyRetries = 0;
  private maxPerTarget = 0;
  // Keyed by a 64-bit hash of the target: a query string may be 8 KiB, and the cap must bound bytes, not entries.
  // The Map's order is least recently requested first (a request re-inserts its target).
  private readonly targets = new Map<number | bigint, Target>();

  constructor(
    private readonly clock: () => number,
    private readonly maxTargets = MAX_TARGETS,
  ) {}

  fault(kind: FaultKind): void {
    this.faults[kind]++;
  }

  /** A request for `target` (method, path and query) arrived: counts it, and whether it came too early. */
  arrive(target: string): Target {
    this.requests++;
    const key = Bun.hash(target);
    let record = this.targets.get(key);
    if (record) this.targets.delete(key);
    else {
      record = { count: 0, retryAt: 0 };
      if (this.targets.size >= this.maxTargets) this.evictOldest();
    }
    this.targets.set(key, record);
    record.count++;
    this.maxPerTarget = Math.max(this.maxPerTarget, record.count);
    if (record.retryAt !== 0) {
      if (this.clock() < record.retryAt - EARLY_SLACK_MS) this.earlyRetries++;
      else record.retryAt = 0;
    }
    return record;
  }

  /**
   * Forgets the least recently used hundredth at once: one iteration from the front of the Map, where deleted
   * entries would otherwise be stepped over again by every single eviction.
   */
  private evictOldest(): void {
    let left = Math.max(1, Math.floor(this.maxTargets / 100));
    for (const key of this.targets.keys()) {
      this.targets.delete(key);
      if (--left === 0) break;
    }
  }

  /** The answer for a target carried `retryAfter` (or none): a later request before the instant it names is early. */
  answered(record: Target, retryAfter: string | null): void {
    if (retryAfter === null) return;
    const at = retryInstant(retryAfter, this.clock());
    if (at === undefined) return;
    this.retryAfterSent++;
    record.retryAt = at;
  }

  toJSON(): StatsJson {
    return {
      requests: this.requests,
      faults: { ...this.faults },
      retry_after_sent: this.retryAfterSent,
      early_retries: this.earlyRetries,
      max_requests_per_target: this.maxPerTarget,
      targets_tracked: this.targets.size,
    };
  }
}

/** Outermost guard: sees every request and every answer, whichever middleware produced it. */
export function recordStats(stats: MockStats): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const record = stats.arrive(`${c.req.method} ${url.slice(url.indexOf("/", url.indexOf("//") + 2))}`);
    await next();
    stats.answered(record, c.res.headers.get("retry-after"));
  };
}
