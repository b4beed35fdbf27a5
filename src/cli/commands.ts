import type { Command } from "./command";
import type { FlagSpecs } from "./args";
import { serveMockCommand } from "./serve-mock";
import { syncCommand } from "./sync";
import { stateCommand } from "./state";
import { statusCommand } from "./status";
import { resetCommand } from "./reset";
import { probeCommand } from "./probe";
import { configCommand } from "./config-help";

/** Every command, in the order `connector --help` lists them. */
export const commands: readonly Command<FlagSpecs>[] = [
  serveMockCommand as Command<FlagSpecs>,
  syncCommand as Command<FlagSpecs>,
  statusCommand as Command<FlagSpecs>,
  stateCommand as Command<FlagSpecs>,
  resetCommand as Command<FlagSpecs>,
  probeCommand as Command<FlagSpecs>,
  configCommand as Command<FlagSpecs>,
];
