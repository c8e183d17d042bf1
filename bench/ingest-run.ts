import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store/store.js';
import { ingestPaths } from '../src/store/ingest/index.js';
import {
  DUCKDB_STORAGE_TYPE,
  INGESTION_TIME_COLUMN,
  quoteIdentDuckdb,
} from '../src/sql/dialects/duckdb/ddl.js';

/**
 * One side of the ingest benchmark, in its own process so that its peak RSS is its own:
 *   node ingest-run.js socfeed|duckdb DATA_DIR DB_PATH
 * prints {seconds, rows, maxRssBytes} as JSON.
 */

async function socfeed(dir: string, db: string): Promise<number> {
  const store = await Store.open(db);
  try {
    const summary = await ingestPaths(store, [dir]);
    const failed = summary.files.filter((f) => f.status === 'failed');
    if (failed.length > 0) throw new Error(`ingest failed: ${failed.map((f) => f.error).join('; ')}`);
    return summary.totals.rows;
  } finally {
    store.close();
  }
}

/** DuckDB's own read_json, with the table's column types, straight into the same table. */
async function duckdb(dir: string, db: string): Promise<number> {
  const store = await Store.open(db);
  try {
    const byTable = new Map<string, string[]>();
    for (const f of readdirSync(dir).sort()) {
      const table = store.schema.tables.find((t) =>
        f.startsWith(`insights-logs-advancedhunting-${t.name.toLowerCase()}-`),
      );
      if (table) byTable.set(table.name, [...(byTable.get(table.name) ?? []), join(dir, f)]);
    }
    let rows = 0;
    for (const [name, files] of byTable) {
      const table = store.schema.table(name)!;
      const struct = `STRUCT(${table.columns.map((c) => `${quoteIdentDuckdb(c.name)} ${DUCKDB_STORAGE_TYPE[c.type]}`).join(', ')})`;
      const cols = [
        ...table.columns.map((c) => quoteIdentDuckdb(c.name)),
        quoteIdentDuckdb(INGESTION_TIME_COLUMN),
      ].join(', ');
      // Strings are NOT NULL in the store (KQL strings are never null): the one fix-up needed.
      const select = table.columns
        .map((c) =>
          c.type === 'string' ? `COALESCE(${quoteIdentDuckdb(c.name)}, '')` : quoteIdentDuckdb(c.name),
        )
        .join(', ');
      const fileList = `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;
      const r = await store.connection.run(
        `INSERT INTO ${quoteIdentDuckdb(name)} (${cols}) SELECT ${select}, CAST(now() AS TIMESTAMP_NS) FROM (SELECT unnest(properties) ` +
          `FROM read_json(${fileList}, format = 'newline_delimited', columns = {category: 'VARCHAR', properties: '${struct}'}))`,
      );
      rows += r.rowsChanged;
    }
    return rows;
  } finally {
    store.close();
  }
}

const [mode, dir, db] = process.argv.slice(2);
if (!mode || !dir || !db) throw new Error('usage: ingest-run.js socfeed|duckdb DATA_DIR DB_PATH');
const t0 = performance.now();
const rows = mode === 'socfeed' ? await socfeed(dir, db) : await duckdb(dir, db);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({ seconds, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n',
);
