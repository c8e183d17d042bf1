import { readFileSync } from 'node:fs';
import { stringOpt, type CommandDefinition } from '../command.js';
import { NOW_OPTION, parseChoice, parseNow } from '../options.js';
import { compileKql } from '../../sql/compile.js';
import { defenderSchema } from '../../schema/index.js';
import { renderDiagnostics } from '../../kql/diagnostics.js';
import { dialectNames } from '../../sql/dialects/registry.js';
import { UserError } from '../../util/errors.js';

/** JSON with bigints (IR constants) as strings. */
const toJson = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);

export const compileCommand: CommandDefinition = {
  name: 'compile',
  summary: 'Show what the compiler makes of a KQL query (parse tree, IR or SQL), without running it',
  usage: 'compile [--emit ast|ir|sql|schema] [--dialect duckdb] [--now ISO] (KQL | -f FILE)',
  example: 'socfeed compile --emit sql "DeviceProcessEvents | where FileName has \'anydesk\' | count"',
  options: {
    emit: {
      type: 'string',
      value: 'STAGE',
      description: 'ast, ir, sql (default) or schema (result columns)',
    },
    dialect: { type: 'string', value: 'NAME', description: `SQL dialect: ${dialectNames().join(', ')}` },
    now: NOW_OPTION,
    file: { type: 'string', short: 'f', value: 'FILE', description: 'read the query from a file' },
  },
  positionals: { min: 0, max: 1 },
  async run(ctx) {
    const emit = parseChoice(ctx.values, 'emit', ['ast', 'ir', 'sql', 'schema'] as const, 'sql');
    const dialect = parseChoice(ctx.values, 'dialect', dialectNames(), 'duckdb');
    const file = stringOpt(ctx.values, 'file');
    let text: string;
    let source = '<query>';
    if (file !== undefined) {
      try {
        text = readFileSync(file, 'utf8');
        source = file;
      } catch {
        throw new UserError('SF-CLI-FILE', `cannot read query file ${file}`);
      }
    } else if (ctx.positionals[0] !== undefined) text = ctx.positionals[0];
    else throw new UserError('SF-CLI-ARGS', 'give a KQL query or -f FILE');
    const now = parseNow(ctx.values);
    const result = compileKql(text, { schema: defenderSchema(), dialect, ...(now ? { now } : {}) });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (emit === 'ast') return { output: toJson(result.ast), exitCode: errors.length ? 2 : 0 };
    if (errors.length) return { output: renderDiagnostics(text, errors, source), exitCode: 2 };
    if (emit === 'ir') return { output: toJson(result.rel) };
    if (emit === 'schema') return { output: toJson(result.columns) };
    return { output: `${result.sql};` };
  },
};
