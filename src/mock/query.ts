import type { Context, MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import type { Order, OrderBy, OrderType } from "./data/dataset";
import { jsonError } from "./respond";
import { parseTimestamp } from "./time";

/** One query parameter of an endpoint, as data: its valibot schema, the catalog and /openapi.json are made from it. */
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

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function describeInt(spec: { min: number; max: number }): string {
  return spec.max >= MAX_SAFE ? `a whole number of at least ${spec.min}` : `a whole number from ${spec.min} to ${spec.max}`;
}

/**
 * One parameter's text as a valibot schema. hono hands a repeated parameter over as an array, which the leading
 * `string` rejects with the "more than once" message; a bad text fails the check, whose message quotes it.
 */
function valueSchema(name: string, spec: ParamSpec): v.GenericSchema<unknown, unknown> {
  const text = v.string(`Query parameter '${name}' was given more than once; give it once.`);
  const bad = (allowed: string) => (issue: v.BaseIssue<unknown>) => `Invalid value for '${name}': '${String(issue.input)}'. Use ${allowed}.`;
  switch (spec.kind) {
    case "int": {
      const fits = (t: string) => /^\d{1,16}$/.test(t) && Number(t) >= spec.min && Number(t) <= spec.max;
      return v.optional(
        v.pipe(
          text,
          v.check(fits, bad(describeInt(spec))),
          v.transform((t: string) => Number(t)),
        ),
        String(spec.default),
      );
    }
    case "choice": {
      const allowed = spec.values.map((value) => `'${value}'`).join(" or ");
      return v.optional(
        v.pipe(
          text,
          v.check((t) => spec.values.includes(t), bad(allowed)),
        ),
        spec.default,
      );
    }
    case "timestamp": {
      const allowed = "a UTC time as YYYY-MM-DDTHH:MM:SSZ, e.g. 2024-01-31T23:59:59Z";
      return v.optional(
        v.pipe(
          text,
          v.check((t) => parseTimestamp(t) !== undefined, bad(allowed)),
          v.transform((t) => parseTimestamp(t)!),
        ),
      );
    }
    case "text":
      return v.optional(text);
  }
}

/** An endpoint's query as a strict valibot object: an unknown parameter is an issue that lists the allowed ones. */
function querySchema(specs: Record<string, ParamSpec>) {
  const names = Object.keys(specs);
  const list = names.length > 0 ? `Allowed parameters: ${names.join(", ")}.` : "This endpoint takes no parameters.";
  const entries = Object.fromEntries(names.map((name) => [name, valueSchema(name, specs[name]!)]));
  return v.strictObject(entries, (issue) => `Unknown query parameter '${String(issue.input)}'. ${list}`);
}

/** Of several problems, the one about the parameter written first is reported, as a reader scanning the URL meets them. */
function firstIssue(issues: readonly v.BaseIssue<unknown>[], query: Record<string, unknown>): string {
  const order = Object.keys(query);
  const at = (issue: v.BaseIssue<unknown>) => order.indexOf(String(issue.path?.[0]?.key));
  return issues.reduce((best, issue) => (at(issue) < at(best) ? issue : best)).message;
}

/**
 * hono's query validator for an endpoint's parameters: an unknown or repeated parameter, or a value out of range, is a
 * 400 `{"error"}` that says what is wrong and what is allowed; the handler reads the values with c.req.valid("query").
 */
export function queryValidator<S extends Record<string, ParamSpec>>(specs: S) {
  const schema = querySchema(specs);
  return validator("query", (parsed: Record<string, string | string[]>, c) => {
    // hono drops a parameter with an empty name ("?=5"), which is as unknown as any other: put it back.
    const query = /[?&]=/.test(c.req.url) ? { ...parsed, "": "" } : parsed;
    const result = v.safeParse(schema, query);
    return result.success ? (result.output as Params<S>) : jsonError(400, firstIssue(result.issues, query));
  });
}

/** The values queryValidator(specs) checked, in a handler defined apart from its route (where hono cannot infer them). */
export function validQuery<S extends Record<string, ParamSpec>>(c: Context, _specs: S): Params<S> {
  return c.req.valid("query" as never) as Params<S>;
}

/** A validator for endpoints without parameters, as a plain middleware (nothing to read back). */
export function noQuery(): MiddlewareHandler {
  return queryValidator({}) as unknown as MiddlewareHandler;
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
