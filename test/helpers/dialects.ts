// Small in-process servers that speak the dialects of real APIs, for the connector's option tests.
import type { FetchLike } from "../../src/connector/http/client";

export interface Item {
  id: number;
  title: string;
  modified: string;
  [key: string]: unknown;
}

/** n items with ascending `modified` timestamps, `tieEvery` consecutive items sharing one second. */
export function items(n: number, tieEvery = 1): Item[] {
  const start = Date.parse("2025-03-01T00:00:00Z");
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: `item ${i + 1}`,
    modified: new Date(start + Math.floor(i / tieEvery) * 1000).toISOString().replace(".000Z", "Z"),
  }));
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json", ...headers } });

export interface Recorded {
  fetch: FetchLike;
  requests: Request[];
}

function recorded(handler: (url: URL, request: Request) => Response | Promise<Response>): Recorded {
  const requests: Request[] = [];
  return { requests, fetch: async (request) => (requests.push(request), handler(new URL(request.url), request)) };
}

/** GitHub / json-server style: `?page=&per_page=`, a top-level array, RFC 8288 Link (relative), X-Total-Count. */
export function linkHeaderApi(data: Item[]): Recorded {
  return recorded((url) => {
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const since = url.searchParams.get("since");
    const list = since ? data.filter((d) => d.modified >= since) : data;
    const slice = list.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const link = (p: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set("page", String(p));
      return `<${next.pathname}${next.search}>; rel="${rel}"`;
    };
    const links = [page < last ? link(page + 1, "next") : null, link(last, "last"), link(1, "first")].filter(Boolean).join(", ");
    return json(slice, { link: links, "x-total-count": String(list.length) });
  });
}

/** Spring style: 0-based `?pageIndex=&size=`, `{content, totalPages, totalElements, number}`. */
export function zeroBasedApi(data: Item[]): Recorded {
  return recorded((url) => {
    const index = Number(url.searchParams.get("pageIndex"));
    const size = Number(url.searchParams.get("size"));
    if (!Number.isInteger(index) || index < 0 || !size) return json({ message: "bad paging" }, {});
    return json({
      content: data.slice(index * size, (index + 1) * size),
      totalPages: Math.ceil(data.length / size),
      totalElements: data.length,
      number: index,
    });
  });
}

/** Slack-style cursors: `?cursor=` in, `response_metadata.next_cursor` out; `cycleAt` makes page k point back to page 1. */
export function cursorApi(data: Item[], pageSize: number, cycleAt?: number): Recorded {
  return recorded((url) => {
    const cursor = url.searchParams.get("cursor");
    const page = cursor ? Number(atob(cursor)) : 0;
    const more = (page + 1) * pageSize < data.length;
    const next = cycleAt !== undefined && page + 1 === cycleAt ? 1 : page + 1;
    return json({ ok: true, members: data.slice(page * pageSize, (page + 1) * pageSize), response_metadata: { next_cursor: more ? btoa(String(next)) : "" } });
  });
}

/** An API key in the query string (`?api_key=`); anything else is 401. */
export function queryKeyApi(data: Item[], key: string): Recorded {
  return recorded((url) =>
    url.searchParams.get("api_key") === key ? json({ data, total: data.length, offset: 0, limit: 1000 }) : new Response('{"error":"bad key"}', { status: 401 }),
  );
}
