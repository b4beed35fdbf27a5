// Durations as people write them on a command line: 24h, 90m, 7d, 3600s.

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** Ten years: longer is a typo, and keeps every window inside Date's range. */
export const MAX_DURATION_SECONDS = 3650 * 86_400;

/** `<whole number><s|m|h|d>` (or a JSON number of seconds) as seconds; undefined when it is not one, or not 1s to 3650d. */
export function parseDuration(value: unknown): number | undefined {
  let seconds: number | undefined;
  if (typeof value === "number") seconds = value;
  else if (typeof value === "string") {
    const match = /^(\d{1,10})([smhd])$/.exec(value.trim());
    if (match) seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  }
  return seconds !== undefined && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_DURATION_SECONDS ? seconds : undefined;
}

/** Seconds for people: the two largest units, e.g. `3d 4h`, `45m`, `12s`. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size || (unit === "s" && parts.length === 0)) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.slice(0, 2).join(" ");
}
