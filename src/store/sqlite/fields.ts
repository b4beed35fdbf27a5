// Record fields -> table columns, for any key an API can send. SQLite compares column names case-insensitively
// and cannot take NUL in a name, so: NUL becomes "_"; a field that matches a column only in case is that column
// (as SQLite would read it), unless the column is taken by a field of exactly its name on the same page, and then
// it is stored as "<field>_2" (_3, ...), the same column on every later page. Keys like toString, constructor,
// __proto__ and prototype are ordinary columns: values are read as own properties only.
import type { Row } from "../types";

export interface FieldMapping {
  /** The column of each field whose column is not its own name; empty when every field maps to itself. */
  renamed: Map<string, string>;
  /** Every column the page's rows fill, in order of first appearance. */
  columns: string[];
}

/** Fields of the rows in order of first appearance, those that are exactly a known column first. */
function fieldsOf(rows: readonly Row[], known: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return [...[...seen].filter((f) => known.has(f)), ...[...seen].filter((f) => !known.has(f))];
}

/** Maps the rows' fields to columns given the table's columns (`known`) and the names the connector keeps for itself. */
export function mapFields(rows: readonly Row[], known: ReadonlySet<string>, managed: ReadonlySet<string>): FieldMapping {
  const knownLower = new Map([...known].map((name) => [name.toLowerCase(), name]));
  const fields = fieldsOf(rows, known);
  const exact = new Set(fields);
  const claimed = new Set([...managed].map((name) => name.toLowerCase()));
  const renamed = new Map<string, string>();
  const columns: string[] = [];
  for (const field of fields) {
    if (managed.has(field)) continue; // the connector's own columns are never written from a record
    const base = field.replaceAll("\u0000", "_");
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      const lower = candidate.toLowerCase();
      if (claimed.has(lower)) continue;
      const existing = knownLower.get(lower);
      // A differently spelled column is this field's only when no field of exactly that name wants it.
      if (existing !== undefined && existing !== candidate && exact.has(existing)) continue;
      const column = existing ?? candidate;
      claimed.add(lower);
      columns.push(column);
      if (column !== field) renamed.set(field, column);
      break;
    }
  }
  return { renamed, columns };
}

/** A row's value for a column, own properties only (a missing toString is not Object.prototype.toString). */
export function ownValue(row: Row, column: string): unknown {
  return Object.hasOwn(row, column) ? row[column] : undefined;
}

/** True when some row has a field that is not exactly a column (cheaper than collecting every row's fields). */
export function hasNewField(rows: readonly Row[], known: ReadonlySet<string>): boolean {
  for (const row of rows) for (const name in row) if (!known.has(name)) return true;
  return false;
}

export { renameFields } from "../rows";
