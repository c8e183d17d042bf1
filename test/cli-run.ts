import { PassThrough } from 'node:stream';
import { runCli } from '../src/cli/main.js';

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
}

/** Runs the real CLI entry in-process with captured output; stderr is not a TTY, so no progress is drawn. */
export function cli(...args: string[]): Promise<CliOutcome> {
  return cliWithEnv({}, ...args);
}

/** The same, with environment variables the command reads (credentials, SOCFEED_* settings). */
export async function cliWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliOutcome> {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const code = await runCli(args, {
    stdout,
    stderr: stderr as unknown as NodeJS.WriteStream, // a stream without isTTY stands in for a pipe
    stdin: new PassThrough(),
    env,
  });
  return { code, out, err };
}
