// Several streams in one configuration (issue 19): `streams: [...]` in configuration.json, the top-level keys being
// every stream's defaults. Each stream is expanded here, once, into one validated SyncConfig.
import { ConfigError } from "../errors";
import { IDENTIFIER, type SyncConfig } from "./schema";
import { readConfigFile, validateConfig, type LoadOptions } from "./load";

/** One stream of a sync: its name, its own complete configuration, and the parent whose rows fill its URL. */
export interface StreamDef {
  name: string;
  config: SyncConfig;
  /** The stream whose rows fill this one's `{parent.field}` placeholders; null for a top-level stream. */
  parent: string | null;
  /** The parent stream's table, where its rows are read from. */
  parentTable: string | null;
  /** The parent's fields the placeholders name (each row of the child gets `_parent_<field>`). */
  parentFields: string[];
  /**
   * `per_parent_cursor: true`: the child endpoint filters by its own cursor (request.since_param), so each parent's
   * children are read from that parent's newest stored child, not from the start.
   */
  perParentCursor: boolean;
}

export interface LoadedStreams {
  streams: StreamDef[];
  /** False for a configuration without `streams`: it syncs one table exactly as before. */
  multi: boolean;
  secrets: string[];
}

/** The keys a stream entry has besides the configuration keys it overrides. */
const OWN_KEYS = ["name", "path", "parent", "per_parent_cursor"] as const;
/** `{users.id}`: a parent's field in a child's path or params. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** File + flags + environment into one validated configuration per stream. Throws ConfigError naming the key. */
export function loadStreams(options: LoadOptions): LoadedStreams {
  const raw = readConfigFile(options);
  const flags = Object.fromEntries(Object.entries(options.overrides ?? {}).filter(([, value]) => value !== undefined));
  if (raw.streams === undefined) {
    const { config, secrets } = validateConfig({ ...raw, ...flags }, options.env);
    return { streams: [{ name: config.table, config, parent: null, parentTable: null, parentFields: [], perParentCursor: false }], multi: false, secrets };
  }
  const { streams: given, ...defaults } = raw;
  if (!Array.isArray(given) || given.length === 0)
    throw new ConfigError('configuration: streams must be a non-empty list of objects like { "name": "users", "path": "/users" }');
  if (flags.table !== undefined)
    throw new ConfigError("--table cannot be used with a configuration of several streams: each stream's table is its `table` (or its name)");
  const secrets = new Set<string>();
  const streams: StreamDef[] = [];
  given.forEach((entry, i) => {
    const stream = expandStream(entry, i, defaults, flags, options.env, streams);
    for (const secret of stream.secrets) secrets.add(secret);
    streams.push(stream.def);
  });
  refuseDuplicates(streams);
  return { streams, multi: true, secrets: [...secrets] };
}

/** One entry of `streams`: the defaults, its own keys over them, the flags over both; validated as one configuration. */
function expandStream(
  entry: unknown,
  i: number,
  defaults: Record<string, unknown>,
  flags: Record<string, unknown>,
  env: LoadOptions["env"],
  before: readonly StreamDef[],
): { def: StreamDef; secrets: string[] } {
  const at = `streams[${i}]`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    throw new ConfigError(`configuration: ${at} must be an object like { "name": "users", "path": "/users" }`);
  const { name, path, parent, per_parent_cursor: perParent, ...own } = entry as Record<string, unknown>;
  if (typeof name !== "string" || !IDENTIFIER.test(name))
    throw new ConfigError(
      `configuration: ${at}.name must be a SQL identifier naming the stream (a letter or _ then letters, digits or _), got ${JSON.stringify(name) ?? "nothing"}`,
    );
  const label = `${at} ('${name}')`;
  const merged: Record<string, unknown> = { ...defaults, table: name, ...own, ...flags };
  // --base-url moves the sync's origin; a stream's own base_url (on that origin) still wins for its path.
  const base = flags.base_url ?? defaults.base_url;
  merged.base_url = streamUrl(own.base_url ?? base, path, own.base_url !== undefined, label);
  const named = (key: string) => ((key.split(/[.[]/)[0] as string) in own || OWN_KEYS.includes(key as never) ? `${at}.${key}` : key);
  // Names inherited with the defaults serve every stream; they are checked only against the defaults' own strategy.
  const inherited = own.strategy === undefined ? defaults : {};
  const { config, secrets } = validateConfig(merged, env, named, { request: own.request ?? inherited.request, response: own.response ?? inherited.response });
  if (typeof own.base_url === "string" && typeof base === "string") sameOrigin(own.base_url, base, label);
  const placeholders = placeholdersOf(config);
  const parentName = typeof parent === "string" ? parent : (placeholders[0]?.[0] ?? null);
  if (parent !== undefined && typeof parent !== "string") throw new ConfigError(`configuration: ${at}.parent must be the name of an earlier stream`);
  checkParent(label, parentName, placeholders, config, before);
  const parentFields = [...new Set(placeholders.map(([, field]) => field))];
  checkChildKey(label, config.primary_key, parentName, parentFields);
  const parentTable = before.find((s) => s.name === parentName)?.config.table ?? null;
  const perParentCursor = checkPerParent(label, perParent, parentName, config);
  return { def: { name, config, parent: parentName, parentTable, parentFields, perParentCursor }, secrets };
}

/** `path` joined to the base URL (or the stream's own base URL, taken whole). */
function streamUrl(base: unknown, path: unknown, own: boolean, label: string): unknown {
  if (path === undefined) return base;
  if (typeof path !== "string") throw new ConfigError(`configuration: ${label}.path must be a string like "/users"`);
  if (typeof base !== "string")
    throw new ConfigError(`configuration: ${label}.path needs a base_url to be joined to (at the top level${own ? "" : " or in the stream"})`);
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A stream's own base URL stays on the sync's origin: credentials and defaults are the origin's. */
function sameOrigin(own: string, base: string, label: string): void {
  let a: string;
  let b: string;
  try {
    [a, b] = [new URL(own).origin, new URL(base).origin];
  } catch {
    return; // the schema has said what is wrong with the URL itself
  }
  if (a !== b)
    throw new ConfigError(
      `configuration: ${label}.base_url is on ${a}, not on the sync's origin ${b}; every stream of one configuration reads one API: give a path, or sync the other API with its own configuration`,
    );
}

/** Every `{parent.field}` in the stream's URL and params, as [parent, field]. */
function placeholdersOf(config: SyncConfig): [string, string][] {
  const texts = [config.base_url, ...Object.values(config.params)];
  return texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((m) => [m[1] as string, m[2] as string] as [string, string]));
}

function checkParent(label: string, parent: string | null, placeholders: [string, string][], config: SyncConfig, before: readonly StreamDef[]): void {
  if (parent === null) return;
  if (!before.some((s) => s.name === parent)) {
    throw new ConfigError(`configuration: ${label}.parent '${parent}' is not a stream declared before it; list the parent stream first`);
  }
  if (placeholders.length === 0)
    throw new ConfigError(`configuration: ${label} has parent '${parent}' but no {${parent}.field} placeholder in its path or params`);
  const other = placeholders.find(([p]) => p !== parent);
  if (other) throw new ConfigError(`configuration: ${label} refers to {${other[0]}.${other[1]}}, but its parent is '${parent}'`);
  if (config.priority_first)
    throw new ConfigError(`configuration: ${label} is a child stream: it cannot be priority-first (it reads the children of its parent's new rows)`);
}

/**
 * A child's primary_key may name `_parent_<field>` (a group's members, one row per membership), with at least one
 * field of the child's own records: the reader checks and pages by those, the table is keyed by all.
 */
function checkChildKey(label: string, key: readonly string[], parent: string | null, fields: readonly string[]): void {
  const tagged = key.filter((k) => k.startsWith("_parent_"));
  if (tagged.length === 0) return;
  const known = fields.map((f) => `_parent_${f}`);
  const unknown = tagged.find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw new ConfigError(
      parent === null
        ? `configuration: ${label}.primary_key names '${unknown}', a parent's field, but the stream has no parent (no {parent.field} in its path or params)`
        : `configuration: ${label}.primary_key names '${unknown}', but the child's rows carry ${known.map((k) => `'${k}'`).join(", ")} (from its {${parent}.field} placeholders)`,
    );
  if (tagged.length === key.length)
    throw new ConfigError(
      `configuration: ${label}.primary_key needs a field of the child's own records besides ${tagged.join(", ")} (often "id": ["id", "${tagged[0]}"])`,
    );
}

/** `per_parent_cursor` is for a child whose endpoint takes the since parameter. */
function checkPerParent(label: string, given: unknown, parent: string | null, config: SyncConfig): boolean {
  if (given === undefined || given === false) return false;
  if (given !== true) throw new ConfigError(`configuration: ${label}.per_parent_cursor must be true or false`);
  if (parent === null) throw new ConfigError(`configuration: ${label}.per_parent_cursor is for a child stream (one with a {parent.field} placeholder)`);
  if (config.request.since_param === null)
    throw new ConfigError(
      `configuration: ${label}.per_parent_cursor needs request.since_param (the parameter the child endpoint filters by its cursor), but it is null`,
    );
  return true;
}

/** Two streams writing one table would mix their rows and states. */
function refuseDuplicates(streams: readonly StreamDef[]): void {
  const seen = new Map<string, number>();
  streams.forEach((stream, i) => {
    const name = seen.get(`name ${stream.name}`);
    if (name !== undefined)
      throw new ConfigError(`configuration: streams[${i}].name '${stream.name}' is also streams[${name}].name; stream names must be unique`);
    const table = seen.get(`table ${stream.config.table.toLowerCase()}`);
    if (table !== undefined)
      throw new ConfigError(
        `configuration: streams[${i}] ('${stream.name}') writes table '${stream.config.table}', as streams[${table}] does; give one of them its own "table"`,
      );
    seen.set(`name ${stream.name}`, i);
    seen.set(`table ${stream.config.table.toLowerCase()}`, i);
  });
}
