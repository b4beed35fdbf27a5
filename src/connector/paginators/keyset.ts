import * as v from "valibot";
import type { Page } from "../page";
import { CursorSchema } from "./position";
import { buildUrl, own, type BasePosition, type Paginator, type PaginatorContext, type Step } from "./types";

export const KeysetPositionSchema = v.object({ strategy: v.literal("keyset"), since: v.nullable(CursorSchema), token: v.nullable(v.string()) });
type KeysetPosition = v.InferOutput<typeof KeysetPositionSchema>;

/** The first request filters by `since`; later ones carry only the server's token. */

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
      const token = page.nextToken;
      const done = page.records.length === 0 || token === null || token === undefined;
      return { rows: page.records, next: done ? null : { strategy: "keyset", since: at(position).since, token } };
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
