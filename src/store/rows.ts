// What every store does to a page's rows before its own SQL: renamed fields moved under their columns, and the
// values that do not fit their column's type counted (reported as schema changes, never dropped).
import type { Row, TypeConflict } from "./types";

/** The rows with renamed fields under their columns (rows without such fields are returned as they are). */
export function renameFields(rows: readonly Row[], renamed: ReadonlyMap<string, string>): readonly Row[] {
  if (renamed.size === 0) return rows;
  return rows.map((row) => {
    if (!Object.keys(row).some((name) => renamed.has(name))) return row;
    const out: Row = {};
    for (const [name, value] of Object.entries(row))
      Object.defineProperty(out, renamed.get(name) ?? name, { value, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/**
 * Every value of the page that does not fit its column, grouped by column and kind of misfit. `typeOf` gives the
 * column's type, or undefined for a column any value fits; `misfit` names what a value is instead, or null.
 */
export function typeConflicts<T extends string>(
  rows: readonly Row[],
  names: readonly string[],
  typeOf: (name: string) => T | undefined,
  misfit: (value: unknown, type: T) => string | null,
): TypeConflict[] {
  const found: TypeConflict[] = [];
  for (const name of names) {
    const type = typeOf(name);
    if (type === undefined) continue;
    const byKind = new Map<string, TypeConflict>();
    for (const row of rows) {
      const value = Object.hasOwn(row, name) ? row[name] : undefined; // never Object.prototype's toString
      const kind = misfit(value, type);
      if (kind === null) continue;
      const conflict = byKind.get(kind);
      if (conflict) conflict.count++;
      else
        byKind.set(kind, {
          column: name,
          declared: type,
          found: kind,
          count: 1,
          sample: String(typeof value === "object" ? JSON.stringify(value) : value).slice(0, 40),
        });
    }
    found.push(...byKind.values());
  }
  return found;
}
