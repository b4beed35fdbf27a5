import { AppError, describe, UsageError } from "../errors";
import { banner } from "../mock/banner";
import type { MockOptions, MockServer } from "../mock/index";
import { AUTH_KINDS, LIMITS, parseLatency, type AuthKind } from "../mock/options";
import { formatTimestamp } from "../mock/time";
import type { Flags } from "./args";
import { defineCommand } from "./command";
import type { Io } from "./io";

const rate = (help: string) => ({ type: "number", value: "F", min: 0, max: 1, help: `${help} (0..1)`, default: 0 }) as const;

const flags = {
  port: { type: "number", integer: true, min: 0, max: 65535, default: 5001, help: "port to listen on; 0 picks a free port" },
  host: { type: "string", value: "HOST", default: "127.0.0.1", help: "interface to bind (warns for anything but loopback)" },
  records: { type: "number", ...LIMITS.records, default: 200, help: "users generated at start" },
  seed: { type: "number", ...LIMITS.seed, value: "S", help: "data and fault seed (default random, printed)" },
  now: { type: "string", value: "TIME", help: "newest timestamp, YYYY-MM-DDTHH:MM:SSZ (default: start time floored to the UTC hour)" },
  "span-days": { type: "number", ...LIMITS.spanDays, value: "D", default: 30, help: "timestamps spread over the D days before the anchor" },
  "same-second": { type: "number", ...LIMITS.sameSecond, value: "K", help: "every K consecutive rows share one updatedAt (tie testing)" },
  "max-page-size": { type: "number", ...LIMITS.maxPageSize, default: 50, help: "upper bound of limit/per_page; above 50, keyset takes limit too" },
  "mutate-per-sec": { type: "number", ...LIMITS.mutatePerSec, default: 0, help: "live changes per second (updates and inserts)" },
  "delete-share": rate("share of live changes that hard-delete a row"),
  "fail-rate": rate("share of requests answered 500/502/503"),
  "latency-ms": { type: "string", value: "N|A-B", help: "delay every request by N ms, or uniformly A-B ms" },
  "truncate-rate": rate("share of 200 JSON responses cut short mid-body"),
  "malformed-rate": rate("share of 200 JSON responses made invalid JSON"),
  "throttle-rate": rate("share of requests answered 429 with Retry-After as an HTTP-date 1-2 s ahead"),
  "slow-rate": rate("share of requests delayed by --slow-ms on top of --latency-ms"),
  "slow-ms": { type: "string", value: "N|A-B", default: "3000", help: "delay of a slow request: N ms, or uniformly A-B ms" },
  "rate-limit": { type: "boolean", help: "enable the token-bucket rate limit (429 with Retry-After)" },
  capacity: { type: "number", ...LIMITS.capacity, default: 20, help: "rate limit: bucket capacity" },
  "refill-per-sec": { type: "number", ...LIMITS.refillPerSec, value: "R", default: 10, help: "rate limit: tokens added per second" },
  "require-auth": {
    type: "string",
    value: "KIND",
    help: `every endpoint but the login demands a credential; pagination endpoints this kind: ${AUTH_KINDS.join(", ")}`,
  },
  "allow-control": { type: "boolean", help: "beyond loopback, allow requests that change the mock (POST /_mock/mutations); on loopback they always are" },
  "auth-user": { type: "string", value: "USER", help: "fixed basic/login user (default random)" },
  "auth-password": { type: "string", value: "PASSWORD", help: "fixed basic/login password (default random)" },
  "auth-token": { type: "string", value: "TOKEN", help: "fixed bearer token, API key and session-token secret (default random)" },
  "session-ttl": { type: "number", ...LIMITS.sessionTtlSeconds, value: "SECONDS", default: 300, help: "session token lifetime" },
  "public-url": { type: "string", value: "URL", help: "origin written into next_page_url (behind a proxy)" },
  quiet: { type: "boolean", help: "no request log" },
  log: { type: "string", value: "text|json", default: "text", help: "request log format on stderr" },
} as const;

const FLAG_OF: Record<string, string> = {
  latencyMs: "latency-ms",
  user: "auth-user",
  password: "auth-password",
  token: "auth-token",
  sessionTtlSeconds: "session-ttl",
  requireAuth: "require-auth",
  publicUrl: "public-url",
};
const flagName = (key: string) => `--${FLAG_OF[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function toOptions(f: Flags<typeof flags>, log: ((line: string) => void) | undefined): MockOptions {
  if (!f["rate-limit"] && (f.capacity !== undefined || f["refill-per-sec"] !== undefined)) {
    throw new UsageError("--capacity and --refill-per-sec need --rate-limit");
  }
  if (f.log !== undefined && f.log !== "text" && f.log !== "json") throw new UsageError(`--log must be text or json, got '${f.log}'`);
  if (f["slow-ms"] !== undefined && f["slow-rate"] === undefined) throw new UsageError("--slow-ms needs --slow-rate");
  const latencyMs = milliseconds("latency-ms", f["latency-ms"]);
  const slowMs = milliseconds("slow-ms", f["slow-ms"]);
  return {
    records: f.records,
    seed: f.seed,
    spanDays: f["span-days"],
    sameSecond: f["same-second"],
    maxPageSize: f["max-page-size"],
    // The anchor is fixed here so it can be printed: the start time floored to the UTC hour unless --now says otherwise.
    now: f.now ?? formatTimestamp(Math.floor(Date.now() / 3_600_000) * 3600),
    mutatePerSec: f["mutate-per-sec"],
    deleteShare: f["delete-share"],
    failRate: f["fail-rate"],
    latencyMs,
    truncateRate: f["truncate-rate"],
    malformedRate: f["malformed-rate"],
    throttleRate: f["throttle-rate"],
    slowRate: f["slow-rate"],
    slowMs,
    rateLimit: f["rate-limit"] ? { capacity: f.capacity ?? 20, refillPerSec: f["refill-per-sec"] ?? 10 } : undefined,
    requireAuth: f["require-auth"] as AuthKind | undefined,
    auth: { user: f["auth-user"], password: f["auth-password"], token: f["auth-token"] },
    sessionTtlSeconds: f["session-ttl"],
    publicUrl: f["public-url"],
    log,
    logFormat: f.log === "json" ? "json" : "text",
  };
}

function milliseconds(flag: string, text: string | undefined): number | [number, number] | undefined {
  if (text === undefined) return undefined;
  const parsed = parseLatency(text);
  if (parsed === undefined) throw new UsageError(`--${flag} must be N or A-B (whole milliseconds), got '${text}'`);
  return parsed;
}

function notes(options: MockOptions): string[] {
  const lines: string[] = [];
  if (options.requireAuth) lines.push(`Every endpoint but the login requires credentials; pagination endpoints: ${options.requireAuth}`);
  if (options.allowControl === false) lines.push("Control requests (POST /_mock/mutations) are off beyond loopback; --allow-control turns them on");
  const faults = [
    options.failRate && `fail ${options.failRate}`,
    options.latencyMs !== undefined && `latency ${[options.latencyMs].flat().join("-")} ms`,
    options.truncateRate && `truncate ${options.truncateRate}`,
    options.malformedRate && `malformed ${options.malformedRate}`,
    options.throttleRate && `throttle ${options.throttleRate}`,
    options.slowRate && `slow ${options.slowRate} (${[options.slowMs ?? 3000].flat().join("-")} ms)`,
  ].filter(Boolean);
  if (faults.length > 0) lines.push(`Faults: ${faults.join(", ")}`);
  if (options.rateLimit) lines.push(`Rate limit: capacity ${options.rateLimit.capacity}, ${options.rateLimit.refillPerSec}/s`);
  if (options.mutatePerSec) lines.push(`Live changes: ${options.mutatePerSec}/s (delete share ${options.deleteShare ?? 0})`);
  return lines;
}

export const serveMockCommand = defineCommand({
  name: "serve-mock",
  summary: "Serve the embedded mock REST API of fake users (playground-compatible)",
  usage: "connector serve-mock [options]",
  details:
    "Prints 'Mock API listening on <url>' as its first line, then the endpoint table, seed and credentials.\n" +
    "Same seed and flags (and --now, or the same UTC hour) give byte-identical responses. Ctrl-C stops it.",
  flags,
  async run({ flags: f }, io: Io) {
    const host = f.host ?? "127.0.0.1";
    const options = {
      ...toOptions(f, f.quiet ? undefined : (line) => io.stderr(`${line}\n`)),
      allowControl: LOOPBACK.has(host) || f["allow-control"] === true,
    };
    if (!LOOPBACK.has(host)) {
      io.stderr(`WARNING: --host ${host} exposes the mock API (and its credentials) beyond this machine.\n`);
    }
    // Loaded here, not at start-up: the data generator (Faker) is costly to load, and other commands never need it.
    const { startMockServer } = await import("../mock/index");
    let server: MockServer;
    try {
      server = await startMockServer({ ...options, host, port: f.port ?? 5001 }, flagName);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("listen", `cannot listen on ${host}:${f.port ?? 5001}: ${describe(error)}`);
    }
    io.stdout(`Mock API listening on ${server.url}\n`);
    io.stdout(
      banner({
        url: server.url,
        seed: server.mock.seed,
        records: server.mock.size(),
        anchor: options.now!,
        credentials: server.mock.credentials,
        sessionTtlSeconds: f["session-ttl"] ?? 300,
        notes: notes(options),
      }),
    );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await server.stop();
    return 0;
  },
});
