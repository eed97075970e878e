import type { Command } from './command.js';
import { validateCommand } from './commands/validate.js';

/** Every subcommand, in the order help lists them. Add a command by importing its module here. */
export const COMMANDS: readonly Command[] = [validateCommand];
