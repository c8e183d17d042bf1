import type { Progress } from './progress.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in help; also the placeholder for the value, e.g. `PATH`. */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  /** Writes to stdout now (for commands that stream their output). */
  write(text: string): void;
  /** Writes a human-readable note to stderr (quiet under --json). */
  note(text: string): void;
  progress: Progress;
  stdin: NodeJS.ReadableStream;
  /** Environment, passed in so tests can run commands without touching process.env. */
  env: NodeJS.ProcessEnv;
}

export interface CommandResponse {
  output?: string;
  exitCode?: number;
}

/** Every command is one module of this shape; the entry point does parsing, output and errors. */
export interface CommandDefinition {
  /** One or two words: `query`, `rules import`. */
  name: string;
  summary: string;
  usage: string;
  example: string;
  options: Record<string, OptionSpec>;
  /** How many positional arguments the command takes (Infinity for a list). */
  positionals: { min: number; max: number };
  /**
   * `--format` names the input format (as in `ingest`), so `--format json` must not make the
   * command quiet the way an output format of JSON does.
   */
  formatIsInput?: boolean;
  /** Long-running work: progress is drawn on a TTY unless --json is given. */
  run(ctx: CommandContext): Promise<CommandResponse>;
}

export function stringOpt(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function boolOpt(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

export function listOpt(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}
