// The retry policy is data; computing a delay is a pure function (STYLE.md, after ky/ofetch).

// The policy's shape and defaults live with the configuration they default (config sits below connector).
import type { RetryPolicy } from "../../config/retry-defaults";
export { DEFAULT_RETRY, type RetryPolicy } from "../../config/retry-defaults";

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable; a date in the past is 0.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential ceiling, but never
 * less than the server's Retry-After.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jitter : Math.max(retryAfterMs, jitter);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Whether to try again after a retryable failure, given how much of the budget is spent. */
export function decideRetry(policy: RetryPolicy, attempt: number, elapsedMs: number, retryAfterMs: number | undefined, random: () => number): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} ${attempt === 1 ? "attempt" : "attempts"}` };
  const delayMs = retryDelay(policy, attempt, retryAfterMs, random);
  if (elapsedMs + delayMs > policy.maxElapsedMs) {
    const why =
      retryAfterMs !== undefined && retryAfterMs === delayMs
        ? `the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After)`
        : `the next wait of ${Math.ceil(delayMs / 1000)} s`;
    return { retry: false, reason: `gave up after ${attempt} attempts: ${why}, past the retry budget of ${Math.round(policy.maxElapsedMs / 1000)} s` };
  }
  return { retry: true, delayMs };
}
