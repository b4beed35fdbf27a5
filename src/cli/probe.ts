import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AppError, describe, UsageError } from "../errors";
import { HttpClient, type HttpDeps } from "../connector/http/client";
import { DEFAULT_RETRY, type RetryPolicy } from "../connector/http/retry";
import { getPath } from "../connector/page";
import { analyzeProbe, withDiscovery } from "../connector/probe";
import { discover } from "../connector/probe-discover";
import type { Row } from "../store/types";
import { secretValues } from "../connector/probe-config";
import { Redactor } from "../secrets";
import type { Parsed } from "./args";
import { defineCommand } from "./command";
import type { Io } from "./io";
import { formatProbe } from "./probe-output";

const probeFlags = {
  header: { type: "strings", value: "NAME: VALUE", help: "a request header (repeatable); its value is never printed or written" },
  write: { type: "string", value: "FILE", implied: "configuration.json", help: "write a ready-to-edit configuration (without a FILE: configuration.json)" },
  force: { type: "boolean", help: "with --write: overwrite an existing file" },
  json: { type: "boolean", help: "print the report as JSON" },
} as const;

/** A probe is one interactive request: fewer and shorter retries than a sync. */
const PROBE_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 3, maxElapsedMs: 30_000, maxDelayMs: 5_000 };
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const probeCommand = defineCommand({
  name: "probe",
  summary: "Detect an API's pagination style and fields from its first page, and write a configuration",
  usage: "connector probe <url> [--header 'Name: value' ...] [--write [FILE]] [--force] [--json]",
  details: [
    "Requests the first page and reports the paging style and why, where the records are, the fields of a",
    "record with their types (Fivetran's names), candidate primary keys and cursor fields, and what to do next.",
    "It then tries the common names of a sort by the cursor and of a filter `cursor >= value` (ordering, _sort,",
    "sort, order_by; <field>__gte, <field>_gte, <field>:gte, since, updated_since, ...), a request each, and writes",
    "the ones the answers prove: later syncs then read only what changed.",
    "Header values are sent but never printed; in the written file they become ${VAR} placeholders.",
    "",
    "Examples:",
    "  connector probe http://127.0.0.1:5001/pagination/keyset --write",
    '  connector probe "https://api.example.com/v1/items?per_page=100" --header "Authorization: Bearer $TOKEN" --write items.json',
  ].join("\n"),
  flags: probeFlags,
  run: (parsed, io) =>
    runProbe(parsed, io, {
      fetch: (request) => fetch(request),
      sleep: (ms, signal) => Bun.sleep(ms).then(() => signal?.throwIfAborted()),
      now: () => Date.now(),
      random: Math.random,
      signal: io.signal,
    }),
});

/** The command with its network passed in: tests probe the mock and the dialect servers in process. */
export async function runProbe({ flags, positionals }: Parsed<typeof probeFlags>, io: Io, deps: HttpDeps): Promise<number> {
  const url = targetUrl(positionals, flags.write);
  const headers = parseHeaders(flags.header ?? []);
  if (flags.force && flags.write === undefined) throw new UsageError("--force only applies with --write");
  const file = flags.write === undefined ? null : writablePath(flags.write, Boolean(flags.force), io.cwd);

  const redactor = new Redactor(secretValues(url, headers));
  const client = new HttpClient(PROBE_RETRY, deps, {
    headers: { Accept: "application/json", ...headers },
    origin: url.origin,
    redact: redactor.redact,
    maxBodyBytes: MAX_BODY_BYTES,
    onRetry: (event) => io.stderr(`probe: retrying in ${(event.delayMs / 1000).toFixed(1)} s: ${event.reason}\n`),
  });
  const response = await client.getJson(url.href);
  let report = analyzeProbe({ url, status: response.status, headers: response.headers, body: response.body, requestHeaders: headers });
  if (!report.playground && report.strategy !== null && report.cursors.length > 0) {
    const first = getPath(response.body, report.records) as Row[];
    const found = await discover(async (at) => (await client.getJson(at)).body, url, report.records, String(report.configuration.cursor_field), first);
    report = withDiscovery(report, found);
  }
  if (file) {
    try {
      writeFileSync(file.path, `${JSON.stringify(report.configuration, null, 2)}\n`, { flag: flags.force ? "w" : "wx" });
    } catch (error) {
      throw new AppError("write", `cannot write ${file.shown}: ${describe(error)}`);
    }
    io.stderr(`probe: wrote ${file.shown}; next: connector sync --config ${file.shown}\n`);
  }
  io.stdout(flags.json ? `${JSON.stringify({ ...report, written: file?.shown ?? null }, null, 2)}\n` : formatProbe(report));
  return 0;
}

function targetUrl(positionals: readonly string[], write: string | undefined): URL {
  if (positionals.length === 0) {
    if (write !== undefined && /^https?:\/\//i.test(write))
      throw new UsageError("--write took the URL as its file name: put the URL before --write, or use --write=FILE");
    throw new UsageError("probe needs the URL of the first page: connector probe <url>");
  }
  if (positionals.length > 1) throw new UsageError(`probe takes one URL, got ${positionals.length} arguments`);
  let url: URL;
  try {
    url = new URL(positionals[0] as string);
  } catch {
    throw new UsageError("the URL must be absolute, like https://api.example.com/v1/items");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`the URL must be http:// or https://, got ${url.protocol}`);
  if (url.username || url.password) throw new UsageError("the URL has user:password@: pass credentials with --header 'Authorization: ...' instead");
  return url;
}

/** `Name: value` pairs; a malformed one is named by its header name only (the value may be a secret). */
function parseHeaders(list: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of list) {
    const colon = item.indexOf(":");
    if (colon === -1) throw new UsageError("--header must look like 'Name: value' (this one has no colon)");
    const name = item.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) throw new UsageError(`--header name ${JSON.stringify(name.slice(0, 40))} is not a valid header name`);
    if (Object.keys(headers).some((known) => known.toLowerCase() === name.toLowerCase())) throw new UsageError(`--header '${name}' is given twice`);
    headers[name] = item.slice(colon + 1).trim();
  }
  return headers;
}

/** Checked before the request: a probe that cannot write its file should not hit the API first. */
function writablePath(file: string, force: boolean, cwd: string): { path: string; shown: string } {
  if (file === "") throw new UsageError("--write needs a file name (or no value, for configuration.json)");
  const path = resolve(cwd, file);
  if (!existsSync(dirname(path))) throw new UsageError(`cannot write ${file}: the folder ${dirname(path)} does not exist`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory`);
    if (!force) throw new UsageError(`${file} already exists: pass --force to overwrite it`);
  }
  return { path, shown: file };
}
