import { parseArgs } from 'node:util';
import type { CommandContext, CommandDefinition, OptionSpec } from './command.js';
import { COMMANDS } from './registry.js';
import { createProgress } from './progress.js';
import { RuntimeFailure, UserError, redactSecrets } from '../util/errors.js';
import { closestMatch } from '../util/suggest.js';

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show help for this command' };

function findCommand(args: string[]): { command: CommandDefinition; rest: string[] } | undefined {
  const two = `${args[0]} ${args[1]}`;
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: args.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === args[0]);
  if (byOne) return { command: byOne, rest: args.slice(1) };
  return undefined;
}

function optionUsage(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return `  ${flag.padEnd(30)} ${spec.description}`;
}

export function commandHelp(c: CommandDefinition): string {
  const opts = Object.entries(c.options).map(([n, s]) => optionUsage(n, s));
  return [
    `${c.summary}`,
    '',
    `usage: socfeed ${c.usage}`,
    '',
    'options:',
    ...opts,
    optionUsage('help', HELP_OPTION),
    '',
    `example: ${c.example}`,
    '',
  ].join('\n');
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'socfeed: a SOC detection feed you can run',
    '',
    'usage: socfeed <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `socfeed <command> --help` for a command's options.",
    '',
  ].join('\n');
}

function unknownOptionError(message: string, c: CommandDefinition): UserError {
  const m = /Unknown option '(-{1,2}[^']+)'/.exec(message);
  if (!m) return new UserError('SF-CLI-ARGS', message.replace(/\. To specify a positional.*$/s, ''));
  const given = m[1]!.replace(/^-+/, '');
  const near = closestMatch(given, Object.keys(c.options));
  return new UserError('SF-CLI-UNKNOWN-OPTION', `unknown option ${m[1]} for \`socfeed ${c.name}\``, {
    hint: near ? `did you mean --${near}?` : `see \`socfeed ${c.name} --help\``,
  });
}

function formatError(e: unknown, debug: boolean): { text: string; code: number } {
  if (e instanceof UserError && e.preformatted) return { text: e.message + '\n', code: e.exitCode };
  if (e instanceof UserError || e instanceof RuntimeFailure) {
    const lines = [`error[${e.code}]: ${redactSecrets(e.message)}`];
    if (e.hint) lines.push(`  hint: ${e.hint}`);
    if (debug && e.stack) lines.push(e.stack);
    return { text: lines.join('\n') + '\n', code: e instanceof UserError ? e.exitCode : 1 };
  }
  const err = e as Error;
  const lines = [`internal error (a bug; please report it): ${redactSecrets(err?.message ?? String(e))}`];
  if (debug && err?.stack) lines.push(err.stack);
  else lines.push('  set SOCFEED_DEBUG=1 to see the stack trace');
  return { text: lines.join('\n') + '\n', code: 1 };
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const debug = Boolean(io.env['SOCFEED_DEBUG']);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(generalHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout.write('socfeed 0.1.0\n');
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const near = closestMatch(argv[0]!, [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))]);
    const { text } = formatError(
      new UserError('SF-CLI-UNKNOWN-COMMAND', `unknown command '${argv[0]}'`, {
        hint: near ? `did you mean \`socfeed ${near}\`?` : 'run `socfeed --help` for the list of commands',
      }),
      debug,
    );
    io.stderr.write(text);
    return 2;
  }
  const { command, rest } = found;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, help: HELP_OPTION },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw unknownOptionError((e as Error).message, command);
    }
    const values = parsed.values as CommandContext['values'];
    if (values['help']) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const positionals = parsed.positionals;
    if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
      throw new UserError('SF-CLI-ARGS', `wrong number of arguments for \`socfeed ${command.name}\``, {
        hint: `usage: socfeed ${command.usage}`,
      });
    }
    const json = values['json'] === true || (!command.formatIsInput && values['format'] === 'json');
    const ctx: CommandContext = {
      values,
      positionals,
      write: (t) => io.stdout.write(t),
      note: (t) => {
        if (!json) io.stderr.write(t.endsWith('\n') ? t : t + '\n');
      },
      progress: createProgress(io.stderr, Boolean(io.stderr.isTTY) && !json),
      stdin: io.stdin,
      env: io.env,
    };
    const response = await command.run(ctx);
    if (response.output)
      io.stdout.write(response.output.endsWith('\n') ? response.output : response.output + '\n');
    return response.exitCode ?? 0;
  } catch (e) {
    const { text, code } = formatError(e, debug);
    io.stderr.write(text);
    return code;
  }
}
