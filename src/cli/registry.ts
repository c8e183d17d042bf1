import type { CommandDefinition } from './command.js';
import { demoCommand } from './commands/demo.js';
import { ingestCommand } from './commands/ingest.js';
import { tablesCommand } from './commands/tables.js';
import { queryCommand } from './commands/query.js';
import { compileCommand } from './commands/compile.js';
import { rulesImportCommand } from './commands/rules-import.js';
import { rulesListCommand } from './commands/rules-list.js';
import { rulesValidateCommand } from './commands/rules-validate.js';
import { rulesShowCommand } from './commands/rules-show.js';
import { feedCommand } from './commands/feed.js';
import { coverageCommand } from './commands/coverage.js';
import { huntCommand } from './commands/hunt.js';
import { rmmInventoryCommand } from './commands/rmm-inventory.js';
import { testCommand } from './commands/test.js';
import { serveCommand } from './commands/serve.js';

/** Every command, in the order `socfeed --help` lists them. Add new commands here. */
export const COMMANDS: CommandDefinition[] = [
  queryCommand,
  compileCommand,
  demoCommand,
  ingestCommand,
  tablesCommand,
  rulesImportCommand,
  rulesListCommand,
  rulesValidateCommand,
  rulesShowCommand,
  feedCommand,
  coverageCommand,
  huntCommand,
  rmmInventoryCommand,
  testCommand,
  serveCommand,
];
