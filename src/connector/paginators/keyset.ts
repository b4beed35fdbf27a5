import * as v from "valibot";
import type { Page } from "../page";
import { CursorSchema } from "./position";
import { buildUrl, MAX_EMPTY_PAGES, own, type BasePosition, type Paginator, type PaginatorContext, type Step } from "./types";

export const KeysetPositionSchema = v.object({
  strategy: v.literal("keyset"),
  since: v.nullable(CursorSchema),
  token: v.nullable(v.string()),
  /** Empty pages in a row so far, each with a new token (Slack's documented empty pages with a next_cursor). */
  empty: v.optional(v.number()),
});
type KeysetPosition = v.InferOutput<typeof KeysetPositionSchema>;

/** The playground's fixed keyset page size, which is also the default page_size: it needs no parameter. */
const PLAYGROUND_KEYSET_SIZE = 50;

/**
 * Scroll-token paging: the first request filters by `since`, later ones carry only the server's token (plus the
 * static params). The token is saved with each page, so a killed sync resumes on the exact page. Any page size
 * but the playground's is sent as `limit_param` on every request (the playground itself rejects the parameter).
 */
export function keysetPaginator(ctx: PaginatorContext): Paginator {
  let size: Record<string, number> = ctx.pageSize === PLAYGROUND_KEYSET_SIZE ? {} : { [ctx.names.limit_param]: ctx.pageSize };
  const at = (position: BasePosition) => own<KeysetPosition>("keyset", position, (since) => ({ strategy: "keyset", since, token: null }));
  return {
    strategy: "keyset",
    url(position: BasePosition): string {
      const { since, token } = at(position);
      if (!token) return buildUrl(ctx, since, size);
      const url = new URL(buildUrl(ctx, null, size));
      url.searchParams.set(ctx.names.token_param, token);
      return url.href;
    },
    advance(position: BasePosition, page: Page): Step<KeysetPosition> {
      const here = at(position);
      const token = page.nextToken ?? null;
      if (page.records.length > 0) return { rows: page.records, next: token === null ? null : { strategy: "keyset", since: here.since, token } };
      // An empty page ends the list unless it hands over a token it was not given: some APIs (Slack) answer a page
      // with no rows and a next cursor mid-list, and stopping there lost the rest (exit 0).
      const empty = (here.empty ?? 0) + 1;
      if (token === null || token === here.token) return { rows: [], next: null };
      if (empty > MAX_EMPTY_PAGES)
        return { rows: [], next: null, notice: `${MAX_EMPTY_PAGES} empty pages in a row, each with a new token: taken as the end of the list` };
      return { rows: [], next: { strategy: "keyset", since: here.since, token, empty } };
    },
    // The playground (and APIs like it) reject a size parameter they do not know; a token pages without one.
    refused(url, error) {
      const name = ctx.names.limit_param;
      const target = new URL(url);
      if (error.status !== 400 || !target.searchParams.has(name) || !error.message.includes(`'${name}'`)) return null;
      size = {};
      target.searchParams.delete(name);
      return {
        url: target.href,
        warning: `the API refused '${name}' (request.limit_param) on keyset requests (HTTP 400): paging by the server's own page size from here; set page_size 50, or request.limit_param to the API's name for it`,
      };
    },
  };
}
