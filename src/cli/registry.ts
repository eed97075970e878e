import type { Command } from './command.js';
import { applyCommand } from './commands/apply.js';
import { driftCommand } from './commands/drift.js';
import { iamPolicyCommand } from './commands/iam-policy.js';
import { planCommand } from './commands/plan.js';
import { statusCommand } from './commands/status.js';
import { unlockCommand } from './commands/unlock.js';
import { validateCommand } from './commands/validate.js';

/** Every subcommand, in the order help lists them. Add a command by importing its module here. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  driftCommand,
  statusCommand,
  unlockCommand,
  iamPolicyCommand,
];
