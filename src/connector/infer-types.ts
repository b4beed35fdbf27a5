// Column types for the fields of a page of records, in Fivetran's names, and the fields that could serve as the
// primary key and the cursor. Every record of the page is looked at, not only the first.
import type { ColumnType } from "../config/schema";
import type { Row } from "../store/types";

export interface FieldInfo {
  name: string;
  type: ColumnType;
  /** null, or missing, in at least one record of the page. */
  nullable: boolean;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** ISO 8601 date and time, optionally with a zone; the zone decides UTC_DATETIME or NAIVE_DATETIME. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function timestampType(text: string): ColumnType | null {
  const match = DATE_TIME.exec(text);
  if (!match || Number.isNaN(Date.parse(text))) return null;
  return match[1] ? "UTC_DATETIME" : "NAIVE_DATETIME";
}

/** The type of one non-null JSON value. */
export function typeOfValue(value: unknown): ColumnType {
  if (typeof value === "boolean") return "BOOLEAN";
  if (typeof value === "number") return !Number.isInteger(value) ? "DOUBLE" : value >= INT_MIN && value <= INT_MAX ? "INT" : "LONG";
  if (typeof value === "string") return timestampType(value) ?? "STRING";
  return "JSON";
}

const INTEGERS: ReadonlySet<ColumnType> = new Set(["INT", "LONG"]);
const NUMBERS: ReadonlySet<ColumnType> = new Set(["INT", "LONG", "DOUBLE"]);

/** The narrowest type that holds both: INT and LONG make LONG, numbers make DOUBLE, anything else mixed is STRING. */
function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (INTEGERS.has(a) && INTEGERS.has(b)) return "LONG";
  if (NUMBERS.has(a) && NUMBERS.has(b)) return "DOUBLE";
  return "STRING";
}

/** Every field of the records, in the order they first appear; a field that is always null is a nullable STRING. */
export function inferFields(records: readonly Row[]): FieldInfo[] {
  const seen = new Map<string, { type: ColumnType | null; nulls: boolean; count: number }>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      const field = seen.get(name) ?? { type: null, nulls: false, count: 0 };
      field.count++;
      if (value === null || value === undefined) field.nulls = true;
      else field.type = field.type === null ? typeOfValue(value) : widen(field.type, typeOfValue(value));
      seen.set(name, field);
    }
  }
  return [...seen].map(([name, f]) => ({ name, type: f.type ?? "STRING", nullable: f.nulls || f.count < records.length }));
}

const KEY_NAME = (name: string) => /^(id|uuid|key)$/i.test(name) || /_id$/i.test(name) || /[a-z0-9](Id|ID)$/.test(name);
const keyRank = (name: string) => (name === "id" ? 0 : /^(id|uuid|key)$/i.test(name) ? 1 : 2);

/** Fields named like a key (id, uuid, key, *_id, *Id) whose values on the page are present, scalar and unique; `id` first. */
export function primaryKeyCandidates(records: readonly Row[], fields: readonly FieldInfo[]): string[] {
  if (records.length === 0) return [];
  const unique = (name: string) => {
    const values = records.map((r) => r[name]);
    if (!values.every((v) => typeof v === "string" || typeof v === "number")) return false;
    return new Set(values.map((v) => JSON.stringify(v))).size === values.length;
  };
  return fields
    .filter((f) => KEY_NAME(f.name) && !f.nullable && unique(f.name))
    .map((f) => f.name)
    .sort((a, b) => keyRank(a) - keyRank(b));
}

const CHANGE_NAME = (name: string) => /updated|modified|changed/i.test(name) || /^last(_|[A-Z])/.test(name) || /^Last[A-Z_]/.test(name);

/** Timestamps present in every record: those named like a change time (updated, modified, changed, last_*) first. */
export function cursorCandidates(fields: readonly FieldInfo[]): string[] {
  const timestamps = fields.filter((f) => (f.type === "UTC_DATETIME" || f.type === "NAIVE_DATETIME") && !f.nullable).map((f) => f.name);
  return [...timestamps.filter(CHANGE_NAME), ...timestamps.filter((name) => !CHANGE_NAME(name))];
}
