// The retry policy's defaults, named once: configuration.json's retry defaults (config/schema.ts), the HTTP
// client's tests and probe's shorter policy are all read from this object, so they cannot drift apart.

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Total time one request may spend retrying, from its first attempt. */
  maxElapsedMs: number;
  /** Per-attempt timeout (connect + headers + body). */
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = {
  maxAttempts: 100,
  maxElapsedMs: 300_000,
  timeoutMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};
