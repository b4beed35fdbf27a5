import type { MiddlewareHandler } from "hono";
import type { Settings } from "./options";
import { Prng } from "./prng";
import { jsonError, jsonText } from "./respond";
import { formatHttpDate, throttledUntil } from "./retry-after";
import type { FaultKind } from "./stats";

const FAULTS = 2;
// Throttling and slow answers draw from a stream of their own, so every seed's older faults stay as they were.
const MORE_FAULTS = 4;
const FAIL_STATUSES = [500, 502, 503] as const;

/** What one request suffers. */
export interface FaultPlan {
  latencyMs: number;
  fail: (typeof FAIL_STATUSES)[number] | undefined;
  truncateAt: number | undefined;
  malformed: boolean;
  throttle: boolean;
  /** Added to latencyMs when the request is one of --slow-rate's. */
  slow: boolean;
  slowMs: number;
}

/**
 * Injected faults, decided per request by a PRNG seeded from --seed: the same flags and the same sequence of
 * requests give the same faults. Every request draws the same number of values from each stream, whichever faults
 * are on.
 */
export class Faults {
  private readonly rng: Prng;
  private readonly moreRng: Prng;

  constructor(
    private readonly settings: Settings,
    private readonly count: (kind: FaultKind, request: Request) => void = () => {},
  ) {
    this.rng = new Prng(settings.seed, FAULTS);
    this.moreRng = new Prng(settings.seed, MORE_FAULTS);
  }

  enabled(): boolean {
    const s = this.settings;
    return s.latencyMs !== undefined || s.failRate > 0 || s.truncateRate > 0 || s.malformedRate > 0 || s.throttleRate > 0 || s.slowRate > 0;
  }

  plan(): FaultPlan {
    const s = this.settings;
    const draw = () => this.rng.next();
    const [latency, fail, kind, truncate, cut, malformed] = [draw(), draw(), draw(), draw(), draw(), draw()];
    const [low, high] = s.latencyMs ?? [0, 0];
    const more = () => this.moreRng.next();
    const [throttle, slow, slowAt] = [more(), more(), more()];
    const [slowLow, slowHigh] = s.slowMs;
    return {
      latencyMs: low + Math.floor(latency * (high - low + 1)),
      fail: fail < s.failRate ? FAIL_STATUSES[Math.floor(kind * FAIL_STATUSES.length)] : undefined,
      // Cut somewhere in the middle 20-80% of the body.
      truncateAt: truncate < s.truncateRate ? 0.2 + cut * 0.6 : undefined,
      malformed: malformed < s.malformedRate,
      throttle: throttle < s.throttleRate,
      slow: slow < s.slowRate,
      slowMs: slow < s.slowRate ? slowLow + Math.floor(slowAt * (slowHigh - slowLow + 1)) : 0,
    };
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const plan = this.plan();
      if (plan.slow) this.count("slow", c.req.raw);
      // A timer, not a busy wait: other requests go on meanwhile; if the client leaves, the answer is just dropped.
      if (plan.latencyMs + plan.slowMs > 0) await this.settings.sleep(plan.latencyMs + plan.slowMs);
      if (plan.fail) {
        this.count(`fail_${plan.fail}`, c.req.raw);
        return jsonError(plan.fail, `Injected fault (--fail-rate): HTTP ${plan.fail}.`, plan.fail === 503 ? { "retry-after": "1" } : {});
      }
      if (plan.throttle) {
        this.count("throttled_429", c.req.raw);
        const date = formatHttpDate(throttledUntil(this.settings.clock()));
        return jsonError(429, `Injected fault (--throttle-rate): HTTP 429, retry after ${date}.`, { "retry-after": date });
      }
      await next();
      const isJsonPage = c.res.status === 200 && (c.res.headers.get("content-type") ?? "").startsWith("application/json");
      if (!isJsonPage || (plan.truncateAt === undefined && !plan.malformed)) return;
      const text = await c.res.text();
      this.count(plan.truncateAt !== undefined ? "truncated" : "malformed", c.req.raw);
      if (plan.truncateAt !== undefined) c.res = truncated(text, plan.truncateAt);
      // A trailing comma: the whole body arrives, with a correct length, and still is not JSON.
      else c.res = jsonText(`${text.slice(0, -1)},}`);
    };
  }
}

/**
 * Status 200 and the first part of the body, then the stream errors, so the server resets the connection. The error
 * comes a moment later (so the head and the part are flushed first) and carries no Error: Bun prints an errored
 * response stream's Error with a code frame on stderr, which would drown the request log.
 */
function truncated(text: string, fraction: number): Response {
  const bytes = new TextEncoder().encode(text);
  const cut = Math.max(1, Math.floor(bytes.length * fraction));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes.subarray(0, cut));
        return;
      }
      await Bun.sleep(1);
      controller.error(undefined);
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
}
