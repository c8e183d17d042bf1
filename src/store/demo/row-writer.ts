import { DuckDBTimestampNanosecondsValue, type DuckDBAppender } from '@duckdb/node-api';
import { defenderSchema } from '../../schema/index.js';
import { INGESTION_TIME_COLUMN } from '../../sql/dialects/duckdb/ddl.js';
import type { Store } from '../store.js';
import type { Cell, Row } from './tables.js';
import { ticksToNanos } from './ticks.js';

const columnCache = new Map<string, Set<string>>();

/** Column names of a Defender table (the generator drops columns a table does not have). */
export function columnsOf(table: string): Set<string> {
  let cols = columnCache.get(table);
  if (!cols) {
    const schema = defenderSchema().table(table);
    if (!schema) throw new Error(`unknown table ${table}`);
    cols = new Set(schema.columns.map((c) => c.name));
    columnCache.set(table, cols);
  }
  return cols;
}

interface StoredColumn {
  name: string;
  /** DuckDB type name as duckdb_columns() spells it. */
  type: string;
}

/**
 * Appends generated rows to one store table through DuckDB's appender: values are handed over
 * as typed values, never spliced into SQL. Columns a row does not mention get the store's empty
 * value: '' for strings (KQL strings are never null), NULL for everything else. The column list
 * is read from the database, so the writer follows the table as it really is.
 */
export class TableWriter {
  private readonly byName: Set<string>;
  private readonly checked = new WeakSet<Row>();
  private count = 0;

  private constructor(
    readonly table: string,
    private readonly columns: StoredColumn[],
    private readonly appender: DuckDBAppender,
    private readonly ingestionTime: DuckDBTimestampNanosecondsValue,
  ) {
    this.byName = new Set(columns.map((c) => c.name));
  }

  static async open(store: Store, table: string, ingestionTicks: bigint): Promise<TableWriter> {
    const result = await store.query(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
      [table],
    );
    const columns = result.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    if (columns.length === 0) throw new Error(`table ${table} does not exist in the store`);
    const appender = await store.connection.createAppender(table);
    return new TableWriter(
      table,
      columns,
      appender,
      new DuckDBTimestampNanosecondsValue(ticksToNanos(ingestionTicks)),
    );
  }

  /** A misspelt column would silently stay empty; fail instead. */
  private check(row: Row): void {
    for (const key in row) {
      if (!this.byName.has(key)) throw new Error(`${this.table} has no column ${key}`);
    }
  }

  get rowsWritten(): number {
    return this.count;
  }

  /** Appends one row; `shared` holds columns common to many rows, used where `row` has none. */
  append(row: Row, shared?: Row): void {
    this.check(row);
    if (shared && !this.checked.has(shared)) {
      this.check(shared);
      this.checked.add(shared);
    }
    for (const col of this.columns) {
      if (col.name === INGESTION_TIME_COLUMN) {
        this.appender.appendTimestampNanoseconds(this.ingestionTime);
        continue;
      }
      let v = row[col.name];
      if (v === undefined && shared) v = shared[col.name];
      this.appendCell(col, v);
    }
    this.appender.endRow();
    this.count++;
  }

  private appendCell(col: StoredColumn, v: Cell | undefined): void {
    const a = this.appender;
    if (v === undefined || v === null) {
      if (col.type === 'VARCHAR') a.appendVarchar('');
      else a.appendNull();
      return;
    }
    switch (col.type) {
      case 'VARCHAR':
      case 'JSON':
        if (typeof v !== 'string') break;
        a.appendVarchar(v);
        return;
      case 'TIMESTAMP_NS':
        if (typeof v !== 'bigint') break;
        a.appendTimestampNanoseconds(new DuckDBTimestampNanosecondsValue(ticksToNanos(v)));
        return;
      case 'BIGINT':
        if (typeof v !== 'number' && typeof v !== 'bigint') break;
        a.appendBigInt(BigInt(v));
        return;
      case 'INTEGER':
        if (typeof v !== 'number') break;
        a.appendInteger(v);
        return;
      case 'DOUBLE':
        if (typeof v !== 'number') break;
        a.appendDouble(v);
        return;
      case 'BOOLEAN':
        if (typeof v !== 'boolean') break;
        a.appendBoolean(v);
        return;
    }
    throw new Error(`${this.table}.${col.name} (${col.type}) cannot hold ${typeof v} ${String(v)}`);
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}
