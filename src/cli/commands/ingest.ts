import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { defenderSchema } from '../../schema/index.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { parseFormatOption, planIngest, runIngest } from '../../store/ingest/index.js';
import { renderIngestSummary } from '../../store/ingest/summary-text.js';

export const ingestCommand: CommandDefinition = {
  name: 'ingest',
  summary: 'Load telemetry (Defender streaming API, JSON/JSONL, CSV, Parquet, Sysmon) into the store',
  usage:
    'ingest [--db PATH] [--table T] [--format auto|defender|jsonl|json|csv|parquet|sysmon] [--strict] [--json] PATH...',
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
    const store = await Store.open(stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH);
    try {
      const summary = await runIngest(store, plan, { strict, progress: ctx.progress });
      const failed = summary.totals.failed > 0 || summary.totals.rolledBack > 0;
      return {
        output: boolOpt(ctx.values, 'json') ? JSON.stringify(summary) : renderIngestSummary(summary),
        exitCode: failed ? 1 : 0,
      };
    } finally {
      store.close();
    }
  },
};
