import { Hono, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { credentialChecks } from "./credentials";
import type { MockContext } from "./context";
import { Dataset } from "./data/dataset";
import { Related } from "./data/related";
import { Faults } from "./faults";
import { sizeLimits } from "./limits";
import { Mutator } from "./mutations";
import { resolveOptions, type MockOptions, type Namer } from "./options";
import { rateLimit, TokenBucket } from "./rate-limit";
import { RecentRequests } from "./recent";
import { requestLog } from "./request-log";
import { jsonError } from "./respond";
import { accessGuard } from "./guard";
import { apiRoutes } from "./routes/api";
import { authRoutes } from "./routes/auth";
import { exportRoutes } from "./routes/export";
import { keysetRoutes } from "./routes/keyset";
import { linkHeaderRoutes } from "./routes/link-header";
import { nextPageUrlRoutes } from "./routes/next-page-url";
import { offsetRoutes } from "./routes/offset";
import { oracleRoutes } from "./routes/oracle";
import { pageNumberRoutes } from "./routes/page-number";
import { webRoutes, WEB_PATHS } from "./routes/web";
import { Sessions } from "./sessions";
import { MockStats, recordStats } from "./stats";

export interface MockApp {
  /** Tests call mock.app.request(...) or mock.fetch: no socket needed. */
  readonly app: Hono;
  fetch(request: Request): Promise<Response>;
  readonly seed: number;
  readonly credentials: { user: string; password: string; token: string };
  /** Applies `count` live changes right now, synchronously (the same mix as the timer). */
  mutate(count: number): void;
  setMutationRate(perSec: number): void;
  /** The current row count. */
  size(): number;
  /** Stops timers and closes the database. */
  close(): void;
}

/** Runs `guard` on every path but the oracle's and the page's: never subject to faults or rate limits (auth: guard.ts). */
function exceptOracle(guard: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (c.req.path.startsWith("/_mock/") || WEB_PATHS.has(c.req.path) ? next() : guard(c, next));
}

export function createMockApp(options: MockOptions = {}, name?: Namer): MockApp {
  const settings = resolveOptions(options, name);
  const dataset = new Dataset(settings);
  const related = new Related(dataset);
  const sessions = new Sessions(settings.credentials.token, settings.sessionTtlSeconds, settings.clock);
  const ctx: MockContext = {
    settings,
    dataset,
    related,
    mutator: new Mutator(dataset, { ...settings, related }),
    sessions,
    auth: credentialChecks(settings, sessions),
    stats: new MockStats(settings.clock),
  };
  const app = new Hono();
  if (settings.log) app.use(requestLog(settings.log, settings.logFormat, settings.clock));
  const recent = new RecentRequests(settings.clock);
  app.use(recent.middleware());
  // Before every other guard, so it sees each answer they give (413, 414, 429, injected faults) and its Retry-After.
  app.use(exceptOracle(recordStats(ctx.stats)));
  app.use(...sizeLimits());
  if (settings.rateLimit) {
    const { capacity, refillPerSec } = settings.rateLimit;
    const onLimited = (request: Request) => {
      ctx.stats.fault("rate_limited_429");
      recent.fault(request, "rate_limited_429");
    };
    app.use(exceptOracle(rateLimit(new TokenBucket(capacity, refillPerSec, settings.clock), onLimited)));
  }
  const faults = new Faults(settings, (kind, request) => {
    ctx.stats.fault(kind);
    recent.fault(request, kind);
  });
  if (faults.enabled()) app.use(exceptOracle(faults.middleware()));
  app.use(accessGuard(ctx));

  offsetRoutes(app, ctx);
  pageNumberRoutes(app, ctx);
  keysetRoutes(app, ctx);
  nextPageUrlRoutes(app, ctx);
  linkHeaderRoutes(app, ctx);
  apiRoutes(app, ctx);
  authRoutes(app, ctx);
  exportRoutes(app, ctx);
  oracleRoutes(app, ctx);
  webRoutes(app, ctx, recent);
  app.notFound((c) => jsonError(404, `No endpoint ${c.req.method} ${c.req.path}; see the endpoint table printed at start, GET / or GET /openapi.json.`));
  app.onError((error) => (error instanceof HTTPException ? error.getResponse() : jsonError(500, `Internal error: ${error.message}`)));

  if (settings.mutatePerSec > 0) ctx.mutator.setRate(settings.mutatePerSec);
  let closed = false;
  return {
    app,
    fetch: async (request) => app.fetch(request),
    seed: settings.seed,
    credentials: { ...settings.credentials },
    mutate: (count) => ctx.mutator.apply(count),
    setMutationRate: (perSec) => ctx.mutator.setRate(perSec),
    size: () => dataset.size(),
    close() {
      if (closed) return;
      closed = true;
      ctx.mutator.stop();
      dataset.close();
    },
  };
}
