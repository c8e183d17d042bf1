import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { defenderSchema } from '../../schema/index.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { parseFormatOption, planIngest, runIngest } from '../../store/ingest/index.js';
import { renderIngestSummary } from '../../store/ingest/summary-text.js';
import { ENGINE_OPTIONS, engineChoice, shipIngestToClickhouse } from '../engine-options.js';
import { UserError } from '../../util/errors.js';

export const ingestCommand: CommandDefinition = {
  name: 'ingest',
  summary: 'Load telemetry (Defender streaming API, JSON/JSONL, CSV, Parquet, Sysmon) into the store',
  usage:
    'ingest [--db PATH] [--engine clickhouse --url URL [--database DB] [--user U] [--password-env VAR]] [--table T] [--format auto|defender|jsonl|json|csv|parquet|sysmon] [--strict] [--json] PATH...',
  example: 'socfeed ingest --db hunt.duckdb exports/ "sysmon/**/*.json.gz"',
  formatIsInput: true,
  options: {
    db: {
      type: 'string',
      value: 'PATH',
      description: `store file (default ${DEFAULT_DB_PATH}; created if missing)`,
    },
    table: {
      type: 'string',
      value: 'TABLE',
      description: 'table for records that do not name one (no Type/category)',
    },
    format: {
      type: 'string',
      value: 'FORMAT',
      description: 'auto (default), defender, jsonl, json, csv, parquet or sysmon',
    },
    strict: {
      type: 'boolean',
      description: 'any rejected record fails its file (exit 1, nothing kept from it)',
    },
    json: { type: 'boolean', description: 'print one machine-readable summary object' },
    ...ENGINE_OPTIONS,
  },
  positionals: { min: 1, max: Infinity },
  async run(ctx) {
    const format = parseFormatOption(stringOpt(ctx.values, 'format'));
    const table = stringOpt(ctx.values, 'table');
    const strict = boolOpt(ctx.values, 'strict');
    // Every user error (bad flag, unknown table, missing path) is found before the store is created.
    const plan = await planIngest(defenderSchema(), ctx.positionals, {
      format,
      ...(table ? { table } : {}),
    });
    const engine = engineChoice(ctx.values);
    if (engine === 'adx')
      throw new UserError('SF-CLI-ARGS', 'socfeed does not ingest into Azure Data Explorer', {
        hint: 'use ADX ingestion (e.g. Event Hubs or LightIngest); `query --engine adx` reads from it',
      });
    const started = new Date();
    const store = await Store.open(stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH);
    try {
      const summary = await runIngest(store, plan, { strict, progress: ctx.progress });
      const failed = summary.totals.failed > 0 || summary.totals.rolledBack > 0;
      // The DuckDB store is the staging area; ClickHouse receives the rows this run added.
      if (engine === 'clickhouse') ctx.note(await shipIngestToClickhouse(ctx, store, started));
      return {
        output: boolOpt(ctx.values, 'json') ? JSON.stringify(summary) : renderIngestSummary(summary),
        exitCode: failed ? 1 : 0,
      };
    } finally {
      store.close();
    }
  },
};
