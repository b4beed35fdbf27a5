import { AbortedError, AppError, codeOf, describe, HttpError, ResponseTooLarge } from "../../errors";
import { noAuth, type Auth } from "./auth";
import { ERROR_BODY_BYTES, readCapped } from "./body";
import { MAX_JSON_DEPTH, nestedDeeperThan, SCAN_FIRST_BYTES, treeDeeperThan } from "./depth";
import type { FetchLike } from "./fetch-like";
import { decideRetry, parseRetryAfter, RETRYABLE_STATUS, type RetryPolicy } from "./retry";
import { certificateProblem, networkReason } from "./tls";

export type { FetchLike } from "./fetch-like";

/** Everything the client needs from the outside, passed in so tests run without sockets or waiting. */
export interface HttpDeps {
  fetch: FetchLike;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
  signal?: AbortSignal;
  /** A monotonic clock in ms for the time split (performance.now unless a test passes its own). */
  timer?: () => number;
}

export interface JsonResponse {
  url: string;
  status: number;
  headers: Headers;
  body: unknown;
  bytes: number;
  attempts: number;
  /** Time spent decoding and parsing the body (timer ms), for the sync's time split. */
  parseMs: number;
}

export interface RetryEvent {
  url: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ClientOptions {
  headers: Record<string, string>;
  /** Credentials, added only to requests for `origin`. */
  auth?: Auth;
  /** The API's origin: the only one that receives headers and credentials... */
  origin?: string;
  /** ...besides these (allow_origins, when credentials are allowed to go there too). */
  credentialOrigins?: readonly string[];
  /** Origins a redirect may lead to besides `origin`. */
  redirectOrigins?: readonly string[];
  /** Makes a URL or message safe to print (no secrets). */
  redact: (text: string) => string;
  maxBodyBytes: number;
  onRetry?: (event: RetryEvent) => void;
}

type Attempt =
  | { ok: true; response: JsonResponse }
  | { ok: false; retryable: boolean; reason: string; status?: number; retryAfterMs?: number; unauthorized?: boolean };

const MAX_REDIRECTS = 5;

export class HttpClient {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly deps: HttpDeps,
    private readonly options: ClientOptions,
  ) {}

  /** GETs a JSON document, retrying what is transient; throws HttpError with the (redacted) URL otherwise. */
  async getJson(url: string): Promise<JsonResponse> {
    const started = this.deps.now();
    const shown = this.options.redact(url);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (this.deps.signal?.aborted) throw new AbortedError();
      const result = await this.attempt(url);
      if (result.ok) return { ...result.response, attempts: attempt };
      if (this.deps.signal?.aborted) throw new AbortedError();
      // An expired session: log in again, once for this request, then retry at once.
      if (result.unauthorized && !refreshed && (await (this.options.auth ?? noAuth).refresh())) {
        refreshed = true;
        this.options.onRetry?.({ url: shown, attempt, delayMs: 0, reason: "HTTP 401: logged in again" });
        continue;
      }
      if (!result.retryable) throw new HttpError(result.status ? "http_status" : "http", `GET ${shown} failed: ${result.reason}`, result.status);
      const decision = decideRetry(this.policy, attempt, this.deps.now() - started, result.retryAfterMs, this.deps.random);
      if (!decision.retry) throw new HttpError("http_retries", `GET ${shown} failed: ${result.reason}; ${decision.reason}`, result.status);
      this.options.onRetry?.({ url: shown, attempt, delayMs: decision.delayMs, reason: result.reason });
      try {
        await this.deps.sleep(decision.delayMs, this.deps.signal);
      } catch {
        throw new AbortedError();
      }
    }
  }

  private async attempt(url: string): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.policy.timeoutMs);
    const signal = this.deps.signal ? AbortSignal.any([timeout, this.deps.signal]) : timeout;
    let current = url;
    try {
      for (let hop = 0; ; hop++) {
        const target = new URL(current);
        const headers = new Headers();
        if (this.options.origin === undefined || target.origin === this.options.origin || this.options.credentialOrigins?.includes(target.origin)) {
          for (const [name, value] of Object.entries(this.options.headers)) headers.set(name, value);
          // Awaited only when it must be: a request sent by a pipelining caller then leaves before it continues.
          const applying = (this.options.auth ?? noAuth).apply(target, headers);
          if (applying) await applying;
        }
        const response = await this.deps.fetch(new Request(target.href, { headers, redirect: "manual", signal }));
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          const next = new URL(location, current);
          const allowed = next.origin === new URL(url).origin || this.options.redirectOrigins?.includes(next.origin);
          if (!allowed || next.username || next.password)
            return {
              ok: false,
              retryable: false,
              reason:
                next.protocol === "https:" && target.protocol === "http:" && next.hostname === target.hostname
                  ? `redirected to https (${next.origin}): the API answers over https only; write base_url with https://`
                  : `redirected to another origin (${next.origin}); refusing to follow (list it in allow_origins to allow it)`,
            };
          if (hop >= MAX_REDIRECTS) return { ok: false, retryable: false, reason: `more than ${MAX_REDIRECTS} redirects` };
          current = next.href;
          continue;
        }
        return await this.read(current, response);
      }
    } catch (error) {
      if (error instanceof AppError) throw error; // a failed login is final, not a network blip
      if (this.deps.signal?.aborted) return { ok: false, retryable: false, reason: "aborted" };
      if (timeout.aborted) return { ok: false, retryable: true, reason: `no complete response within ${Math.round(this.policy.timeoutMs / 1000)} s (timeout)` };
      const certificate = certificateProblem(error, new URL(current).host);
      if (certificate) return { ok: false, retryable: false, reason: certificate };
      const dns = codeOf(error) === "ENOTFOUND";
      if (dns)
        return {
          ok: false,
          retryable: false,
          reason: `the host name '${new URL(current).hostname}' does not resolve (DNS): check base_url for a typo, or your network`,
        };
      return { ok: false, retryable: true, reason: networkReason(error, new URL(current).host, this.options.redact(describe(error))) };
    }
  }

  private async read(url: string, response: Response): Promise<Attempt> {
    const status = response.status;
    if (status < 200 || status >= 300) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.deps.now());
      const detail = await errorDetail(response);
      const reason = `HTTP ${status}${detail ? ` (${this.options.redact(detail)})` : ""}`;
      return { ok: false, retryable: RETRYABLE_STATUS.has(status), reason, status, retryAfterMs, unauthorized: status === 401 };
    }
    // 204: nothing to send, as some APIs answer a page with no rows (an incremental sync with nothing new).
    if (status === 204) return { ok: true, response: { url, status, headers: response.headers, body: null, bytes: 0, attempts: 1, parseMs: 0 } };
    // fetch decompresses a gzip/br/deflate body but keeps the header: Content-Length is then the compressed size,
    // which says nothing about the bytes read (and a small one can hide a huge body).
    const encoding = (response.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
    const declared = encoding === "identity" ? Number(response.headers.get("content-length") ?? Number.NaN) : Number.NaN;
    if (declared > this.options.maxBodyBytes) {
      await response.body?.cancel();
      return { ok: false, retryable: false, reason: `response of ${declared} bytes is larger than the limit of ${this.options.maxBodyBytes}${RAISE}`, status };
    }
    let bytes: Uint8Array;
    try {
      // A declared length within the limit is read in one native call; otherwise chunk by chunk, counting.
      bytes = Number.isFinite(declared) ? await response.bytes() : await readLimited(response, this.options.maxBodyBytes);
    } catch (error) {
      if (error instanceof ResponseTooLarge) return { ok: false, retryable: false, reason: error.message, status };
      return { ok: false, retryable: true, reason: `the body was cut short: ${describe(error)}`, status };
    }
    if (Number.isFinite(declared) && bytes.byteLength !== declared) {
      return { ok: false, retryable: true, reason: `the body was cut short (${bytes.byteLength} of ${declared} bytes)`, status };
    }
    const type = response.headers.get("content-type") ?? "";
    // An HTML login page or a proxy's error page with status 200 is not data. A body that opens as JSON does is read
    // whatever its label: a PHP API that never sets a content type sends its JSON as text/html.
    if (type && !/json|text\/plain|javascript/i.test(type) && !opensAsJson(bytes)) {
      if (/html/i.test(type)) return { ok: false, retryable: false, reason: WEB_PAGE, status };
      return { ok: false, retryable: true, reason: `the response is ${type.split(";")[0]}, not JSON`, status };
    }
    let body: unknown;
    const timer = this.deps.timer ?? performance.now.bind(performance);
    const parsing = timer();
    const deep = { ok: false, retryable: false, reason: `the response nests deeper than ${MAX_JSON_DEPTH} levels; refusing to parse it`, status } as const;
    const scanFirst = bytes.byteLength > SCAN_FIRST_BYTES;
    if (scanFirst && nestedDeeperThan(bytes)) return deep;
    try {
      body = JSON.parse(UTF8.decode(bytes));
    } catch (error) {
      if (!scanFirst && nestedDeeperThan(bytes)) return deep; // as if scanned first: the depth is the error to report
      // Retrying a web page (a login or landing page, sent as 200) cannot turn it into data.
      if (/^\s*<(!doctype html|html|head|body)\b/i.test(UTF8.decode(bytes.subarray(0, 512)))) return { ok: false, retryable: false, reason: WEB_PAGE, status };
      const kind = type && !/json/i.test(type) ? `not JSON (content-type ${type})` : `invalid JSON (${describe(error)})`;
      return { ok: false, retryable: true, reason: `the response is ${kind}`, status };
    }
    if (!scanFirst && treeDeeperThan(body)) return deep;
    const parseMs = timer() - parsing;
    return { ok: true, response: { url, status, headers: response.headers, body, bytes: bytes.byteLength, attempts: 1, parseMs } };
  }
}

const UTF8 = new TextDecoder();
/** Whether the body's first character past white space (and a byte order mark) opens a JSON object or array. */
function opensAsJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b;
}

const RAISE = " (limits.max_response_bytes: ask for smaller pages with page_size, or raise the limit)";

const WEB_PAGE = "the URL returned a web page, not JSON — check base_url (it should be the API's JSON endpoint, not a site or login page)";

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => {});
      throw new ResponseTooLarge(`response is larger than the limit of ${limit} bytes${RAISE}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A short excerpt of an error body, e.g. the mock's {"error": "..."}. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const text = (await readCapped(response, ERROR_BODY_BYTES)).text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
      const message = parsed.error ?? parsed.message;
      if (typeof message === "string") return message.slice(0, 200);
    } catch {}
    return text.replace(/\s+/g, " ").trim().slice(0, 200);
  } catch {
    return "";
  }
}
