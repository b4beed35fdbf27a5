/** When the connector last wrote a row (ISO text). */
export const SYNCED_AT = "_synced_at";

/** Quotes any string as a SQL identifier: names from configs and API records are never spliced in raw. */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type SqlValue = string | number | bigint | null | Uint8Array;

/** What SQLite stores for a JSON value: scalars as themselves, booleans as 0/1, objects and arrays as JSON text. */
export function toSqlValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value ? 1 : 0;
    case "bigint":
      return value;
    default:
      return jsonText(value);
  }
}

/** JSON text of a nested value; hostile nesting is a clear error, not a stack overflow. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) throw new NestingError();
    throw error;
  }
}

export class NestingError extends Error {
  constructor() {
    super("a value is nested too deeply to store as JSON text");
  }
}

/** Declared column type for a first-seen value (the column keeps whatever later values arrive). */
export function sqlTypeOf(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "INTEGER" : "REAL";
  if (typeof value === "boolean") return "INTEGER";
  return "TEXT";
}
