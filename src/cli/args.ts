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
 */
export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S, command: string): Parsed<S> {
  const flags: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  const hint = `run 'connector ${command} --help' for the list`;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq === -1 ? undefined : eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec || !arg.startsWith("--")) throw new UsageError(`unknown flag '${arg}' for '${command}'${didYouMean(name, Object.keys(specs), (f) => `--${f}`)}: ${hint}`);

    if (spec.type === "boolean") {
      if (eq !== -1) {
        const text = arg.slice(eq + 1);
        if (text !== "true" && text !== "false") throw new UsageError(`--${name} takes no value or true/false, got '${text}'`);
        flags[name] = text === "true";
      } else flags[name] = true;
      continue;
    }

    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      const missing = next === undefined || (next.startsWith("--") && next.length > 2);
      if (missing && spec.implied !== undefined) text = spec.implied;
      else if (missing) throw new UsageError(`--${name} needs a value (${spec.value ?? spec.type}): ${hint}`);
      else {
        text = next;
        i++;
      }
    }
    if (spec.type === "strings") {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(text);
      flags[name] = list;
    } else if (spec.type === "number") flags[name] = parseNumber(name, text, spec);
    else flags[name] = text;
  }
  return { flags: flags as Flags<S>, positionals, help };
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
