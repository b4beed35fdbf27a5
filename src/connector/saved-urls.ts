// No secret is saved in state: a URL the server hands back (a next link that echoes the query, GitHub-style) is
// stripped of known secret values, user:password@ and the credential parameters the configuration sends; those
// are added back when the URL is requested, so a resumed run still authenticates.
import type { SyncConfig } from "../config/schema";
import { isSecretParam, type Redactor } from "../secrets";
import type { Position } from "./paginators";

/** The query parameters the configuration sends itself (params, the api_key parameter): safe to strip, restored on use. */
function restorable(config: SyncConfig): Set<string> {
  const names = new Set(Object.keys(config.params));
  if (config.auth?.type === "api_key" && config.auth.query_param) names.add(config.auth.query_param);
  return names;
}

/** A position fit to be saved: every URL in it stripped of secrets. */
export function savedPosition(position: Position, config: SyncConfig, redactor: Redactor): Position {
  const names = restorable(config);
  const strip = (url: string) => redactor.strip(url, names);
  return {
    ...position,
    ...("url" in position && position.url ? { url: strip(position.url) } : {}),
    ...("prev" in position && position.prev ? { prev: { ...position.prev, url: strip(position.prev.url) } } : {}),
    ...("verify" in position && position.verify ? { verify: { ...position.verify, url: strip(position.verify.url) } } : {}),
  };
}

/** A URL on the API's origin with the configuration's secret params put back where a saved URL lost them. */
export function withConfigSecrets(url: string, config: SyncConfig, origin: string, redactor: Redactor): string {
  const target = new URL(url);
  if (target.origin !== origin) return url;
  let changed = false;
  for (const [name, value] of Object.entries(config.params)) {
    if (!target.searchParams.has(name) && (isSecretParam(name) || redactor.holds(value))) {
      target.searchParams.set(name, value);
      changed = true;
    }
  }
  return changed ? target.href : url;
}
