import { typeConflicts } from "../rows";
import type { Database } from "bun:sqlite";
import { columnsOf } from "./schema";
import type { Row, TypeConflict } from "../types";

type Numeric = "INTEGER" | "REAL";
/** Text SQLite turns into a number in a numeric column. */
const NUMERIC_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** SQLite's affinity rules, for the two numeric affinities a value can silently break (TEXT takes anything). */
function numericAffinity(declared: string): Numeric | null {
  const type = declared.toUpperCase();
  if (type.includes("INT")) return "INTEGER";
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return "REAL";
  return null;
}

/** What a value is when its column is numeric, or null when it fits (SQLite converts numeric text losslessly). */
function misfit(value: unknown, affinity: Numeric): string | null {
  switch (typeof value) {
    case "number":
      return affinity === "INTEGER" && !Number.isInteger(value) ? "REAL" : null;
    case "boolean":
    case "bigint":
    case "undefined":
      return null;
    case "string":
      if (!NUMERIC_TEXT.test(value)) return "TEXT";
      return affinity === "INTEGER" && !Number.isInteger(Number(value)) ? "REAL" : null;
    default:
      return value === null ? null : "JSON";
  }
}

/**
 * The declared types of each table's numeric columns, read once, and the check of a page against them: SQLite
 * keeps text in an INTEGER column without a word, so the connector says it instead (Fivetran reports such changes).
 */
export class ColumnTypes {
  private readonly numeric = new Map<string, Map<string, Numeric>>();

  conflicts(db: Database, table: string, rows: readonly Row[], names: readonly string[]): TypeConflict[] {
    const columns = this.of(db, table);
    if (columns.size === 0) return [];
    return typeConflicts(rows, names, (name) => columns.get(name), misfit);
  }

  /** Forgets what was read: a table was created, widened or dropped. */
  forget(): void {
    this.numeric.clear();
  }

  private of(db: Database, table: string): Map<string, Numeric> {
    let columns = this.numeric.get(table);
    if (!columns) {
      columns = new Map();
      for (const { name, type } of columnsOf(db, table)) {
        const affinity = numericAffinity(type);
        if (affinity) columns.set(name, affinity);
      }
      this.numeric.set(table, columns);
    }
    return columns;
  }
}
