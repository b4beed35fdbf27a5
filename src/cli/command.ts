import type { FlagSpecs, Parsed } from "./args";
import { formatFlags } from "./args";
import type { Io } from "./io";

/** A command takes parsed arguments and its I/O, and returns an exit code; it never reads argv or exits. */
export interface Command<S extends FlagSpecs = FlagSpecs> {
  name: string;
  /** One line for `connector --help`. */
  summary: string;
  /** e.g. "connector sync [options]". */
  usage: string;
  /** Paragraphs shown in the command's --help between usage and options. */
  details?: string;
  flags: S;
  run(parsed: Parsed<S>, io: Io): Promise<number>;
}

export function defineCommand<S extends FlagSpecs>(command: Command<S>): Command<S> {
  return command;
}

export function commandHelp(command: Command<FlagSpecs>): string {
  const parts = [`Usage: ${command.usage}`, "", command.summary];
  if (command.details) parts.push("", command.details);
  parts.push("", "Options:", formatFlags(command.flags));
  return `${parts.join("\n")}\n`;
}
