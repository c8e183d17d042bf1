/**
 * The one door to a ClickHouse server or an embedded chdb: run a query and read JSONCompact,
 * run a statement, insert JSONEachRow lines. The HTTP client and chdb both implement it, so the
 * runner, the table set-up and the copy from a DuckDB store are written once.
 */
export interface ChResult {
  meta: { name: string; type: string }[];
  /** Rows of cells as ClickHouse's JSONCompact output spells them. */
  data: unknown[][];
}

export interface ClickhouseExecutor {
  /** Human-readable target for messages (credentials never included). */
  readonly target: string;
  query(sql: string, settings?: Record<string, string | number>): Promise<ChResult>;
  command(sql: string): Promise<void>;
  /** Inserts rows given as JSONEachRow text (one JSON object per line). */
  insertJsonEachRow(table: string, lines: string): Promise<void>;
  /** Embedded engines only: load a local Parquet file (the fast path for large copies). */
  insertParquetFile?(table: string, columns: string[], path: string): Promise<void>;
  close(): Promise<void>;
}

/** ` SETTINGS a = 1, b = 'x'` from fixed setting names and values (never user text). */
export function settingsClause(settings: Record<string, string | number>): string {
  const parts = Object.entries(settings).map(([k, v]) => {
    if (!/^[a-z_0-9]+$/.test(k)) throw new Error(`SF900: bad setting name ${k}`);
    return `${k} = ${typeof v === 'number' ? String(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`}`;
  });
  return parts.length ? `\nSETTINGS ${parts.join(', ')}` : '';
}
