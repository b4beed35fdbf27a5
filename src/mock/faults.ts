import type { MiddlewareHandler } from "hono";
import type { Settings } from "./options";
import { Prng } from "./prng";
import { jsonError, jsonText } from "./respond";

const FAULTS = 2;
const FAIL_STATUSES = [500, 502, 503] as const;

/** What one request suffers. */
export interface FaultPlan {
  latencyMs: number;
  fail: (typeof FAIL_STATUSES)[number] | undefined;
  truncateAt: number | undefined;
  malformed: boolean;
}

/**
 * Injected faults, decided per request by a PRNG seeded from --seed: the same flags and the same sequence of
 * requests give the same faults. Every request draws the same number of values, whichever faults are on.
 */
export class Faults {
  private readonly rng: Prng;

  constructor(private readonly settings: Settings) {
    this.rng = new Prng(settings.seed, FAULTS);
  }

  enabled(): boolean {
    const s = this.settings;
    return s.latencyMs !== undefined || s.failRate > 0 || s.truncateRate > 0 || s.malformedRate > 0;
  }

  plan(): FaultPlan {
    const s = this.settings;
    const draw = () => this.rng.next();
    const [latency, fail, kind, truncate, cut, malformed] = [draw(), draw(), draw(), draw(), draw(), draw()];
    const [low, high] = s.latencyMs ?? [0, 0];
    return {
      latencyMs: low + Math.floor(latency * (high - low + 1)),
      fail: fail < s.failRate ? FAIL_STATUSES[Math.floor(kind * FAIL_STATUSES.length)] : undefined,
      // Cut somewhere in the middle 20-80% of the body.
      truncateAt: truncate < s.truncateRate ? 0.2 + cut * 0.6 : undefined,
      malformed: malformed < s.malformedRate,
    };
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const plan = this.plan();
      if (plan.latencyMs > 0) await this.settings.sleep(plan.latencyMs);
      if (plan.fail) {
        return jsonError(plan.fail, `Injected fault (--fail-rate): HTTP ${plan.fail}.`, plan.fail === 503 ? { "retry-after": "1" } : {});
      }
      await next();
      const isJsonPage = c.res.status === 200 && (c.res.headers.get("content-type") ?? "").startsWith("application/json");
      if (!isJsonPage || (plan.truncateAt === undefined && !plan.malformed)) return;
      const text = await c.res.text();
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
