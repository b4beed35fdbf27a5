// A deliberately lenient API, as real servers are (DRF, json-server, Spring): unknown query parameters are
// ignored, the page size is capped (or its parameter ignored), and next links echo the query string. Usable in
// process (its `fetch`) or on a loopback port (`serve()`) for tests of the compiled binary.
import type { Item, Recorded } from "./dialects";

export interface LenientOptions {
  /** How pages are addressed and what the body looks like. */
  style: "page" | "offset" | "next" | "link" | "token";
  /** The parameter names this server understands (anything else is ignored). */
  pageParam?: string;
  sizeParam?: string;
  offsetParam?: string;
  tokenParam?: string;
  /** The filter this server applies (`modified >= value`); null: none. */
  sinceParam?: string | null;
  /** The filter is `modified > value` (some APIs' `updated_since`/`updated_after`), not `>=`. */
  exclusiveSince?: boolean;
  /** The largest page it serves (DRF's max_page_size, GitHub's 100); a larger request gets this many. */
  maxPageSize?: number;
  /** The page size when the size parameter is absent (or not understood). */
  defaultPageSize?: number;
  /** json-server: Link headers only when the page parameter is in the request. */
  linkOnlyWhenPaged?: boolean;
  /** Sorted by `modified` only when this parameter is in the request; else in a fixed shuffled order (by id). */
  sortParam?: string;
  /** Laravel without withQueryString: next links keep only the page parameter, dropping sort and filters. */
  linksDropQuery?: boolean;
  /** The filter compares `modified` as instants (a database's timestamp column), not as text. */
  byInstant?: boolean;
}

/** The lenient server's anchored styles with the configuration that reads each (its size parameter named `limit`). */
export const LENIENT_PAGING = [
  { strategy: "offset", style: "offset", size: {}, response: { records: "data", total: "total" } },
  { strategy: "page_number", style: "page", size: { per_page_param: "limit" }, response: { records: "data", total: "total" } },
  { strategy: "next_page_url", style: "next", size: { per_page_param: "limit" }, response: { records: "results", next_url: "next", total: "count" } },
] as const;

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json", ...headers } });

export interface LenientApi extends Recorded {
  /** Binds 127.0.0.1 on a free port (https with `tls`: PEM texts); `stop()` closes it. */
  serve(tls?: { key: string; cert: string }): { url: string; stop: () => void };
}

/** The lenient server over `data` (sorted by `modified`, then id, as the items helper makes it). */
export function lenientApi(data: Item[], options: LenientOptions): LenientApi {
  const o = {
    pageParam: "page",
    sizeParam: "per_page",
    offsetParam: "offset",
    tokenParam: "cursor",
    sinceParam: "since",
    maxPageSize: 100,
    defaultPageSize: 20,
    linkOnlyWhenPaged: false,
    exclusiveSince: false,
    ...options,
  };
  const requests: Request[] = [];
  const handle = (request: Request): Response => {
    requests.push(request);
    const url = new URL(request.url);
    const q = url.searchParams;
    const since = o.sinceParam ? q.get(o.sinceParam) : null;
    const ordered = o.sortParam && !q.has(o.sortParam) ? [...data].sort((a, b) => ((a.id * 7919) % 1009) - ((b.id * 7919) % 1009)) : data;
    const at = o.byInstant ? (value: string) => Date.parse(value) : (value: string) => value;
    const list = since ? ordered.filter((d) => (o.exclusiveSince ? at(d.modified) > at(since) : at(d.modified) >= at(since))) : ordered;
    const asked = Number(q.get(o.sizeParam));
    const size = Math.min(Number.isInteger(asked) && asked > 0 ? asked : o.defaultPageSize, o.maxPageSize);
    const page = Math.max(1, Number(q.get(o.pageParam)) || 1);
    const start =
      o.style === "offset"
        ? Math.max(0, Number(q.get(o.offsetParam)) || 0)
        : o.style === "token"
          ? Number(atob(q.get(o.tokenParam) ?? "") || 0)
          : (page - 1) * size;
    const rows = list.slice(start, start + size);
    const more = start + size < list.length;
    const withPage = (p: number) => {
      const next = new URL(o.linksDropQuery ? `${url.origin}${url.pathname}` : url.href);
      next.searchParams.set(o.pageParam, String(p));
      return next.href;
    };
    switch (o.style) {
      case "page":
        return json({ data: rows, total: list.length, total_pages: Math.ceil(list.length / size), page });
      case "offset":
        return json({ data: rows, total: list.length });
      case "next":
        return json({ count: list.length, next: more ? withPage(page + 1) : null, results: rows });
      case "token":
        return json({ items: rows, total: list.length, next_cursor: more ? btoa(String(start + size)) : null });
      case "link": {
        const paged = q.has(o.pageParam);
        const headers: Record<string, string> = { "x-total-count": String(list.length) };
        if (paged || !o.linkOnlyWhenPaged)
          headers.link = [more ? `<${withPage(page + 1)}>; rel="next"` : null, `<${withPage(1)}>; rel="first"`].filter(Boolean).join(", ");
        return json(rows, headers);
      }
    }
  };
  return {
    requests,
    fetch: async (request) => handle(request),
    serve(tls) {
      const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle, ...(tls ? { tls } : {}) });
      return { url: `${tls ? "https" : "http"}://127.0.0.1:${server.port}`, stop: () => void server.stop(true) };
    },
  };
}
