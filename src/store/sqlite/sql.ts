import { jsonText, NestingError } from "../../json-text";
import { type ColumnType, DELETED, SYNCED_AT } from "../types";

export { DELETED, jsonText, NestingError, SYNCED_AT };

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

/** Declared column type for a first-seen value (the column keeps whatever later values arrive). */
export function sqlTypeOf(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "INTEGER" : "REAL";
  if (typeof value === "boolean") return "INTEGER";
  return "TEXT";
}

/** The SQLite type each declared (neutral) column type gets. */
export const SQL_TYPE: Record<ColumnType, string> = {
  STRING: "TEXT",
  INT: "INTEGER",
  LONG: "INTEGER",
  DOUBLE: "REAL",
  BOOLEAN: "INTEGER",
  UTC_DATETIME: "TEXT",
  NAIVE_DATETIME: "TEXT",
  JSON: "TEXT",
};
