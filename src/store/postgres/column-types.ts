// PostgreSQL column types: the configuration's declared types mapped, an undeclared column typed by its first value,
// and the check of a page's values against their columns. A value PostgreSQL cannot hold in its column (text in a
// bigint) would fail the whole page, so the column is widened first and the page reports it as a type conflict.
import { typeConflicts } from "../rows";
import type { ColumnType, Row, TypeConflict } from "../types";

export type PgType = "text" | "bigint" | "double precision" | "boolean" | "timestamptz" | "timestamp" | "jsonb";

export const PG_TYPE: Record<ColumnType, PgType> = {
  STRING: "text",
  INT: "bigint",
  LONG: "bigint",
  DOUBLE: "double precision",
  BOOLEAN: "boolean",
  UTC_DATETIME: "timestamptz",
  NAIVE_DATETIME: "timestamp",
  JSON: "jsonb",
};

/** information_schema's data_type → ours (anything else a user changed a column to is treated as text). */
export function pgTypeOf(dataType: string): PgType {
  switch (dataType) {
    case "bigint":
    case "integer":
    case "smallint":
      return "bigint";
    case "double precision":
    case "real":
    case "numeric":
      return "double precision";
    case "boolean":
      return "boolean";
    case "timestamp with time zone":
      return "timestamptz";
    case "timestamp without time zone":
      return "timestamp";
    case "jsonb":
    case "json":
      return "jsonb";
    default:
      return "text";
  }
}

/** ISO 8601 date and time; with a zone (Z or an offset) it is an instant. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const INTEGER_TEXT = /^\s*[+-]?\d{1,18}\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const BOOLEAN_TEXT = /^\s*(t|f|true|false|y|yes|n|no|on|off|1|0)\s*$/i;

/** The type a column takes from its first non-null value (null alone: text). */
export function typeOfFirst(value: unknown): PgType {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? "bigint" : "double precision";
    case "boolean":
      return "boolean";
    case "string": {
      const match = DATE_TIME.exec(value);
      if (!match || Number.isNaN(Date.parse(value))) return "text";
      return match[1] ? "timestamptz" : "timestamp";
    }
    case "object":
      return value === null ? "text" : "jsonb";
    default:
      return "text";
  }
}

/** What a value is when it does not fit `type` (DOUBLE, TEXT, JSON, ...), or null when PostgreSQL takes it. */
export function misfit(value: unknown, type: PgType): string | null {
  if (value === null || value === undefined || type === "text" || type === "jsonb") return null;
  if (typeof value === "number" && !Number.isFinite(value)) return null; // JSON has no NaN: it arrives as null
  const kind =
    typeof value === "object"
      ? "JSON"
      : typeof value === "boolean"
        ? "BOOLEAN"
        : typeof value === "number"
          ? Number.isInteger(value)
            ? "INT"
            : "DOUBLE"
          : "TEXT";
  switch (type) {
    case "bigint":
      if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? null : "DOUBLE";
      if (typeof value === "string") return INTEGER_TEXT.test(value) ? null : NUMBER_TEXT.test(value) ? "DOUBLE" : "TEXT";
      return kind;
    case "double precision":
      return typeof value === "number" || (typeof value === "string" && NUMBER_TEXT.test(value)) ? null : kind;
    case "boolean":
      return typeof value === "boolean" || value === 0 || value === 1 || (typeof value === "string" && BOOLEAN_TEXT.test(value)) ? null : kind;
    case "timestamptz":
    case "timestamp":
      return typeof value === "string" && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? null : kind;
  }
}

/** The narrowest type that holds both the column's values and a misfit: a fraction in a bigint makes it double. */
export function widened(type: PgType, found: string): PgType {
  return type === "bigint" && found === "DOUBLE" ? "double precision" : "text";
}

/** Every value of the page that does not fit its column (text and jsonb take anything), grouped by column and kind. */
export function findMisfits(rows: readonly Row[], types: ReadonlyMap<string, PgType>, names: readonly string[]): TypeConflict[] {
  const typeOf = (name: string) => {
    const type = types.get(name);
    return type === "text" || type === "jsonb" ? undefined : type;
  };
  return typeConflicts(rows, names, typeOf, misfit);
}
