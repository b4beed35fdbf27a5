// How the store ceiling's pages reach the writer (bench-ceiling.ts --replay): what it costs the writer's thread to
// turn a page's text into rows, timed with the writes.
//   objects  rows already built (the ceiling itself: nothing timed but the store)
//   parsed   JSON.parse of the page's text on the writer's thread (what the sync does today)
//   sliced   rows built from slices of the page's text at value offsets found beforehand (untimed), as a reader on
//            another thread could hand them over: the text crosses threads nearly free, offsets as one transfer
import type { Row } from "../src/store/types";

export const REPLAYS = ["objects", "parsed", "sliced"] as const;
export type Replay = (typeof REPLAYS)[number];

/**
 * What is prepared untimed for a page line ({"rows":[...],"state":{...}}, already parsed into `rows`), and what
 * turns it into rows, timed.
 */
export function replayOf(replay: Replay): (line: string, rows: Row[]) => () => Row[] {
  if (replay === "objects") return (_line, rows) => () => rows;
  if (replay === "parsed") return (line) => () => (JSON.parse(line) as { rows: Row[] }).rows;
  return (line, rows) => {
    const first = rows[0];
    if (!first) return () => [];
    const keys = Object.keys(first);
    const offsets = offsetsOf(line, rows, keys);
    return () => {
      const built = new Array<Row>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row: Row = {};
        for (let k = 0, at = r * keys.length * 2; k < keys.length; k++, at += 2) row[keys[k] as string] = line.slice(offsets[at], offsets[at + 1]);
        built[r] = row;
      }
      return built;
    };
  };
}

/** Where each row's string values sit in the line (flat rows of plain strings, all with the same keys in one order). */
function offsetsOf(line: string, rows: readonly Row[], keys: readonly string[]): Int32Array {
  const offsets = new Int32Array(rows.length * keys.length * 2);
  let at = line.indexOf("[") + 1;
  let o = 0;
  for (const row of rows) {
    const names = Object.keys(row);
    if (names.length !== keys.length || names.some((name, i) => name !== keys[i] || typeof row[name] !== "string"))
      throw new Error("--replay sliced takes flat rows of strings with the same keys (the mock's users)");
    for (const key of keys) {
      const start = line.indexOf(`${JSON.stringify(key)}:"`, at) + key.length + 4;
      const end = line.indexOf('"', start);
      if (line.slice(start, end) !== row[key]) throw new Error("--replay sliced takes strings without escapes");
      offsets[o++] = start;
      offsets[o++] = end;
      at = end + 1;
    }
  }
  return offsets;
}
