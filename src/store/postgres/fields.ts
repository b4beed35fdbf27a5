// Record fields -> PostgreSQL columns. Quoted identifiers are case-sensitive, so a field is its own column, except
// that PostgreSQL takes no NUL in a name (it becomes "_") and cuts names at 63 bytes (a longer field keeps its
// start and gains a hash of the whole); a field that would then land on another field's column is "<name>_2".
// Keys like toString or __proto__ are ordinary columns: values are read as own properties only.
import type { Row } from "../types";

/** PostgreSQL cuts identifiers at 63 bytes. */
const MAX_NAME_BYTES = 63;

export interface FieldMapping {
  /** The column of each field whose column is not its own name. */
  renamed: Map<string, string>;
  /** Every column the page's rows fill, in order of first appearance. */
  columns: string[];
}

/** Quotes any string as an identifier: names from configs and API records are never spliced in raw. */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A name PostgreSQL keeps as it is: no NUL, at most 63 bytes (longer ones keep their start and gain a hash). */
export function fittedName(name: string): string {
  const clean = name.replaceAll("\u0000", "_");
  if (Buffer.byteLength(clean) <= MAX_NAME_BYTES) return clean;
  const hash = new Bun.CryptoHasher("sha1").update(name).digest("hex").slice(0, 8);
  let head = clean;
  while (Buffer.byteLength(head) > MAX_NAME_BYTES - 9) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/** True when some row has a field that is not exactly a column (cheaper than mapping every page). */
export function hasNewField(rows: readonly Row[], known: ReadonlySet<string>): boolean {
  for (const row of rows) for (const name in row) if (!known.has(name)) return true;
  return false;
}

/** Maps the page's fields to columns given the table's columns; the connector's own names are never a field's. */
export function mapFields(rows: readonly Row[], known: ReadonlySet<string>, managed: ReadonlySet<string>): FieldMapping {
  const fields = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) fields.add(name);
  const claimed = new Map<string, string>();
  const renamed = new Map<string, string>();
  // Fields that are exactly a column keep it first; the others take their fitted name, or the next free one.
  const ordered = [...[...fields].filter((f) => known.has(f)), ...[...fields].filter((f) => !known.has(f))];
  for (const field of ordered) {
    if (managed.has(field)) continue;
    const base = fittedName(field);
    let column = base;
    for (let n = 2; managed.has(column) || (claimed.has(column) && claimed.get(column) !== field); n++) column = fittedName(`${base}_${n}`);
    claimed.set(column, field);
    if (column !== field) renamed.set(field, column);
  }
  return { renamed, columns: [...claimed.keys()] };
}

export { renameFields } from "../rows";
