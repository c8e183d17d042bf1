import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { tableStats } from '../../store/ingest/index.js';

export const tablesCommand: CommandDefinition = {
  name: 'tables',
  summary: 'List the store tables with row counts and first/last Timestamp',
  usage: 'tables [--db PATH] [--all] [--json]',
  example: 'socfeed tables --db hunt.duckdb',
  options: {
    db: { type: 'string', value: 'PATH', description: `store file (default ${DEFAULT_DB_PATH})` },
    all: { type: 'boolean', description: 'also list empty tables (the JSON output always lists all)' },
    json: { type: 'boolean', description: 'print a JSON array' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const store = await Store.open(stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH, { readOnly: true });
    try {
      const stats = await tableStats(store);
      if (boolOpt(ctx.values, 'json')) return { output: JSON.stringify(stats) };
      const shown = boolOpt(ctx.values, 'all') ? stats : stats.filter((s) => s.rows > 0);
      if (shown.length === 0)
        return {
          output:
            'no rows in any table (use --all to list the empty tables; load data with `socfeed ingest`)',
        };
      const width = Math.max(5, ...shown.map((s) => s.table.length));
      const lines = [
        `${'table'.padEnd(width)}  ${'rows'.padStart(12)}  ${'first Timestamp'.padEnd(28)}  last Timestamp`,
      ];
      for (const s of shown) {
        lines.push(
          `${s.table.padEnd(width)}  ${s.rows.toLocaleString('en-US').padStart(12)}  ${(s.firstTimestamp ?? '-').padEnd(28)}  ${s.lastTimestamp ?? '-'}`,
        );
      }
      const empty = stats.length - stats.filter((s) => s.rows > 0).length;
      if (!boolOpt(ctx.values, 'all') && empty > 0)
        lines.push(`(${empty} empty tables not shown; --all lists them)`);
      return { output: lines.join('\n') };
    } finally {
      store.close();
    }
  },
};
