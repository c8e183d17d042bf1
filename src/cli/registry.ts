import type { CommandDefinition } from './command.js';
import { queryCommand } from './commands/query.js';
import { rulesImportCommand } from './commands/rules-import.js';
import { rulesListCommand } from './commands/rules-list.js';

/** Every command, in the order `socfeed --help` lists them. Add new commands here. */
export const COMMANDS: CommandDefinition[] = [
  queryCommand,
  rulesImportCommand,
  rulesListCommand,
];
