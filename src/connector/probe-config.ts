// What probe writes into configuration.json from the probed URL and headers: paging parameters become request
// names, other query parameters stay as params, and every secret becomes a ${VAR} placeholder.
import { credentialForms, isSecretParam, isUnsafeToWrite, maskUrl, POSITION_NAMES } from "../secrets";
import { PAGE_PARAMS } from "./paginators/detect";

/** Query parameter names that page through a list, by the request name each one configures. */
const PAGING_NAMES: Record<string, readonly string[]> = {
  limit_param: ["limit", "max", "maxResults", "max_results"],
  offset_param: ["offset", "skip", "start", "startAt", "start_at"],
  page_param: PAGE_PARAMS,
  per_page_param: ["per_page", "perPage", "page_size", "pageSize", "size", "pagelen"],
};
const DEFAULT_NAMES: Record<string, string> = { limit_param: "limit", offset_param: "offset", page_param: "page", per_page_param: "per_page" };
const AUTH_HEADER = /^(proxy-)?authorization$/i;

export interface QuerySplit {
  /** The URL without its query string. */
  baseUrl: string;
  /** Static query parameters, secrets as ${VAR}. */
  params: Record<string, string>;
  /** Request names that differ from the defaults, from the paging parameters the URL carried. */
  request: Record<string, string | number>;
  /** The page size the URL asked for, if it named one. */
  pageSize?: number;
}

function envName(name: string, taken: readonly string[]): string {
  const base =
    name
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .toUpperCase() || "SECRET";
  const safe = /^\d/.test(base) ? `API_${base}` : base;
  let candidate = safe;
  for (let n = 2; taken.includes(candidate); n++) candidate = `${safe}_${n}`;
  return candidate;
}

/** A ${VAR} named after `name`, added to `variables` (the names to set in the environment, in order). */
function placeholder(name: string, variables: string[]): string {
  const variable = envName(name, variables);
  variables.push(variable);
  return `\${${variable}}`;
}

/** Splits the probed URL into base_url, static params and request names; `tokenParam` is dropped too. */
export function splitQuery(url: URL, variables: string[], tokenParam?: string): QuerySplit {
  const split: QuerySplit = { baseUrl: `${url.origin}${url.pathname}`, params: {}, request: {} };
  for (const [name, value] of url.searchParams) {
    const role = Object.keys(PAGING_NAMES).find((key) => PAGING_NAMES[key]?.includes(name));
    if (role || POSITION_NAMES.includes(name) || name === tokenParam) {
      if (role && name !== DEFAULT_NAMES[role]) split.request[role] = name;
      const size = Number(value);
      if ((role === "limit_param" || role === "per_page_param") && Number.isInteger(size) && size >= 1 && size <= 10_000) split.pageSize = size;
      if (role === "page_param" && value === "0") split.request.first_page = 0;
    } else if (isSecretParam(name)) {
      split.params[name] = placeholder(name, variables);
    } else split.params[name] = value;
  }
  return split;
}

/** Headers for the file: safe ones as given, the others as ${VAR} (an auth scheme such as "Bearer" is kept). */
export function placeholderHeaders(headers: Record<string, string>, variables: string[]): Record<string, string> {
  const written: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isUnsafeToWrite(name)) {
      written[name] = value;
      continue;
    }
    const scheme = AUTH_HEADER.test(name) ? /^([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value) : null;
    const variable = placeholder(AUTH_HEADER.test(name) ? "API_TOKEN" : name, variables);
    written[name] = scheme ? `${scheme[1]} ${variable}` : variable;
  }
  return written;
}

/** The probed URL for display (secrets.ts masks it). */
export const shownUrl = maskUrl;

/** Every value probe treats as a secret (query and header credentials, also without their auth scheme), for redaction. */
export function secretValues(url: URL, headers: Record<string, string>): string[] {
  const values = [...url.searchParams].filter(([name]) => isSecretParam(name)).map(([, value]) => value);
  for (const [name, value] of Object.entries(headers)) if (isUnsafeToWrite(name)) values.push(...credentialForms(value));
  return values;
}
