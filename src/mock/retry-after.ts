// Retry-After values (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.

/** An IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`: ECMAScript defines Date#toUTCString as exactly this form. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * When a throttled client may retry: the next whole second plus one. An HTTP-date has whole seconds, so a date just
 * one second ahead could round to the past by the time it is read; this one is always 1 to 2 s ahead.
 */
export function throttledUntil(now: number): number {
  return (Math.floor(now / 1000) + 2) * 1000;
}

/** The instant a Retry-After value names when sent at `now` (ms since epoch); undefined if it is neither form. */
export function retryInstant(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return now + Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}
