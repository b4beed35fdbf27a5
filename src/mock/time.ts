// Timestamps are whole seconds since the epoch inside the mock and `YYYY-MM-DDTHH:MM:SSZ` on the wire.

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const TWO: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const dayPrefixes = new Map<number, string>();

/** Parses `YYYY-MM-DDTHH:MM:SSZ` (a real calendar date, years 0001-9999) into epoch seconds, or undefined. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  return date.getTime() / 1000;
}

/** Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ`; called twice per generated row, so the date part is cached. */
export function formatTimestamp(seconds: number): string {
  const day = Math.floor(seconds / 86400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86400000).toISOString().slice(0, 11);
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const rest = seconds - day * 86400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest % 3600) / 60);
  return `${prefix}${TWO[hours]}:${TWO[minutes]}:${TWO[rest % 60]}Z`;
}

/** Whole seconds of a millisecond clock reading. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
