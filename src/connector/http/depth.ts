// A body nested deeper than any API's records is refused. A large body is scanned before JSON.parse builds it: a
// 60 MB body can nest 30 million levels, and the tree costs gigabytes before any later check sees it. A body of
// at most SCAN_FIRST_BYTES is parsed first and its tree walked: the tree is then small whatever its shape, and
// the walk touches only the parsed values, where the scan visits every byte (README, Performance).

/** Deeper than this is not an API's page (records nest a few levels); it is refused with a clear error. */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Bodies larger than this are scanned before they are parsed; smaller ones are parsed, then walked. */
export const SCAN_FIRST_BYTES = 1 << 20;

/** True when the JSON text in `bytes` opens more than `limit` arrays/objects at once (brackets in strings do not count). */
export function nestedDeeperThan(bytes: Uint8Array, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      let end = i;
      for (;;) {
        end = bytes.indexOf(QUOTE, end + 1);
        if (end < 0) return false; // an unterminated string: JSON.parse reports it
        let backslashes = 0;
        while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return false;
}

/**
 * True when a parsed value holds arrays/objects more than `limit` deep: the same answer as nestedDeeperThan on
 * its text (a value JSON.parse dropped for a repeated key is not in the tree, so it does not count).
 */
export function treeDeeperThan(root: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof root !== "object" || root === null) return false;
  // An explicit stack of (container, depth) pairs: recursion would overflow on the very input it looks for.
  const stack: unknown[] = [root, 1];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const value = stack.pop() as object;
    if (depth > limit) return true;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object" && item !== null) stack.push(item, depth + 1);
    } else {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === "object" && item !== null) stack.push(item, depth + 1);
      }
    }
  }
  return false;
}
