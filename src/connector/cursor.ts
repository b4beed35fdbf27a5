// Cursor values as APIs send them: ISO timestamps (strings) or numbers.

export type CursorValue = string | number;

export function isCursorValue(value: unknown): value is CursorValue {
  return (typeof value === "string" && value !== "") || (typeof value === "number" && Number.isFinite(value));
}

function epoch(value: string): number {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
}

/** Orders cursor values: numbers numerically, timestamps by instant (then text), anything else as text. */
export function compareCursor(a: CursorValue, b: CursorValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  const ea = epoch(sa);
  const eb = epoch(sb);
  if (!Number.isNaN(ea) && !Number.isNaN(eb) && ea !== eb) return ea - eb;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The playground's timestamp format: second precision, UTC, `Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The value minus the lookback window, for timestamps; other values are returned as they are. */
export function applyLookback(value: CursorValue, lookbackSeconds: number): CursorValue {
  if (lookbackSeconds <= 0 || typeof value !== "string") return value;
  const ms = epoch(value);
  if (Number.isNaN(ms)) return value;
  return formatTimestamp(Math.max(ms - lookbackSeconds * 1000, Date.parse("0001-01-01T00:00:00Z")));
}
