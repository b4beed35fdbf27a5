import * as v from "valibot";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, describe } from "../errors";
import { AUTH_SHAPE_KEYS, credentialForms, isSecretHeader, leafValues, Redactor } from "../secrets";
import { didYouMean } from "../suggest";
import { jsonErrorOffset, lineAndColumn } from "./json-position";
import { keysAt } from "./keys";
import { ConfigSchema, type SyncConfig } from "./schema";
import { checkStrategyNames, type GivenNames } from "./strategy-config";

/** Flags that override configuration keys of the same name (kebab-case on the command line). */
export type ConfigOverrides = Partial<Record<keyof SyncConfig, unknown>>;

export interface LoadOptions {
  /** --config; when absent, ./configuration.json is used if it exists. */
  file?: string;
  overrides?: ConfigOverrides;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const DEFAULT_CONFIG_FILE = "configuration.json";

/** File + flags + environment, one merge, one validation. Throws ConfigError naming the key; writes nothing. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const merged: Record<string, unknown> = { ...readConfigFile(options) };
  for (const [key, value] of Object.entries(options.overrides ?? {})) if (value !== undefined) merged[key] = value;
  return validateConfig(merged, options.env);
}

/**
 * One merged configuration (file, flags) checked: ${VAR} filled from the environment, the schema, the keys that
 * only mean something together. `name` turns a key in a message into its place in the file (`streams[2].page_size`);
 * `given` holds the request/response names set for this strategy by hand (a stream's defaults serve several).
 */
export function validateConfig(
  merged: Record<string, unknown>,
  env: LoadOptions["env"],
  name: (key: string) => string = (key) => key,
  given: GivenNames = merged,
): LoadedConfig {
  const secrets = new Set<string>();
  // Every message below goes through the one redactor: the environment's values, every auth value and
  // secret-named header (numbers too), user:password@ and credential-named query parameters.
  const redactor = new Redactor(givenSecrets(merged));
  try {
    const resolved = interpolate(merged, env, "", secrets);
    for (const value of secrets) redactor.add(value);
    for (const value of givenSecrets(resolved as Record<string, unknown>)) redactor.add(value);
    const result = v.safeParse(ConfigSchema, resolved);
    if (!result.success) throw new ConfigError(`configuration: ${formatIssues(result.issues, redactor, name)}`);
    checkPriorityFirst(result.output, merged, name);
    checkStrategyNames(result.output.strategy, given, name);
    checkDowngrade(result.output);
    for (const value of credentialValues(result.output)) secrets.add(value);
    return { config: result.output, secrets: [...secrets] };
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(redactor.redact(error.message));
    throw error;
  }
}

/** The secret values in a configuration as given (before validation): every auth value but its shape, secret-named headers. */
function givenSecrets(config: Record<string, unknown>): unknown[] {
  const values: unknown[] = [];
  const auth = config.auth;
  if (typeof auth === "object" && auth !== null) {
    for (const [key, value] of Object.entries(auth)) if (!AUTH_SHAPE_KEYS.has(key)) values.push(...leafValues(value));
  }
  const headers = config.headers;
  if (typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(headers))
      if (isSecretHeader(name)) values.push(...(typeof value === "string" ? credentialForms(value) : [value]));
  }
  // A ${VAR} reference is not itself a secret (it is named in errors); only what is written around it.
  return values.map((value) => (typeof value === "string" ? value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, "").trim() : value));
}

const PRIORITY_KEYS = ["window", "max_duration", "history_limit"] as const;

/** The keys that only mean something together, checked once the values themselves are valid. */
function checkPriorityFirst(config: SyncConfig, given: Record<string, unknown>, name: (key: string) => string): void {
  if (!config.priority_first) {
    const stray = PRIORITY_KEYS.find((key) => given[key] !== undefined && given[key] !== null);
    if (stray)
      throw new ConfigError(`configuration: ${name(stray)} only applies to a priority-first sync; add --priority-first (priority_first: true) or drop it`);
    return;
  }
  if (typeof config.initial_cursor === "number")
    throw new ConfigError(
      `configuration: priority_first reads history in windows of time, but initial_cursor is a number (${config.initial_cursor}): give a timestamp like 2024-01-31T23:59:59Z, or sync without --priority-first`,
    );
  if (config.request.since_param === null) {
    throw new ConfigError(
      "configuration: priority_first needs an API that filters by the cursor, but request.since_param is null: without it one window of history cannot be read on its own; set request.since_param (e.g. updated_since) or sync without --priority-first",
    );
  }
}

/** Credentials that would leave an https API for an http:// origin in clear text need their own, explicit yes. */
function checkDowngrade(config: SyncConfig): void {
  if (!config.send_credentials_to_allowed_origins || config.send_credentials_over_http || !config.base_url.startsWith("https:")) return;
  const plain = config.allow_origins.find((origin) => origin.startsWith("http:"));
  if (plain) {
    throw new ConfigError(
      `configuration: send_credentials_to_allowed_origins would send the credentials in clear text to ${plain} (allow_origins) while base_url is https; list its https:// origin instead, or set send_credentials_over_http: true if you accept that`,
    );
  }
}

export interface LoadedConfig {
  config: SyncConfig;
  /** Values taken from the environment: never printed, logged or stored. */
  secrets: string[];
}

export function readConfigFile(options: Pick<LoadOptions, "file" | "cwd">): Record<string, unknown> {
  const explicit = options.file !== undefined;
  const path = resolve(options.cwd, options.file ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`configuration file '${options.file}' does not exist`);
    return {};
  }
  if (statSync(path).isDirectory()) throw new ConfigError(`configuration file '${path}' is a directory`);
  let parsed: unknown;
  const text = readFileSync(path, "utf8");
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const at = jsonErrorOffset(text);
    const where = at === null ? "" : ` at ${lineAndColumn(text, at)}${at >= text.length ? " (the file ends too soon)" : ""}`;
    throw new ConfigError(`configuration file '${path}' is not valid JSON${where}: ${describe(error).replace(/^JSON Parse error: /, "")}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`configuration file '${path}' must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Replaces ${VAR} in every string with the environment's value; a missing variable is a configuration error. */
function interpolate(value: unknown, env: Record<string, string | undefined>, at: string, secrets: Set<string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw new ConfigError(`configuration: ${at || "value"} refers to \${${name}}, which is not set in the environment`);
      if (found !== "") secrets.add(found);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, `${at}[${i}]`, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, interpolate(item, env, at ? `${at}.${k}` : k, secrets)]));
  }
  return value;
}

/** Credentials in the configuration, whether or not they came from ${VAR}: never printed, logged or stored. */
function credentialValues(config: SyncConfig): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(config.headers)) if (isSecretHeader(name)) values.push(...credentialForms(value));
  const auth = config.auth;
  if (auth?.type === "bearer") values.push(auth.token);
  if (auth?.type === "basic" || auth?.type === "session_token") values.push(auth.password, btoa(`${auth.username}:${auth.password}`));
  if (auth?.type === "api_key") values.push(auth.key);
  return values.filter((value) => value.length > 0);
}

type Issue = v.BaseIssue<unknown>;

function issuePath(issue: Issue): string {
  return (issue.path ?? [])
    .map((item) => (typeof item.key === "number" ? `[${item.key}]` : String(item.key)))
    .join(".")
    .replace(/\.\[/g, "[");
}

function show(value: unknown, redactor: Redactor): string {
  const json = JSON.stringify(value);
  const text = json === undefined ? undefined : redactor.redact(json);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The first issues, each naming the key, the value received and what is allowed. */
export function formatIssues(issues: readonly Issue[], redactor: Redactor = new Redactor(), name: (key: string) => string = (key) => key): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const key = issuePath(issue);
      if (issue.type === "strict_object" && issue.expected === "never") return unknownKey(issue, key, name);
      if (issue.input === undefined && key) return `${name(key)} is required${key === "base_url" ? " (in the configuration file or as --base-url)" : ""}`;
      const own = issue.message.startsWith("Invalid") ? `${key || "value"}: ${issue.message}` : issue.message;
      // The schema's messages begin with the key; a stream's key is named by its place in the file.
      const message = key && own.startsWith(key) ? `${name(key)}${own.slice(key.length)}` : own;
      const secret = key === "auth" || key.startsWith("auth.") ? !AUTH_SHAPE_KEYS.has(key.slice(5)) : redactor.holds(String(issue.input));
      const got = secret ? "(a secret, not shown)" : show(issue.input, redactor);
      return redactor.redact(`${message}, got ${got}`);
    })
    .join("; ");
}

/** An unknown key, with the nearest known one at its level and where every key is listed. */
function unknownKey(issue: Issue, key: string, name: (key: string) => string): string {
  const path = (issue.path ?? []).map((item) => String(item.key));
  const parent = path.slice(0, -1);
  const at = name(key).slice(0, -key.length); // the suggestion sits where the unknown key does
  const near = didYouMean(path.at(-1) ?? key, keysAt(parent), (k) => `${at}${[...parent, k].join(".")}`);
  return `unknown key '${name(key)}'${near}; every key is listed by 'connector config --help'`;
}
