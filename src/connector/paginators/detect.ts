import { SyncError } from "../../errors";
import { hasPath, type ResponseShape } from "../page";
import type { PaginatedStrategy } from "./types";

export interface Detection {
  strategy: PaginatedStrategy;
  reason: string;
}

/**
 * Detects the paging style from the first response's shape. Order matters: a token or next URL is the most
 * specific signal; page counts come before offsets because page-number APIs often report totals too.
 */
export function detectStrategy(body: unknown, shape: ResponseShape, where: string): Detection {
  if (shape.next_token && hasPath(body, shape.next_token)) return { strategy: "keyset", reason: `the response has '${shape.next_token}' (a scroll token)` };
  if (shape.next_url && hasPath(body, shape.next_url)) return { strategy: "next_page_url", reason: `the response has '${shape.next_url}' (a next-page URL)` };
  if (shape.total_pages && hasPath(body, shape.total_pages)) return { strategy: "page_number", reason: `the response has '${shape.total_pages}' (page numbers)` };
  if (hasPath(body, "offset") || (shape.total && hasPath(body, shape.total) && hasPath(body, "limit"))) {
    return { strategy: "offset", reason: `the response has 'offset'/'limit'${shape.total ? ` and '${shape.total}'` : ""} (offsets)` };
  }
  const keys = typeof body === "object" && body !== null && !Array.isArray(body) ? Object.keys(body).join(", ") : Array.isArray(body) ? "a top-level array" : typeof body;
  throw new SyncError("detect", `${where}: cannot tell the pagination style from the response (it has ${keys}); set "strategy" in the configuration or --strategy`);
}
