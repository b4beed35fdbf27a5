// One notion of a secret for everything that prints, logs or saves: credential-looking names (of query
// parameters, headers and configuration keys), user:password@ in URLs, and the values known to be secrets.

/** A name (query parameter, header, configuration key) whose value is a credential: access_token, api_key, X-Auth, Cookie, sig, ... */
const SECRET_NAME = /token|secret|passw|pwd|key|signature|^sig$|auth|credential|session|^code$|cookie/i;
/** Tokens and cursors into a list: they name a position, not a credential (the paginator sends them). */
export const POSITION_NAMES = [
  "cursor",
  "after",
  "before",
  "page_token",
  "pageToken",
  "scroll_param",
  "scroll_id",
  "starting_after",
  "ending_before",
  "next_token",
  "pagination_token",
  "continuation",
  "continuationToken",
  "marker",
];
/** Headers known to carry no credential (Accept, User-Agent, API versions): the only ones a written file may hold as given. */
const PLAIN_HEADER = /^(accept(-[a-z]+)?|user-agent|content-type|cache-control|pragma|prefer|x-requested-with|([a-z0-9]+-)*version)$/i;
/** Auth configuration keys that say how to authenticate, not with what: every other value under auth is a secret. */
export const AUTH_SHAPE_KEYS: ReadonlySet<string> = new Set(["type", "token_field", "header", "query_param", "in", "login_url", "scheme"]);

/** A query parameter or configuration key that is secret by its name, unless it names a position in a list. */
export const isSecretParam = (name: string): boolean => SECRET_NAME.test(name) && !POSITION_NAMES.includes(name);
/** A header that is secret by its name (no position exemption: a header is no page token). */
export const isSecretHeader = (name: string): boolean => SECRET_NAME.test(name);
/**
 * A header whose value becomes a ${VAR} in a file probe writes: secret-named or not known to be plain, because a
 * written file is shared and an unknown header (X-Tenant-Id) may well be a credential.
 */
export const isUnsafeToWrite = (header: string): boolean => isSecretHeader(header) || !PLAIN_HEADER.test(header);
/** A credential header's value, and the same without its scheme ("Bearer abc" and "abc"), so either is masked. */
export const credentialForms = (value: string): string[] => [value, value.replace(/^\S+\s+/, "")];

/** name=value pairs in text (query strings, form bodies) whose name looks like a credential. */
const PARAM_IN_TEXT = /([?&;]([\w.-]+)=)([^&#\s"'<>]+)/g;
/** scheme://user:password@ in text. */
const USERINFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*@/gi;

/** Text with credentials found by their shape masked: user:password@ in URLs and credential-named parameters. */
export function maskShapes(text: string): string {
  return text
    .replace(USERINFO_IN_TEXT, "$1***@")
    .replace(PARAM_IN_TEXT, (whole, prefix: string, name: string) => (isSecretParam(name) ? `${prefix}***` : whole));
}

/**
 * A URL fit to show (a probed API, a PostgreSQL --db): its password and credential-named query values (also empty
 * ones) as ***; the user name is kept, it says which account. In text that is no URL, the password of user:password@.
 */
export function maskUrl(url: string | URL): string {
  let shown: URL;
  try {
    shown = new URL(String(url));
  } catch {
    return String(url).replace(/(:\/\/[^:/@\s]*:)[^@\s]*@/, "$1***@");
  }
  if (shown.password) shown.password = "***";
  for (const name of new Set(shown.searchParams.keys())) if (isSecretParam(name)) shown.searchParams.set(name, "***");
  return shown.href.replaceAll("%2A%2A%2A", "***");
}

/**
 * Replaces every known secret value in text with ***, then masks what looks like a credential (maskShapes).
 * Secrets can be added later (a session token obtained at run time). Very short values are left alone: they
 * would mask too much to be useful.
 */
export class Redactor {
  private values: string[] = [];

  constructor(secrets: readonly unknown[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: unknown): void {
    if (typeof secret !== "string" && typeof secret !== "number") return;
    const text = String(secret);
    if (text.length < 4) return;
    const forms = [text, encodeURIComponent(text), JSON.stringify(text).slice(1, -1), new URLSearchParams({ v: text }).toString().slice(2)];
    this.values = [...new Set([...this.values, ...forms])].sort((a, b) => b.length - a.length);
  }

  /** Whether text holds a known secret value. */
  holds(text: string): boolean {
    return this.values.some((secret) => text.includes(secret));
  }

  readonly redact = (text: string): string => maskShapes(this.values.reduce((out, secret) => out.split(secret).join("***"), text));

  /**
   * A URL fit to be saved: user:password@ masked, and without the query parameters that carry a known secret or
   * are credential-named and `restorable` (the configuration sends them again with every request).
   */
  readonly strip = (url: string, restorable: ReadonlySet<string> = new Set()): string => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.redact(url);
    }
    // Masked, not dropped: a URL that carried user:password@ is still refused when it is followed.
    if (parsed.username) parsed.username = "***";
    if (parsed.password) parsed.password = "***";
    for (const [name, value] of [...parsed.searchParams]) {
      if (this.holds(value) || this.holds(name) || (restorable.has(name) && isSecretParam(name))) parsed.searchParams.delete(name);
    }
    return parsed.href;
  };
}

/** Every value under `value` (strings and numbers), for a configuration section that is secret as a whole (auth). */
export function leafValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leafValues);
  return [value];
}
