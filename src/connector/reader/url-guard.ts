import type { SyncConfig } from "../../config/schema";
import { SyncError } from "../../errors";
import type { PaginatedStrategy } from "../paginators";
import type { Redactor } from "../../secrets";

/**
 * The URLs a run may request: on base_url's origin (or one listed in allow_origins), without user:password@, and
 * not one it has read already: a repeated or cyclic token or next link would otherwise loop forever.
 */
export class UrlGuard {
  private readonly seen = new Set<string>();
  readonly origin: string;

  constructor(
    private readonly config: SyncConfig,
    private readonly redactor: Redactor,
  ) {
    this.origin = new URL(config.base_url).origin;
  }

  /** Refuses the URL, or notes it as read; a page re-read on purpose (a tie proof, a restart) may repeat one. */
  check(url: string, rereading: boolean, strategy: PaginatedStrategy | null): void {
    const { config, origin } = this;
    const redact = this.redactor.redact;
    const target = new URL(url);
    if (target.username || target.password) throw new SyncError("origin", `refusing to follow ${redact(url)}: it carries user:password@`);
    if (target.origin !== origin && !config.allow_origins.includes(target.origin)) {
      throw new SyncError(
        "origin",
        `refusing to follow ${redact(url)}: it is not on ${origin}, the origin of base_url (list it in allow_origins to allow it; credentials and headers still go only to base_url)${elsewhere(config, target)}`,
      );
    }
    if (this.seen.has(url) && !rereading) {
      throw new SyncError(
        "loop",
        `the API sent the sync back to a page it already read (${redact(url)}): a repeated or cyclic ${strategy === "keyset" ? "token" : "URL"}; stopping before looping forever`,
      );
    }
    this.seen.add(url);
  }

  /** A restart retraces pages already read: that is not a loop (the restart caps bound it). */
  forget(): void {
    this.seen.clear();
  }
}

/**
 * A link to base_url's own path on its own host by plain http, or on an internal address (a private IP, a name
 * without a dot), is the API naming itself by the address it has behind a proxy that does not forward
 * X-Forwarded-Host/Proto (DRF, Laravel, Spring).
 */
function elsewhere(config: SyncConfig, target: URL): string {
  const base = new URL(config.base_url);
  const host = target.hostname;
  const internal = host === base.hostname || host === "localhost" || !host.includes(".") || /^(10|127)\.|^192\.168\.|^172\.(1[6-9]|2\d|3[01])\./.test(host);
  if (target.pathname !== base.pathname || !internal) return "";
  return (
    ". It is base_url's own path on another address: the API writes its links with the address it has behind a proxy (the proxy does not forward " +
    "X-Forwarded-Host/X-Forwarded-Proto). Page by numbers or offsets instead, which need no links (--strategy page_number or offset), or fix the proxy"
  );
}
