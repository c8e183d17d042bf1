import { INGESTION_TIME_COLUMN, type SchemaCatalog, type TableSchema } from '../../schema/index.js';
import { createTableSqlClickhouse, quoteIdentClickhouse } from '../../sql/dialects/clickhouse/ddl.js';
import { quoteIdentDuckdb } from '../../sql/dialects/duckdb/ddl.js';
import type { Store } from '../../store/store.js';
import type { ClickhouseExecutor } from './executor.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates every schema table that is missing (MergeTree, see createTableSqlClickhouse). */
export async function ensureClickhouseTables(
  exec: ClickhouseExecutor,
  schema: SchemaCatalog,
  tables?: string[],
): Promise<void> {
  for (const t of schema.tables) {
    if (tables && !tables.includes(t.name)) continue;
    await exec.command(createTableSqlClickhouse(t));
  }
}

/** Rows a table already holds on ClickHouse. */
export async function clickhouseRowCount(exec: ClickhouseExecutor, table: string): Promise<number> {
  const r = await exec.query(`SELECT count() FROM ${quoteIdentClickhouse(table)}`);
  return Number(r.data[0]?.[0] ?? 0);
}

/** DuckDB expression producing a column's value in the form ClickHouse's JSONEachRow reads. */
function exportExpr(name: string, type: string): string {
  const c = quoteIdentDuckdb(name);
  switch (type) {
    case 'datetime':
      // DateTime64(7) text; ticks are exact (TIMESTAMP_NS / 100).
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE strftime(${c}, '%Y-%m-%d %H:%M:%S') || '.' || lpad(CAST(((epoch_ns(${c}) % 1000000000 + 1000000000) % 1000000000) // 100 AS VARCHAR), 7, '0') END`;
    case 'dynamic':
    case 'guid':
      return `CAST(${c} AS VARCHAR)`;
    default:
      return c;
  }
}

export interface CopyProgress {
  table: string;
  rows: number;
}

/**
 * Copies telemetry tables from a DuckDB store to ClickHouse in batches of JSONEachRow lines
 * (DuckDB formats each row, so no value passes through a JavaScript number). Used by
 * `socfeed ingest --engine clickhouse` (ingest locally, then ship) and by the differential tests.
 */
export async function copyStoreToClickhouse(
  store: Store,
  exec: ClickhouseExecutor,
  opts: {
    tables?: string[];
    batchRows?: number;
    onProgress?: (p: CopyProgress) => void;
    /** only rows ingested at or after this time */ since?: Date;
  } = {},
): Promise<CopyProgress[]> {
  const batch = opts.batchRows ?? 50_000;
  const out: CopyProgress[] = [];
  const counts = await store.query(
    `SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT starts_with(table_name, '_socfeed_')`,
  );
  const present = new Set(counts.rows.map((r) => String(r[0])));
  for (const t of store.schema.tables) {
    if (opts.tables && !opts.tables.includes(t.name)) continue;
    if (!present.has(t.name)) continue;
    const rows = await copyTable(store, exec, t, batch, opts.onProgress, opts.since);
    if (rows > 0) out.push({ table: t.name, rows });
  }
  return out;
}

async function copyTable(
  store: Store,
  exec: ClickhouseExecutor,
  t: TableSchema,
  batch: number,
  onProgress?: (p: CopyProgress) => void,
  since?: Date,
): Promise<number> {
  const cols = [
    ...t.columns.map((c) => ({ name: c.name, type: c.type as string })),
    { name: INGESTION_TIME_COLUMN, type: 'datetime' },
  ];
  const obj = cols.map((c) => `${duckString(c.name)}, ${exportExpr(c.name, c.type)}`).join(', ');
  // The time is formatted here from a Date (not user text); rows ingested earlier were shipped before.
  const where = since
    ? ` WHERE ${quoteIdentDuckdb(INGESTION_TIME_COLUMN)} >= TIMESTAMP_NS '${since.toISOString().replace('T', ' ').replace('Z', '')}'`
    : '';
  const total = Number(
    (await store.query(`SELECT count(*) FROM ${quoteIdentDuckdb(t.name)}${where}`)).rows[0]?.[0] ?? 0,
  );
  if (total === 0) return 0;
  await exec.command(createTableSqlClickhouse(t));
  if (exec.insertParquetFile) {
    // Embedded engine: one Parquet file written by DuckDB, read by ClickHouse — no row passes through JavaScript.
    const dir = mkdtempSync(join(tmpdir(), 'socfeed-ch-'));
    const file = join(dir, `${t.name}.parquet`);
    try {
      // Parquet keeps TIMESTAMP_NS natively (UTC, exact to the nanosecond): datetimes need no text form.
      const value = (c: { name: string; type: string }) =>
        c.type === 'datetime' ? quoteIdentDuckdb(c.name) : exportExpr(c.name, c.type);
      const select = cols.map((c) => `${value(c)} AS ${quoteIdentDuckdb(c.name)}`).join(', ');
      await store.run(
        `COPY (SELECT ${select} FROM ${quoteIdentDuckdb(t.name)}${where} ORDER BY rowid) TO ${duckString(file)} (FORMAT PARQUET)`,
      );
      await exec.insertParquetFile(
        t.name,
        cols.map((c) => c.name),
        file,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    onProgress?.({ table: t.name, rows: total });
    return total;
  }
  let done = 0;
  for (let offset = 0; offset < total; offset += batch) {
    const res = await store.query(
      `SELECT CAST(json_object(${obj}) AS VARCHAR) FROM ${quoteIdentDuckdb(t.name)}${where} ORDER BY rowid LIMIT ${batch} OFFSET ${offset}`,
    );
    const lines = res.rows.map((r) => String(r[0])).join('\n');
    await exec.insertJsonEachRow(t.name, lines);
    done += res.rows.length;
    onProgress?.({ table: t.name, rows: done });
  }
  return done;
}

function duckString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
