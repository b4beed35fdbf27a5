import type { SyncConfig } from "../config/schema";
import type { PaginatorContext } from "./paginators";

export function contextOf(config: SyncConfig): PaginatorContext {
  return {
    baseUrl: config.base_url,
    params: config.params,
    pageSize: config.page_size,
    primaryKey: config.primary_key,
    cursorField: config.cursor_field,
    names: config.request,
  };
}

/** What identifies the source: a run in progress is only resumed against the same one. */
export function sourceOf(config: SyncConfig): string {
  const url = new URL(config.base_url);
  return `${url.origin}${url.pathname}`;
}
