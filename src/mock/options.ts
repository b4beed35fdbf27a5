import * as v from "valibot";
import { ConfigError } from "../errors";
import { randomSeed } from "./prng";
import { parseTimestamp } from "./time";

export type AuthKind = "bearer" | "basic" | "api_key" | "session_token";
export const AUTH_KINDS: readonly AuthKind[] = ["bearer", "basic", "api_key", "session_token"];

export interface MockOptions {
  records?: number;
  seed?: number;
  /** The anchor: the newest generated timestamp, `YYYY-MM-DDTHH:MM:SSZ`. Default: the start time floored to the hour. */
  now?: string;
  spanDays?: number;
  sameSecond?: number;
  maxPageSize?: number;
  mutatePerSec?: number;
  deleteShare?: number;
  failRate?: number;
  latencyMs?: number | [number, number];
  truncateRate?: number;
  malformedRate?: number;
  /** Share of requests answered 429 with an HTTP-date Retry-After. */
  throttleRate?: number;
  /** Share of requests delayed by slowMs on top of latencyMs (default 3000 ms). */
  slowRate?: number;
  slowMs?: number | [number, number];
  rateLimit?: { capacity: number; refillPerSec: number };
  requireAuth?: AuthKind;
  /** Requests that change the mock (POST /_mock/mutations, ...); default true. serve-mock turns it off beyond loopback. */
  allowControl?: boolean;
  auth?: { user?: string; password?: string; token?: string };
  sessionTtlSeconds?: number;
  publicUrl?: string;
  /** Request log sink; absent = silent. */
  log?: (line: string) => void;
  /** Request log lines as text (default) or JSON. */
  logFormat?: "text" | "json";
  /** ms since epoch, for live changes, rate limit and session expiry; default Date.now. */
  clock?: () => number;
  /** For latency faults; default Bun.sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** MockOptions with every default applied and every value checked. */
export interface Settings {
  records: number;
  seed: number;
  anchor: number;
  spanSeconds: number;
  sameSecond: number;
  maxPageSize: number;
  mutatePerSec: number;
  deleteShare: number;
  failRate: number;
  latencyMs: [number, number] | undefined;
  truncateRate: number;
  malformedRate: number;
  throttleRate: number;
  slowRate: number;
  slowMs: [number, number];
  rateLimit: { capacity: number; refillPerSec: number } | undefined;
  requireAuth: AuthKind | undefined;
  allowControl: boolean;
  credentials: { user: string; password: string; token: string };
  sessionTtlSeconds: number;
  publicUrl: string | undefined;
  log: ((line: string) => void) | undefined;
  logFormat: "text" | "json";
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const LIMITS = {
  records: { min: 0, max: 10_000_000, integer: true },
  seed: { min: 0, max: 4_294_967_295, integer: true },
  spanDays: { min: 0, max: 36_500, integer: false },
  sameSecond: { min: 1, max: 10_000_000, integer: true },
  maxPageSize: { min: 1, max: 100_000, integer: true },
  mutatePerSec: { min: 0, max: 100_000, integer: false },
  rate: { min: 0, max: 1, integer: false },
  latencyMs: { min: 0, max: 120_000, integer: true },
  capacity: { min: 1, max: 1_000_000, integer: true },
  refillPerSec: { min: 0.0001, max: 1_000_000, integer: false },
  sessionTtlSeconds: { min: 1, max: 31_536_000, integer: true },
} as const;

/** Maps an option key to the name a user typed (the CLI passes its flag names). */
export type Namer = (key: string) => string;
type Limit = { min: number; max: number; integer: boolean };
type Issue = v.BaseIssue<unknown>;

function numberIn(name: string, limit: Limit) {
  const message = (issue: Issue) =>
    `${name} must be ${limit.integer ? "a whole number" : "a number"} from ${limit.min} to ${limit.max}, got ${String(issue.input)}`;
  const fits = (x: number) => Number.isFinite(x) && x >= limit.min && x <= limit.max && (!limit.integer || Number.isInteger(x));
  return v.pipe(v.number(message), v.check(fits, message));
}

/** A credential: printable ASCII without spaces (and without ':' in a user name, which Basic auth splits on). */
function secret(name: string, fallback: () => string, forbidden: RegExp, extra?: [RegExp, string]) {
  const message = (issue: Issue) =>
    `${name} must be non-empty printable ASCII${forbidden.source.includes(":") ? " without ':'" : ""} and no spaces, got '${String(issue.input)}'`;
  const printable = v.pipe(
    v.string(message),
    v.check((t) => t !== "" && !forbidden.test(t), message),
  );
  if (!extra) return v.optional(printable, fallback);
  const [allowed, what] = extra;
  return v.optional(
    v.pipe(
      printable,
      v.check(
        (t) => allowed.test(t),
        (issue) => `${name} must be ${what}, got '${String(issue.input)}'`,
      ),
    ),
    fallback,
  );
}

/** N or [A, B] milliseconds, as [A, B]. */
function latency(name: string) {
  const each = numberIn(name, LIMITS.latencyMs);
  const pair = v.union([
    v.pipe(
      each,
      v.transform((ms): [number, number] => [ms, ms]),
    ),
    v.tuple([each, each]),
  ]);
  const ordered = v.check(
    ([low, high]: [number, number]) => low <= high,
    (issue) => `${name} must be N or A-B with A <= B, got ${(issue.input as number[]).join("-")}`,
  );
  // A union reports its own issue: the member's message (the first bound out of range) is the one worth reading.
  return v.optional(
    v.pipe(
      v.unknown(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const parsed = v.safeParse(v.pipe(pair, ordered), dataset.value);
        if (parsed.success) return parsed.output;
        const deepest = parsed.issues[0].issues?.find((issue) => issue.type !== "tuple") ?? parsed.issues[0];
        addIssue({ message: deepest.message });
        return NEVER;
      }),
    ),
  );
}

function publicUrl(name: string) {
  const message = (issue: Issue) =>
    `${name} must be an http(s) URL without query, fragment or credentials, e.g. https://mock.example.com, got '${String(issue.input)}'`;
  const valid = (text: string) => {
    const url = URL.parse(text);
    return !!url && (url.protocol === "http:" || url.protocol === "https:") && !url.search && !url.hash && !url.username;
  };
  return v.optional(
    v.pipe(
      v.string(message),
      v.check(valid, message),
      v.transform((text) => new URL(text).href.replace(/\/+$/, "")),
    ),
  );
}

/** The checked options as a valibot schema, in the order they are checked; messages name each option as `name` says. */
export function optionsSchema(name: Namer) {
  const rate = (key: string) => v.optional(numberIn(name(key), LIMITS.rate), 0);
  const nowMessage = (issue: Issue) => `${name("now")} must be a UTC time as YYYY-MM-DDTHH:MM:SSZ, got '${String(issue.input)}'`;
  const printable = /[^\x21-\x7e]/;
  return v.object({
    now: v.optional(
      v.pipe(
        v.string(nowMessage),
        v.check((t) => parseTimestamp(t) !== undefined, nowMessage),
        v.transform((t) => parseTimestamp(t)!),
      ),
    ),
    records: v.optional(numberIn(name("records"), LIMITS.records), 200),
    seed: v.optional(numberIn(name("seed"), LIMITS.seed), randomSeed),
    spanDays: v.optional(numberIn(name("spanDays"), LIMITS.spanDays), 30),
    sameSecond: v.optional(numberIn(name("sameSecond"), LIMITS.sameSecond), 1),
    maxPageSize: v.optional(numberIn(name("maxPageSize"), LIMITS.maxPageSize), 50),
    mutatePerSec: v.optional(numberIn(name("mutatePerSec"), LIMITS.mutatePerSec), 0),
    deleteShare: rate("deleteShare"),
    failRate: rate("failRate"),
    latencyMs: latency(name("latencyMs")),
    truncateRate: rate("truncateRate"),
    malformedRate: rate("malformedRate"),
    throttleRate: rate("throttleRate"),
    slowRate: rate("slowRate"),
    slowMs: v.optional(latency(name("slowMs")), 3000),
    rateLimit: v.optional(
      v.object({
        capacity: v.optional(numberIn(name("capacity"), LIMITS.capacity), 20),
        refillPerSec: v.optional(numberIn(name("refillPerSec"), LIMITS.refillPerSec), 10),
      }),
    ),
    requireAuth: v.optional(v.picklist(AUTH_KINDS, (issue) => `${name("requireAuth")} must be one of ${AUTH_KINDS.join(", ")}, got '${String(issue.input)}'`)),
    auth: v.optional(
      v.object({
        user: secret(name("user"), () => `user-${randomText(3)}`, /[^\x21-\x7e]|:/),
        password: secret(name("password"), () => randomText(12), printable),
        // bearerAuth takes RFC 6750 token characters only, so a token outside them could never be sent.
        token: secret(name("token"), () => randomText(20), printable, [
          /^[A-Za-z0-9._~+/-]+=*$/,
          "letters, digits and . _ ~ + / - (= only at the end), as an Authorization header carries a token",
        ]),
      }),
      {},
    ),
    sessionTtlSeconds: v.optional(numberIn(name("sessionTtlSeconds"), LIMITS.sessionTtlSeconds), 300),
    publicUrl: publicUrl(name("publicUrl")),
  });
}

function randomText(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

export function resolveOptions(options: MockOptions = {}, name: Namer = (key) => key): Settings {
  const clock = options.clock ?? Date.now;
  const result = v.safeParse(optionsSchema(name), options);
  if (!result.success) throw new ConfigError(result.issues[0].message);
  const { now, spanDays, latencyMs, slowMs, auth, rateLimit, requireAuth, publicUrl, ...checked } = result.output;
  return {
    ...checked,
    rateLimit,
    requireAuth,
    publicUrl,
    anchor: now ?? Math.floor(clock() / 3_600_000) * 3600,
    spanSeconds: Math.round(spanDays * 86400),
    latencyMs,
    slowMs: slowMs!,
    allowControl: options.allowControl ?? true,
    credentials: auth,
    log: options.log,
    logFormat: options.logFormat ?? "text",
    clock,
    sleep: options.sleep ?? ((ms) => Bun.sleep(ms)),
  };
}

/** Parses `N` or `A-B` milliseconds (the CLI's --latency-ms and --slow-ms). */
export function parseLatency(text: string): number | [number, number] | undefined {
  const m = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}
