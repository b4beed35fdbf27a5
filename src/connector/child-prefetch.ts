import type { FetchLike } from "./http/client";

/**
 * A child stream reads one small page per parent, one parent after another: the API waited on the connector's
 * parse and write of each parent, and the connector on the API. The prefetcher overlaps them: when a parent's first
 * request goes out, the same request for the next parent (its filled URL in place of this one's) goes out too, and
 * that parent's run is answered by it when it asks for exactly that URL. Anything else (a retry, a second page, a
 * changed URL) is a plain fetch; an unused prefetched answer is cancelled.
 */
export class ChildPrefetch {
  private current: { base: string; next: string | null; first: boolean } | null = null;
  private ahead: { url: string; response: Promise<Response> } | null = null;

  constructor(
    private readonly fetch: FetchLike,
    private readonly signal?: AbortSignal,
  ) {}

  /** The parent about to be read (its filled base URL) and the next one's (null: it is the last). */
  expect(base: string, next: string | null): void {
    this.current = { base, next, first: true };
  }

  /** The fetch the child's HTTP session uses. */
  readonly fetchFn: FetchLike = (request) => {
    const ahead = this.ahead;
    const answer = ahead !== null && ahead.url === request.url && request.method === "GET" ? ahead.response : null;
    if (answer) this.ahead = null;
    const current = this.current;
    if (current?.first && request.method === "GET" && request.url.startsWith(current.base)) {
      current.first = false;
      if (current.next !== null) this.prefetch(request, current.next + request.url.slice(current.base.length));
    }
    return answer ? raceAbort(answer, request.signal) : this.fetch(request);
  };

  /** Drops a prefetched answer nobody asked for (the end of a pass, or a failure). */
  discard(): void {
    const ahead = this.ahead;
    this.ahead = null;
    ahead?.response.then((r) => r.body?.cancel()).catch(() => {});
  }

  private prefetch(like: Request, url: string): void {
    this.discard();
    const response = this.fetch(new Request(url, { headers: like.headers, redirect: "manual", signal: this.signal }));
    response.catch(() => {}); // its failure is the parent's to meet, if it asks for it
    this.ahead = { url, response };
  }
}

/** The prefetched answer, unless the request's own signal (its timeout, the sync's stop) fires first. */
function raceAbort(response: Promise<Response>, signal: AbortSignal | null): Promise<Response> {
  if (!signal) return response;
  const dropped = () => response.then((r) => r.body?.cancel()).catch(() => {});
  if (signal.aborted) {
    dropped();
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const abort = () => {
      dropped();
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
    response.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
