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

function number(name: string, value: number | undefined, fallback: number, limit: { min: number; max: number; integer: boolean }): number {
  if (value === undefined) return fallback;
  const ok = Number.isFinite(value) && value >= limit.min && value <= limit.max && (!limit.integer || Number.isInteger(value));
  if (!ok) throw new ConfigError(`${name} must be ${limit.integer ? "a whole number" : "a number"} from ${limit.min} to ${limit.max}, got ${value}`);
  return value;
}

function secret(name: string, value: string | undefined, fallback: () => string, forbidden: RegExp): string {
  if (value === undefined) return fallback();
  if (value === "" || forbidden.test(value)) {
    const colon = forbidden.source.includes(":") ? " without ':'" : "";
    throw new ConfigError(`${name} must be non-empty printable ASCII${colon} and no spaces, got '${value}'`);
  }
  return value;
}

function randomText(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

export function resolveOptions(options: MockOptions = {}, name: Namer = (key) => key): Settings {
  const clock = options.clock ?? Date.now;
  const rate = (key: "deleteShare" | "failRate" | "truncateRate" | "malformedRate" | "throttleRate" | "slowRate") => number(name(key), options[key], 0, LIMITS.rate);
  let anchor = Math.floor(clock() / 3_600_000) * 3600;
  if (options.now !== undefined) {
    const parsed = parseTimestamp(options.now);
    if (parsed === undefined) throw new ConfigError(`${name("now")} must be a UTC time as YYYY-MM-DDTHH:MM:SSZ, got '${options.now}'`);
    anchor = parsed;
  }
  return {
    records: number(name("records"), options.records, 200, LIMITS.records),
    seed: options.seed === undefined ? randomSeed() : number(name("seed"), options.seed, 0, LIMITS.seed),
    anchor,
    spanSeconds: Math.round(number(name("spanDays"), options.spanDays, 30, LIMITS.spanDays) * 86400),
    sameSecond: number(name("sameSecond"), options.sameSecond, 1, LIMITS.sameSecond),
    maxPageSize: number(name("maxPageSize"), options.maxPageSize, 50, LIMITS.maxPageSize),
    mutatePerSec: number(name("mutatePerSec"), options.mutatePerSec, 0, LIMITS.mutatePerSec),
    deleteShare: rate("deleteShare"),
    failRate: rate("failRate"),
    latencyMs: latency(name("latencyMs"), options.latencyMs),
    truncateRate: rate("truncateRate"),
    malformedRate: rate("malformedRate"),
    throttleRate: rate("throttleRate"),
    slowRate: rate("slowRate"),
    slowMs: latency(name("slowMs"), options.slowMs) ?? [3000, 3000],
    rateLimit: options.rateLimit && {
      capacity: number(name("capacity"), options.rateLimit.capacity, 20, LIMITS.capacity),
      refillPerSec: number(name("refillPerSec"), options.rateLimit.refillPerSec, 10, LIMITS.refillPerSec),
    },
    requireAuth: requireAuth(name("requireAuth"), options.requireAuth),
    allowControl: options.allowControl ?? true,
    credentials: {
      user: secret(name("user"), options.auth?.user, () => `user-${randomText(3)}`, /[^\x21-\x7e]|:/),
      password: secret(name("password"), options.auth?.password, () => randomText(12), /[^\x21-\x7e]/),
      token: secret(name("token"), options.auth?.token, () => randomText(20), /[^\x21-\x7e]/),
    },
    sessionTtlSeconds: number(name("sessionTtlSeconds"), options.sessionTtlSeconds, 300, LIMITS.sessionTtlSeconds),
    publicUrl: publicUrl(name("publicUrl"), options.publicUrl),
    log: options.log,
    logFormat: options.logFormat ?? "text",
    clock,
    sleep: options.sleep ?? ((ms) => Bun.sleep(ms)),
  };
}

function latency(name: string, value: number | [number, number] | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const [low, high] = typeof value === "number" ? [value, value] : value;
  number(name, low, 0, LIMITS.latencyMs);
  number(name, high, 0, LIMITS.latencyMs);
  if (low > high) throw new ConfigError(`${name} must be N or A-B with A <= B, got ${low}-${high}`);
  return [low, high];
}

function requireAuth(name: string, value: string | undefined): AuthKind | undefined {
  if (value === undefined || (AUTH_KINDS as readonly string[]).includes(value)) return value as AuthKind | undefined;
  throw new ConfigError(`${name} must be one of ${AUTH_KINDS.join(", ")}, got '${value}'`);
}

function publicUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.parse(value);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash || url.username) {
    throw new ConfigError(`${name} must be an http(s) URL without query, fragment or credentials, e.g. https://mock.example.com, got '${value}'`);
  }
  return url.href.replace(/\/+$/, "");
}

/** Parses `N` or `A-B` milliseconds (the CLI's --latency-ms and --slow-ms). */
export function parseLatency(text: string): number | [number, number] | undefined {
  const m = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}
