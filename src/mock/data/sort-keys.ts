/**
 * Orders row indexes by (updatedAt, id) for the initial bulk load: SQLite appends presorted rows to a b-tree far
 * faster than it inserts random ones, and a comparator sort of a million indexes takes about a second here. An LSD
 * radix sort over (updatedAt offset, first id word) in four 16-bit passes takes tens of milliseconds; the rare rows
 * that tie on both are then put in full id order.
 */
export function sortByUpdatedAndId(updatedAt: Float64Array, start: number, words: Uint32Array): Uint32Array {
  const n = updatedAt.length;
  let src = new Uint32Array(n);
  let dst = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  const digits = new Uint16Array(n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 0; i < n; i++) {
      const value = pass < 2 ? words[i * 4]! : updatedAt[i]! - start;
      digits[i] = pass % 2 === 0 ? value & 0xffff : value >>> 16;
    }
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[digits[i]!]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const row = src[k]!;
      dst[counts[digits[row]!]!++] = row;
    }
    [src, dst] = [dst, src];
  }
  settleTies(src, updatedAt, words);
  return src;
}

function compareIds(words: Uint32Array, a: number, b: number): number {
  for (let w = 0; w < 4; w++) {
    const d = words[a * 4 + w]! - words[b * 4 + w]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Insertion sort on runs equal in (updatedAt, first id word): runs are almost always of length one. */
function settleTies(order: Uint32Array, updatedAt: Float64Array, words: Uint32Array): void {
  for (let k = 1; k < order.length; k++) {
    let j = k;
    while (j > 0) {
      const a = order[j - 1]!;
      const b = order[j]!;
      if (updatedAt[a] !== updatedAt[b] || words[a * 4] !== words[b * 4] || compareIds(words, a, b) <= 0) break;
      order[j - 1] = b;
      order[j] = a;
      j--;
    }
  }
}
