import type { Order, OrderBy, OrderType } from "./data/dataset";
import { parseTimestamp } from "./time";

/** One query parameter of an endpoint, as data: the parser and the error messages are made from it. */
export type ParamSpec =
  | { kind: "int"; min: number; max: number; default: number }
  | { kind: "choice"; values: readonly string[]; default: string }
  | { kind: "timestamp" }
  | { kind: "text" };

type ValueOf<P extends ParamSpec> = P extends { kind: "int" }
  ? number
  : P extends { kind: "choice" }
    ? string
    : P extends { kind: "timestamp" }
      ? number | undefined
      : string | undefined;
export type Params<S extends Record<string, ParamSpec>> = { [K in keyof S]: ValueOf<S[K]> };
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function describeInt(spec: { min: number; max: number }): string {
  return spec.max >= MAX_SAFE ? `a whole number of at least ${spec.min}` : `a whole number from ${spec.min} to ${spec.max}`;
}

function parseOne(name: string, text: string, spec: ParamSpec): Parsed<unknown> {
  const bad = (allowed: string): Parsed<unknown> => ({ ok: false, error: `Invalid value for '${name}': '${text}'. Use ${allowed}.` });
  switch (spec.kind) {
    case "int": {
      const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
      return value >= spec.min && value <= spec.max ? { ok: true, value } : bad(describeInt(spec));
    }
    case "choice":
      return spec.values.includes(text) ? { ok: true, value: text } : bad(spec.values.map((v) => `'${v}'`).join(" or "));
    case "timestamp": {
      const value = parseTimestamp(text);
      return value === undefined ? bad("a UTC time as YYYY-MM-DDTHH:MM:SSZ, e.g. 2024-01-31T23:59:59Z") : { ok: true, value };
    }
    case "text":
      return { ok: true, value: text };
  }
}

/**
 * Validates a query string against an endpoint's parameters: an unknown or repeated parameter, or a value out of
 * range, is an error that says what is wrong and what is allowed.
 */
export function parseQuery<S extends Record<string, ParamSpec>>(search: URLSearchParams, specs: S): Parsed<Params<S>> {
  const seen = new Set<string>();
  const values: Record<string, unknown> = {};
  for (const [name, text] of search) {
    if (!Object.hasOwn(specs, name)) {
      const allowed = Object.keys(specs);
      const list = allowed.length > 0 ? `Allowed parameters: ${allowed.join(", ")}.` : "This endpoint takes no parameters.";
      return { ok: false, error: `Unknown query parameter '${name}'. ${list}` };
    }
    if (seen.has(name)) return { ok: false, error: `Query parameter '${name}' was given more than once; give it once.` };
    seen.add(name);
    const parsed = parseOne(name, text, specs[name]!);
    if (!parsed.ok) return parsed;
    values[name] = parsed.value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (!seen.has(name) && "default" in spec) values[name] = spec.default;
  }
  return { ok: true, value: values as Params<S> };
}

/** The parameters every pagination endpoint shares. */
export const ORDER_PARAMS = {
  order_by: { kind: "choice", values: ["createdAt", "updatedAt"], default: "updatedAt" },
  order_type: { kind: "choice", values: ["asc", "desc"], default: "asc" },
  updated_since: { kind: "timestamp" },
} as const satisfies Record<string, ParamSpec>;

/** A page-size parameter: 1 to the server's maximum page size, default 10. */
export function pageSize(max: number): { kind: "int"; min: number; max: number; default: number } {
  return { kind: "int", min: 1, max, default: Math.min(10, max) };
}

export const COUNT_PARAM = { kind: "int", min: 0, max: MAX_SAFE, default: 0 } as const;
export const PAGE_PARAM = { kind: "int", min: 1, max: MAX_SAFE, default: 1 } as const;

export function orderOf(params: { order_by: string; order_type: string }): Order {
  return { by: params.order_by as OrderBy, type: params.order_type as OrderType };
}
