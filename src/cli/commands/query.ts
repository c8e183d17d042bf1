import { readFileSync } from 'node:fs';
import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, NOW_OPTION, openStoreForQuery, parseChoice, parseNow } from '../options.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import { runKql, compileForStore } from '../../engine/run.js';
import { UserError } from '../../util/errors.js';
import { renderDiagnostics } from '../../kql/diagnostics.js';
import { ENGINE_OPTIONS, engineChoice, runQueryOnEngine } from '../engine-options.js';

function readQuery(
  positional: string | undefined,
  file: string | undefined,
): { text: string; source: string } {
  if (file !== undefined) {
    try {
      return { text: readFileSync(file === '-' ? 0 : file, 'utf8'), source: file === '-' ? '<stdin>' : file };
    } catch {
      throw new UserError('SF-CLI-FILE', `cannot read query file ${file}`);
    }
  }
  if (positional === undefined)
    throw new UserError('SF-CLI-ARGS', 'give a KQL query or -f FILE', {
      hint: 'e.g. socfeed query "DeviceProcessEvents | take 10"',
    });
  return { text: positional, source: '<query>' };
}

export const queryCommand: CommandDefinition = {
  name: 'query',
  summary: 'Run a KQL query over the store',
  usage:
    'query [--db PATH | --engine clickhouse --url URL [--database DB] [--user U] [--password-env VAR] | --engine adx --cluster URL --database DB] [--now ISO] [--format table|json|csv] [--externaldata-dir DIR] [--explain] (KQL | -f FILE)',
  example:
    'socfeed query --now 2024-05-01T00:00:00Z "DeviceProcessEvents | where FileName =~ \'anydesk.exe\' | take 5"',
  options: {
    db: DB_OPTION,
    now: NOW_OPTION,
    format: { type: 'string', value: 'FORMAT', description: 'table (default), json or csv' },
    file: {
      type: 'string',
      short: 'f',
      value: 'FILE',
      description: 'read the query from a file (- for stdin)',
    },
    explain: { type: 'boolean', description: 'print the generated SQL instead of running it' },
    ...ENGINE_OPTIONS,
    'externaldata-dir': {
      type: 'string',
      value: 'DIR',
      description:
        'local copies of externaldata URLs, by file name or DIR/externaldata.json (nothing is downloaded)',
    },
  },
  positionals: { min: 0, max: 1 },
  async run(ctx) {
    const format = parseChoice(ctx.values, 'format', ['table', 'json', 'csv'] as const, 'table');
    const now = parseNow(ctx.values);
    const { text, source } = readQuery(ctx.positionals[0], stringOpt(ctx.values, 'file'));
    const engine = engineChoice(ctx.values);
    if (engine !== 'duckdb')
      return runQueryOnEngine(ctx, engine, {
        text,
        source,
        format,
        explain: boolOpt(ctx.values, 'explain'),
        ...(now ? { now } : {}),
      });
    const externalDataDir = stringOpt(ctx.values, 'externaldata-dir');
    const ext = externalDataDir !== undefined ? { externalDataDir } : {};
    const store = await openStoreForQuery(ctx.values, ctx.note);
    try {
      if (boolOpt(ctx.values, 'explain')) {
        const c = compileForStore(store, text, { ...ext, ...(now ? { now } : {}) });
        const errors = c.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) return { output: renderDiagnostics(text, errors, source), exitCode: 2 };
        return { output: `${c.sql};` };
      }
      const result = await runKql(store, text, { source, ...ext, ...(now ? { now } : {}) });
      for (const w of result.warnings) ctx.note(renderDiagnostics(text, [w], source));
      if (format === 'json')
        return { output: formatJson(result, result.chart ? { chart: result.chart } : {}) };
      if (format === 'csv') return { output: formatCsv(result) };
      // The table goes out before the row count so the count is its last line on a terminal.
      ctx.write(formatTable(result.columns, result.rows) + '\n');
      ctx.note(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`);
      return {};
    } finally {
      store.close();
    }
  },
};
