// A body nested deeper than any API's records is refused before JSON.parse builds it: a 60 MB body can nest 30
// million levels, and the tree costs gigabytes before any later check sees it. The scan skips strings with
// indexOf (native), so it costs little next to the parse itself (measured with the bench: see the commit).

/** Deeper than this is not an API's page (records nest a few levels); it is refused with a clear error. */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

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
