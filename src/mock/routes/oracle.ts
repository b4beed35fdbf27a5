import type { Hono } from "hono";
import * as v from "valibot";
import type { MockContext } from "../context";
import { LIMITS } from "../options";
import { RESOURCES, type Resource } from "../data/related";
import { noQuery, queryValidator, type ParamSpec } from "../query";
import { jsonError, jsonText, streamText } from "../respond";

export const MutationsSchema = v.strictObject({
  per_sec: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.mutatePerSec.max)),
});

export const DATASET_PARAMS = { resource: { kind: "choice", values: RESOURCES, default: "users" } } as const satisfies Record<string, ParamSpec>;
const BATCH = 1000;

async function* ndjson(ctx: MockContext, resource: Resource): AsyncGenerator<string> {
  const walk = resource === "users" ? ctx.dataset.walkById(BATCH) : ctx.dataset.hold(ctx.related.table(resource).byId(BATCH));
  for await (const rows of walk) yield `${rows.join("\n")}\n`;
}

/**
 * The test oracle, never subject to faults, auth or rate limits: the whole current dataset (users, or ?resource=companies
 * or orders) as NDJSON sorted by id (live changes wait until it has been read), the live-change rate, and the fault and
 * retry statistics.
 */
export function oracleRoutes(app: Hono, ctx: MockContext): void {
  app.get("/_mock/dataset", queryValidator(DATASET_PARAMS), (c) => streamText(ndjson(ctx, c.req.valid("query").resource as Resource), "application/x-ndjson"));
  app.get("/_mock/stats", noQuery(), () => jsonText(JSON.stringify(ctx.stats.toJSON())));
  app.get("/_mock/mutations", noQuery(), () => jsonText(JSON.stringify({ per_sec: ctx.mutator.rate() })));
  app.post("/_mock/mutations", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(400, 'The body must be JSON: {"per_sec": N} with N >= 0 (0 stops live changes).');
    }
    const parsed = v.safeParse(MutationsSchema, body);
    if (!parsed.success) {
      return jsonError(400, `The body must be {"per_sec": N} with N a number from 0 to ${LIMITS.mutatePerSec.max} (0 stops live changes).`);
    }
    ctx.mutator.setRate(parsed.output.per_sec);
    return jsonText(JSON.stringify({ per_sec: ctx.mutator.rate() }));
  });
}
