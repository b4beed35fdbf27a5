// "did you mean …" for a mistyped command, flag or configuration key.

/** Levenshtein distance, with an early exit past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] as number;
}

/** The nearest candidate (ignoring case, - and _), if it is near enough to be a typo; else undefined. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const target = norm(word);
  const limit = Math.max(1, Math.min(3, Math.floor(target.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = distance(target, norm(candidate), limit);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** " (did you mean 'x'?)", or "" when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>, show: (s: string) => string = (s) => s): string {
  const found = nearest(word, candidates);
  return found === undefined ? "" : ` (did you mean '${show(found)}'?)`;
}
