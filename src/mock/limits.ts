import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { jsonError } from "./respond";

export const MAX_QUERY_BYTES = 8 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;

/** 414 for a query string over MAX_QUERY_BYTES; 413 for a body over MAX_BODY_BYTES. Both answer JSON. */
export function sizeLimits(): MiddlewareHandler[] {
  const query: MiddlewareHandler = async (c, next) => {
    const url = c.req.url;
    const at = url.indexOf("?");
    if (at !== -1 && url.length - at - 1 > MAX_QUERY_BYTES) {
      return jsonError(414, `The query string is longer than ${MAX_QUERY_BYTES} bytes.`);
    }
    await next();
  };
  const body = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => jsonError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
  });
  return [query, body];
}
