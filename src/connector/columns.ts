import type { ColumnType } from "../config/schema";
import { SyncError } from "../errors";
import { jsonText, NestingError } from "../json-text";
import type { Row } from "../store/types";

type Convert = (value: unknown) => unknown;
const FAIL = Symbol("fail");

const integer: Convert = (value) => {
  if (typeof value === "number") return Number.isInteger(value) ? value : FAIL;
  if (typeof value === "string" && /^-?\d{1,19}$/.test(value.trim())) {
    const big = BigInt(value.trim());
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  return FAIL;
};

/**
 * ISO 8601 UTC; second precision stays second precision, so values compare as text. A fraction keeps its digits
 * (microseconds stay microseconds: Date keeps only milliseconds), padded to 3, 6 or 9.
 */
const utc: Convert = (value) => {
  let ms: number;
  let fraction = "";
  if (typeof value === "number") ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === "string" && /\d{4}-\d{2}-\d{2}/.test(value) && /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
    ms = Date.parse(value);
    fraction = /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.(\d+)/.exec(value)?.[1]?.replace(/0+$/, "") ?? "";
  } else return FAIL;
  if (!Number.isFinite(ms)) return FAIL;
  const iso = new Date(ms).toISOString();
  if (fraction.length > 3) return `${iso.slice(0, 20)}${fraction.padEnd(fraction.length > 6 ? 9 : 6, "0").slice(0, 9)}Z`;
  return ms % 1000 === 0 ? iso.replace(".000Z", "Z") : iso;
};

const CONVERT: Record<ColumnType, Convert> = {
  STRING: (v) => (typeof v === "string" ? v : typeof v === "object" ? jsonText(v) : String(v)),
  INT: integer,
  LONG: integer,
  DOUBLE: (v) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : FAIL),
  BOOLEAN: (v) => (typeof v === "boolean" ? v : v === 0 || v === 1 ? v === 1 : v === "true" || v === "false" ? v === "true" : FAIL),
  UTC_DATETIME: utc,
  NAIVE_DATETIME: (v) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? v : FAIL),
  JSON: (v) => jsonText(v),
};

/** Converts declared fields to their column's type; a value that does not fit fails the page and names it. */
export function convertRecords(records: readonly Row[], columns: Record<string, ColumnType>, where: string): Row[] {
  const declared = Object.entries(columns);
  if (declared.length === 0) return [...records];
  return records.map((record, i) => {
    const row: Row = { ...record };
    for (const [name, type] of declared) {
      const value = Object.hasOwn(record, name) ? record[name] : undefined; // never Object.prototype's toString
      if (value === null || value === undefined) continue;
      let converted: unknown;
      try {
        converted = CONVERT[type](value);
      } catch (error) {
        if (error instanceof NestingError) throw new SyncError("bad_record", `${where}: record ${i} field '${name}': ${error.message}`);
        throw error;
      }
      if (converted === FAIL)
        throw new SyncError("bad_record", `${where}: record ${i} field '${name}' is declared ${type} but has ${JSON.stringify(value)?.slice(0, 60)}`);
      if (name === "__proto__") Object.defineProperty(row, name, { value: converted, enumerable: true, writable: true, configurable: true });
      else row[name] = converted;
    }
    return row;
  });
}
