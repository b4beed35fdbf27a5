import * as v from "valibot";
import type { ResponseShape } from "../config/schema";
import { SyncError } from "../errors";
import type { Row } from "../store/types";
import { isCursorValue, notATimestamp, type CursorValue } from "./cursor";
import { nextLink } from "./link-header";

/** Where things live in a response (configuration `response`). */
export type { ResponseShape };

/** One validated page: past this point the code trusts its types. */
export interface Page {
  records: Row[];
  /** undefined: the API does not report it. */
  total?: number;
  totalPages?: number;
  /** undefined: the field is absent; null: present and empty (the end). */
  nextUrl?: string | null;
  nextToken?: string | null;
  /** The Link header's rel="next" (resolved), when the response has a Link header; null when it has no next. */
  linkNext?: string | null;
}

/** A key that holds the dots itself (OData's `@odata.nextLink`) is found whole before the path is split at them. */
function wholeKey(body: unknown, path: string): boolean {
  return path.includes(".") && typeof body === "object" && body !== null && !Array.isArray(body) && Object.hasOwn(body, path);
}

export function getPath(body: unknown, path: string): unknown {
  if (path === "") return body;
  if (wholeKey(body, path)) return (body as Record<string, unknown>)[path];
  let current: unknown = body;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function hasPath(body: unknown, path: string): boolean {
  if (path === "" || wholeKey(body, path)) return true;
  const parts = path.split(".");
  const parent = parts.length > 1 ? getPath(body, parts.slice(0, -1).join(".")) : body;
  return typeof parent === "object" && parent !== null && !Array.isArray(parent) && Object.hasOwn(parent, parts.at(-1) as string);
}

/** Each record a JSON object, checked without copying it (v.looseObject copies every record: a cost per row). */
const Records = v.array(v.custom<Row>((value) => typeof value === "object" && value !== null && !Array.isArray(value)));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Count_ = v.union([Count, v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))]);
const Link = v.nullable(v.string());
const Token = v.nullable(v.union([v.string(), v.pipe(v.number(), v.transform(String))]));

function field<T>(body: unknown, path: string, schema: v.GenericSchema<unknown, T>, what: string, where: string): T | undefined {
  if (!path || !hasPath(body, path)) return undefined;
  const value = getPath(body, path);
  const result = v.safeParse(schema, value);
  if (!result.success) throw new SyncError("bad_page", `${where}: '${path}' (${what}) has an unexpected value ${JSON.stringify(value)?.slice(0, 80)}`);
  return result.output;
}

/** Validates a response body against the configured shape. Throws SyncError naming the URL and the problem. */
/** The page a response holds: none at all for HTTP 204 (No Content), which some APIs send for an empty page. */
export function pageOf(response: { status: number; body: unknown; headers: Headers; url: string }, shape: ResponseShape, where: string): Page {
  return response.status === 204 ? { records: [] } : extractPage(response.body, response.headers, shape, where, response.url);
}

export function extractPage(body: unknown, headers: Headers, shape: ResponseShape, where: string, url: string): Page {
  // A top-level array can only be the records, whatever response.records says (GitHub-style APIs).
  const list = getPath(body, shape.records) ?? (Array.isArray(body) ? body : undefined);
  if (list === undefined) {
    const keys =
      typeof body === "object" && body !== null && !Array.isArray(body)
        ? Object.keys(body).slice(0, 10).join(", ")
        : Array.isArray(body)
          ? "(a top-level array)"
          : typeof body;
    throw new SyncError("bad_page", `${where}: no records at '${shape.records || "(the body)"}'; the response has ${keys || "nothing"} (set response.records)`);
  }
  const records = v.safeParse(Records, list);
  if (!records.success) {
    const items = Array.isArray(list) ? (list as unknown[]) : [];
    const bad = Array.isArray(list) ? items.findIndex((r) => typeof r !== "object" || r === null || Array.isArray(r)) : -1;
    throw new SyncError(
      "bad_page",
      `${where}: '${shape.records || "(the body)"}' must be an array of objects${bad >= 0 ? `; record ${bad} is ${JSON.stringify(items[bad])?.slice(0, 60)}` : `, got ${typeof list}`}`,
    );
  }
  // Every key is kept, __proto__ and constructor too (JSON.parse makes them own properties; the store reads own values).
  const page: Page = { records: records.output };
  const total = field(body, shape.total, Count, "total", where);
  if (total !== undefined) page.total = total;
  if (shape.total_header) {
    const header = headers.get(shape.total_header);
    if (header !== null) {
      if (!/^\d+$/.test(header.trim())) throw new SyncError("bad_page", `${where}: header ${shape.total_header} is not a count: '${header.slice(0, 40)}'`);
      page.total = Number(header.trim());
    }
  }
  const totalPages = field(body, shape.total_pages, Count_, "total pages", where);
  if (totalPages !== undefined) page.totalPages = totalPages;
  const nextUrl = field(body, shape.next_url, Link, "next URL", where);
  if (nextUrl !== undefined) page.nextUrl = nextUrl === "" || nextUrl === null ? null : resolve(nextUrl, url, where);
  const link = headers.get("link");
  if (link !== null) page.linkNext = nextLink(link, url);
  const nextToken = field(body, shape.next_token, Token, "next token", where);
  if (nextToken !== undefined) page.nextToken = nextToken === "" ? null : nextToken;
  return page;
}

function resolve(target: string, base: string, where: string): string {
  try {
    return new URL(target, base).href;
  } catch {
    throw new SyncError("bad_page", `${where}: the next URL ${JSON.stringify(target.slice(0, 80))} is not a URL`);
  }
}

/** Every record must carry its primary key and cursor; a page that breaks this fails whole (nothing written). */
export function checkRecords(records: readonly Row[], primaryKey: readonly string[], cursorField: string, where: string, maxRecordBytes = Infinity): void {
  // A response under the size limit can still hold one enormous record; measure only when it could matter.
  const measure = Number.isFinite(maxRecordBytes);
  records.forEach((record, i) => {
    if (measure) {
      let size: number;
      try {
        size = JSON.stringify(record).length;
      } catch {
        throw new SyncError("bad_record", `${where}: record ${i} is nested too deeply to store`);
      }
      if (size > maxRecordBytes) throw new SyncError("bad_record", `${where}: record ${i} is ${size} bytes, over limits.max_record_bytes (${maxRecordBytes})`);
    }
    for (const k of primaryKey) {
      const value = record[k];
      if (value === undefined || value === null || typeof value === "object")
        throw new SyncError("bad_record", `${where}: record ${i} has no usable primary key '${k}' (${shown(value)})`);
      if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) throw unsafeKey(k, value, i, where);
    }
    if (!isCursorValue(record[cursorField]))
      throw new SyncError(
        "bad_record",
        `${where}: record ${i} (${primaryKey.map((k) => record[k]).join(", ")}) has no usable cursor field '${cursorField}' (${shown(record[cursorField])})`,
      );
    const cursor = record[cursorField];
    if (typeof cursor === "number" && Number.isInteger(cursor) && !Number.isSafeInteger(cursor))
      throw new SyncError(
        "key_precision",
        `${where}: record ${i} has cursor field '${cursorField}' = ${BigInt(cursor)}, a number beyond 2^53 that JSON parsing cannot keep exact: sent back as a filter it could skip the rows just past it. Choose a timestamp field as cursor_field`,
      );
    const notTime = notATimestamp(record[cursorField] as CursorValue);
    if (notTime)
      throw new SyncError(
        "bad_record",
        `${where}: record ${i} (${primaryKey.map((k) => record[k]).join(", ")}) has cursor field '${cursorField}' = ${notTime}; choose a timestamp field as cursor_field`,
      );
  });
}

/**
 * A key written as a JSON number beyond 2^53 (Twitter's and Discord's 64-bit ids) has lost digits in parsing: two
 * records a few apart would share one key, and the later overwrite the earlier (rows missing, exit 0).
 */
function unsafeKey(field: string, value: number, i: number, where: string): SyncError {
  return new SyncError(
    "key_precision",
    `${where}: record ${i} has primary key '${field}' = ${BigInt(value)}, a number beyond 2^53 that JSON parsing cannot keep exact (the digits the API sent are lost, so two records could share a key): key the table by the API's string form of it (often '${field}_str'), or ask the API to send it as a string`,
  );
}

function shown(value: unknown): string {
  return value === undefined ? "the field is missing" : `got ${JSON.stringify(value).slice(0, 60)}`;
}

export function cursorOf(record: Row, cursorField: string): CursorValue {
  return record[cursorField] as CursorValue;
}

export function keyOf(record: Row, primaryKey: readonly string[]): string {
  return JSON.stringify(primaryKey.map((k) => record[k]));
}

/**
 * Equal (as Map keys) for two checked records exactly when their keyOf strings are equal, and cheaper: a one-field
 * key is its own identity (a string, number or boolean; JSON tells 1 from "1" as a Map does, and 0 from -0 as it
 * does not).
 */
export function identityOf(record: Row, primaryKey: readonly string[]): unknown {
  return primaryKey.length === 1 ? record[primaryKey[0] as string] : keyOf(record, primaryKey);
}

/**
 * A page that lists one row twice keeps its last copy (the API's newest word), so counts stay honest. Two different
 * records under one key mean the key does not identify a record (primary_key 'user_id' on orders): kept as one, the
 * others would be lost with exit 0, so that stops the sync.
 */
export function dedupe(rows: readonly Row[], primaryKey: readonly string[], where: string): Row[] {
  // Nearly every page has no repeat: a set of its keys says so for about half of what the map below costs.
  const keys = new Set<unknown>();
  for (const row of rows) keys.add(identityOf(row, primaryKey));
  if (keys.size === rows.length) return [...rows];
  const byKey = new Map<unknown, [number, Row]>();
  rows.forEach((row, i) => {
    const key = identityOf(row, primaryKey);
    const seen = byKey.get(key);
    if (seen) checkSameRecord(seen, [i, row], primaryKey, where);
    byKey.delete(key);
    byKey.set(key, [i, row]);
  });
  return [...byKey.values()].map(([, row]) => row);
}

function checkSameRecord([i, a]: [number, Row], [j, b]: [number, Row], primaryKey: readonly string[], where: string): void {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
  if (fields.length === 0) return;
  const key = primaryKey.map((k) => `${k}=${JSON.stringify(a[k])}`).join(", ");
  throw new SyncError(
    "key_not_unique",
    `${where}: records ${i} and ${j} share the primary key (${key}) but differ in ${fields
      .slice(0, 3)
      .map((f) => `'${f}'`)
      .join(", ")}${fields.length > 3 ? ` and ${fields.length - 3} more` : ""}: stored under one key, one of them would be lost. ` +
      `Set primary_key to the field or fields that identify one record (often 'id'); if the key is right, the API listed a record twice while it changed, and the next sync reads it again`,
  );
}
