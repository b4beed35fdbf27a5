import { parseArgs as nodeParseArgs } from "node:util";
import { UsageError } from "../errors";
import { didYouMean } from "../suggest";

/** One flag of a command: the data both the parser and `--help` are made from. */
export interface FlagSpec {
  type: "string" | "number" | "boolean" | "strings";
  help: string;
  /** Placeholder shown in help, e.g. "N" or "URL". */
  value?: string;
  /** Shown in help only; defaults are applied by the command (or its config layer). */
  default?: string | number | boolean;
  /** For numbers: inclusive bounds and whether fractions are allowed. */
  min?: number;
  max?: number;
  integer?: boolean;
  /** For a string: the value when the flag comes without one, which makes the value optional (`--write [FILE]`). */
  implied?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

type ValueOf<F extends FlagSpec> = F["type"] extends "number"
  ? number
  : F["type"] extends "boolean"
    ? boolean
    : F["type"] extends "strings"
      ? string[]
      : string;

export type Flags<S extends FlagSpecs> = { [K in keyof S]?: ValueOf<S[K]> };

export interface Parsed<S extends FlagSpecs> {
  flags: Flags<S>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. Every error names the flag and points to --help,
 * because the user at the terminal needs to know which word to fix.
 *
 * `node:util`'s parseArgs splits the words into tokens (`--name=value`, `--` and positionals); it runs with
 * `strict: false` and this layer checks the tokens, because strict mode would print its own messages (no
 * "did you mean"), refuses `--flag=false` and a value that starts with '-' (a negative number), and has no flag
 * whose value may be left out (`--write [FILE]`).
 */
export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S, command: string): Parsed<S> {
  const parsed: Parsed<S> = { flags: {}, positionals: [], help: false };
  readWords(argv, specs, command, parsed);
  return parsed;
}

function readWords(argv: readonly string[], specs: FlagSpecs, command: string, parsed: Parsed<FlagSpecs>): void {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type === "boolean" ? "boolean" : "string" } as const]));
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags = parsed.flags as Record<string, unknown>;
  const hint = `run 'connector ${command} --help' for the list`;
  for (const token of tokens) {
    if (token.kind === "positional") parsed.positionals.push(token.value);
    if (token.kind !== "option") continue;
    // The word as typed: a group of short flags (-abc) is one word, and messages quote it whole.
    const arg = argv[token.index] as string;
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq === -1 ? undefined : eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec || !arg.startsWith("--"))
      throw new UsageError(`unknown flag '${arg}' for '${command}'${didYouMean(name, Object.keys(specs), (f) => `--${f}`)}: ${hint}`);
    if (spec.type === "boolean") {
      if (token.value !== undefined && token.value !== "true" && token.value !== "false")
        throw new UsageError(`--${name} takes no value or true/false, got '${token.value}'`);
      flags[name] = token.value !== "false";
      continue;
    }
    // parseArgs takes the next word whatever it is; a flag there (`--write --force`) means the value was left out.
    const swallowed = !token.inlineValue && token.value !== undefined && token.value.startsWith("--") && token.value.length > 2;
    const missing = token.value === undefined || swallowed;
    if (missing && spec.implied === undefined) throw new UsageError(`--${name} needs a value (${spec.value ?? spec.type}): ${hint}`);
    const text = missing ? (spec.implied as string) : (token.value as string);
    if (spec.type === "strings") flags[name] = [...((flags[name] as string[] | undefined) ?? []), text];
    else flags[name] = spec.type === "number" ? parseNumber(name, text, spec) : text;
    // The swallowed flag is read again, with every word after it.
    if (swallowed) return readWords(argv.slice(token.index + 1), specs, command, parsed);
  }
}

function parseNumber(name: string, text: string, spec: FlagSpec): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  const kind = spec.integer ? "a whole number" : "a number";
  const range =
    spec.min !== undefined && spec.max !== undefined
      ? ` from ${spec.min} to ${spec.max}`
      : spec.min !== undefined
        ? ` of at least ${spec.min}`
        : spec.max !== undefined
          ? ` of at most ${spec.max}`
          : "";
  const bad =
    !Number.isFinite(value) ||
    (spec.integer && !Number.isInteger(value)) ||
    (spec.min !== undefined && value < spec.min) ||
    (spec.max !== undefined && value > spec.max);
  if (bad) throw new UsageError(`--${name} must be ${kind}${range}, got '${text}'`);
  return value;
}

/** The options block of a command's --help, generated from the same specs the parser uses. */
export function formatFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const placeholder = spec.value ?? (spec.type === "number" ? "N" : "value");
    const left = `  --${name}${spec.type === "boolean" ? "" : spec.implied !== undefined ? ` [${placeholder}]` : ` <${placeholder}>`}`;
    const def = spec.default === undefined ? "" : ` (default ${spec.default})`;
    return [left, `${spec.help}${def}`] as const;
  });
  rows.push(["  -h, --help", "show this help"]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join("\n");
}
