// The configuration's keys, read from the schema itself: for "did you mean" and `connector config --help`.
import * as v from "valibot";
import { ConfigSchema } from "./schema";

type Schema = { type?: string; entries?: Record<string, Schema>; wrapped?: Schema; options?: Schema[] };

/** The object schema inside optional/nullable wrappers, or undefined for anything else. */
function objectOf(schema: Schema | undefined): Schema | undefined {
  let current = schema;
  while (current && !current.entries && current.wrapped) current = current.wrapped;
  return current?.entries ? current : undefined;
}

/** The keys allowed at a path ([] is the top level; ["retry"] the retry block), empty when unknown. */
export function keysAt(path: readonly string[]): string[] {
  let schema = objectOf(ConfigSchema as unknown as Schema);
  for (const key of path) schema = objectOf(schema?.entries?.[key]);
  return Object.keys(schema?.entries ?? {});
}

/** Every key as a dotted path with its default (base_url has none; auth is a block of its own). */
export function keysWithDefaults(): [string, unknown][] {
  const defaults = v.parse(ConfigSchema, { base_url: "http://example.test" }) as Record<string, unknown>;
  const rows: [string, unknown][] = [];
  for (const key of keysAt([])) {
    const nested = keysAt([key]);
    if (nested.length > 0 && key !== "auth") for (const inner of nested) rows.push([`${key}.${inner}`, (defaults[key] as Record<string, unknown>)[inner]]);
    else rows.push([key, key === "base_url" ? undefined : defaults[key]]);
  }
  return rows;
}
