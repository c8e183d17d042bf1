import type { CommandDefinition } from './command.js';

/** Every command, in the order `socfeed --help` lists them. Add new commands here. */
export const COMMANDS: CommandDefinition[] = [];
