import type { Settings } from "../options";
import type { ParamSpec } from "../query";
import { formatTimestamp } from "../time";
import { catalog, type Endpoint, type EndpointKind } from "./catalog";
import { SCRIPT } from "./script";
import { STYLE } from "./style";

const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const range = (r: [number, number] | undefined) => (r === undefined ? undefined : r[0] === r[1] ? String(r[0]) : `${r[0]}-${r[1]}`);

/** The settings this mock runs with, as the serve-mock flags that set them (credentials never). */
export function flagsOf(s: Settings): [flag: string, value: string, set: boolean][] {
  const rows: [string, string | number | undefined, boolean][] = [
    ["--records", s.records, true],
    ["--seed", s.seed, true],
    ["--now", formatTimestamp(s.anchor), true],
    ["--span-days", s.spanSeconds / 86400, true],
    ["--same-second", s.sameSecond, s.sameSecond > 1],
    ["--max-page-size", s.maxPageSize, s.maxPageSize !== 50],
    ["--mutate-per-sec", s.mutatePerSec, s.mutatePerSec > 0],
    ["--delete-share", s.deleteShare, s.deleteShare > 0],
    ["--fail-rate", s.failRate, s.failRate > 0],
    ["--latency-ms", range(s.latencyMs) ?? "off", s.latencyMs !== undefined],
    ["--truncate-rate", s.truncateRate, s.truncateRate > 0],
    ["--malformed-rate", s.malformedRate, s.malformedRate > 0],
    ["--throttle-rate", s.throttleRate, s.throttleRate > 0],
    ["--slow-rate", s.slowRate, s.slowRate > 0],
    ["--slow-ms", range(s.slowMs), s.slowRate > 0],
    ["--rate-limit", s.rateLimit ? `capacity ${s.rateLimit.capacity}, ${s.rateLimit.refillPerSec}/s` : "off", s.rateLimit !== undefined],
    ["--require-auth", s.requireAuth ?? "off", s.requireAuth !== undefined],
    ["--session-ttl", s.sessionTtlSeconds, s.sessionTtlSeconds !== 300],
    ["--public-url", s.publicUrl ?? "off", s.publicUrl !== undefined],
  ];
  return rows.map(([flag, value, set]) => [flag, String(value), set]);
}

function describeParam(name: string, spec: ParamSpec): string {
  switch (spec.kind) {
    case "int":
      return `${name}: ${spec.min}${spec.max < Number.MAX_SAFE_INTEGER ? `..${spec.max}` : "+"}, default ${spec.default}`;
    case "choice":
      return `${name}: ${spec.values.join(" | ")}`;
    case "timestamp":
      return `${name}: YYYY-MM-DDTHH:MM:SSZ`;
    case "text":
      return name;
  }
}

function endpointCard(e: Endpoint, canAuth: boolean): string {
  const params = Object.entries(e.params)
    .map(([name, spec]) => `<span class="param mono">${esc(describeParam(name, spec))}</span>`)
    .join("");
  const href = e.tryQuery === undefined ? undefined : `${e.path}${e.tryQuery ? `?${e.tryQuery}` : ""}`;
  const tryIt =
    href !== undefined && (!e.auth || canAuth)
      ? `<a class="try mono" href="${esc(href)}"${e.auth ? ` data-auth="${e.auth}"` : ""}>try it: ${esc(href)}</a><pre class="out"></pre>`
      : "";
  const auth = e.auth ? ` <span class="badge">auth: ${esc(e.auth)}</span>` : "";
  return `<div class="card"><div class="ep-head"><span class="method ${e.method}">${e.method}</span><span class="path mono">${esc(e.path)}</span>${auth}</div>
<div class="summary">${esc(e.summary)}</div>${params ? `<div class="params">${params}</div>` : ""}${tryIt}</div>`;
}

function credentialsSection(s: Settings, show: boolean): string {
  if (!show)
    return `<p>Started with <code>--require-auth ${esc(s.requireAuth ?? "")}</code>: the credentials are in the terminal banner, and shown here only to a request that carries one (so is the live log).</p>`;
  const secret = (label: string, value: string) =>
    `<span>${label}</span><span class="secret mono" data-value="${esc(value)}" data-shown="0">${"\u2022".repeat(10)} (click to reveal)</span>`;
  const { user, password, token } = s.credentials;
  return `<div class="card cred">${secret("user", user)}${secret("password", password)}${secret("token", token)}</div>
<p class="summary">Basic: user and password. Bearer: <code>Authorization: Bearer &lt;token&gt;</code>. API key: <code>Authorization: apiKey &lt;token&gt;</code>. Session: POST the user and password to /auth/session_token/login, then <code>Authorization: Token &lt;token&gt;</code> (valid ${s.sessionTtlSeconds} s).</p>`;
}

const KINDS: [EndpointKind, string][] = [
  ["Pagination", "Pagination styles"],
  ["Resources", "Related resources (for several streams)"],
  ["Auth", "Auth"],
  ["Export", "Export"],
  ["Oracle", "Oracle (never faulted, for checking a sync)"],
  ["About", "About this mock"],
];

/** GET /: the endpoints with "try it" links, the credentials (when `showCredentials`), the flags and the live log. */
export function renderPage(s: Settings, showCredentials: boolean): string {
  const endpoints = catalog(s);
  const groups = KINDS.map(
    ([kind, title]) =>
      `<h2>${title}</h2>${endpoints
        .filter((e) => e.kind === kind)
        .map((e) => endpointCard(e, showCredentials))
        .join("\n")}`,
  ).join("\n");
  const flags = flagsOf(s)
    .map(([flag, value, set]) => `<span class="flag mono${set ? " set" : ""}">${esc(flag)} ${esc(value)}</span>`)
    .join("");
  const data = JSON.stringify({ credentials: showCredentials ? s.credentials : null }).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>connector mock API</title><style>${STYLE}</style></head><body><main>
<h1>connector mock API</h1><p class="lead">${s.records.toLocaleString("en")} fake users at start, seed ${s.seed}. Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<div class="layout"><div class="main-col">
<h2>Flags</h2><div class="flags">${flags}</div>
<h2>Credentials of this run</h2>${credentialsSection(s, showCredentials)}
${groups}
</div><aside class="side"><h2>Live request log</h2><div class="log-wrap"><table><thead><tr><th class="time">time</th><th>method</th><th>path</th><th>status</th><th class="ms">ms</th><th>fault</th></tr></thead><tbody id="log-rows"></tbody></table></div>
<p id="log-empty" class="summary">No requests yet: try an endpoint.</p></aside></div>
</main><script type="application/json" id="mock-data">${data}</script><script>${SCRIPT}</script></body></html>`;
}
