// The strategy's part of the configuration as a tagged union: one variant per strategy, holding only the request and
// response names that strategy reads; "auto" takes every name, since detection picks the strategy later. A name set
// for a strategy that never reads it is refused: it would do nothing, and it usually means the wrong strategy.
import * as v from "valibot";
import { ConfigError } from "../errors";
import { RequestSchema, ResponseSchema } from "./schema";
import { SHARED_NAMES, STRATEGY_NAMES, STRATEGY_NAMES_READ, type StrategyName } from "./strategies";

const pick = <E extends v.ObjectEntries, K extends keyof E & string>(entries: E, keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, entries[key]])) as Pick<E, K>;

function variantOf(name: StrategyName) {
  const reads = STRATEGY_NAMES_READ[name];
  return v.strictObject({
    strategy: v.literal(name),
    request: v.optional(v.strictObject(pick(RequestSchema.entries, [...SHARED_NAMES.request, ...reads.request])), {}),
    response: v.optional(v.strictObject(pick(ResponseSchema.entries, [...SHARED_NAMES.response, ...reads.response])), {}),
  });
}

export const StrategyConfigSchema = v.variant("strategy", [
  v.strictObject({ strategy: v.literal("auto"), request: v.optional(RequestSchema, {}), response: v.optional(ResponseSchema, {}) }),
  ...STRATEGY_NAMES.map(variantOf),
]);
export type StrategyConfig = v.InferOutput<typeof StrategyConfigSchema>;

/** The names a user set by hand, per block: only these are checked (defaults serve every strategy). */
export interface GivenNames {
  request?: unknown;
  response?: unknown;
}

/**
 * Throws a ConfigError naming the first request/response name the strategy does not read, the strategies that
 * do, and the fix. `name` turns a key into its place in the file (`streams[2].request.offset_param`).
 */
export function checkStrategyNames(strategy: string, given: GivenNames, name: (key: string) => string = (key) => key): void {
  const blocks = { request: objectOrEmpty(given.request), response: objectOrEmpty(given.response) };
  if (v.safeParse(StrategyConfigSchema, { strategy, ...blocks }).success) return;
  for (const block of ["request", "response"] as const)
    for (const key of Object.keys(blocks[block])) {
      if ((SHARED_NAMES[block] as readonly string[]).includes(key)) continue;
      const takers = STRATEGY_NAMES.filter((s) => (STRATEGY_NAMES_READ[s][block] as readonly string[]).includes(key));
      if (takers.includes(strategy as StrategyName)) continue;
      throw new ConfigError(
        `configuration: ${name(`${block}.${key}`)} is not read by strategy '${strategy}' (${takers.map((s) => `'${s}'`).join(", ") || "no strategy"} ${takers.length === 1 ? "reads" : "read"} it): remove it, or set strategy to the one it was meant for`,
      );
    }
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The names of `block` that `strategy` reads (all of them for auto), for a configuration written by a program
 * (probe): a page-size name found under the other size key moves to the one the strategy reads.
 */
export function namesFor(strategy: string, block: "request" | "response", names: Record<string, unknown>): Record<string, unknown> {
  if (!(STRATEGY_NAMES as string[]).includes(strategy)) return names;
  const reads: readonly string[] = [...SHARED_NAMES[block], ...STRATEGY_NAMES_READ[strategy as StrategyName][block]];
  const moved = { ...names };
  for (const [from, to] of [
    ["per_page_param", "limit_param"],
    ["limit_param", "per_page_param"],
  ] as const)
    if (block === "request" && moved[from] !== undefined && !reads.includes(from) && reads.includes(to) && moved[to] === undefined) moved[to] = moved[from];
  return Object.fromEntries(Object.entries(moved).filter(([key]) => reads.includes(key)));
}
