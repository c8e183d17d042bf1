import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { defenderSchema, type SchemaCatalog } from '../schema/index.js';
import { createTableSql } from '../sql/dialects/duckdb/ddl.js';
import { RuntimeFailure, UserError } from '../util/errors.js';

export const DEFAULT_DB_PATH = './socfeed.duckdb';

/** Bumped when the store's own tables change shape. */
const STORE_FORMAT = 1;

export interface StoreOptions {
  schema?: SchemaCatalog;
  /** Open an existing file without creating or altering anything. */
  readOnly?: boolean;
  /** Fail instead of creating a new file. */
  mustExist?: boolean;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: DuckDBValue[][];
}

/**
 * The embedded telemetry store: one DuckDB file holding the telemetry tables (created from the
 * schema) and socfeed's own bookkeeping tables (names starting with `_socfeed_`).
 * Nothing is downloaded at run time: extension auto-install and auto-load are off.
 */
export class Store {
  private constructor(
    readonly path: string,
    readonly schema: SchemaCatalog,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string = DEFAULT_DB_PATH, opts: StoreOptions = {}): Promise<Store> {
    const schema = opts.schema ?? defenderSchema();
    if ((opts.mustExist || opts.readOnly) && path !== ':memory:' && !existsSync(path)) {
      throw new UserError('SF-STORE-MISSING', `no store at ${path}`, {
        hint: 'create one with `socfeed demo` or `socfeed ingest`, or pass --db PATH',
      });
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        ...(opts.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
    } catch (e) {
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        throw new UserError('SF-STORE-LOCKED', `the store ${path} is in use by another process`, {
          hint: 'stop the other socfeed process (e.g. `socfeed serve`) or use another --db',
        });
      }
      throw new RuntimeFailure('SF-STORE-OPEN', `cannot open store ${path}: ${msg.split('\n')[0]}`);
    }
    const connection = await instance.connect();
    const store = new Store(path, schema, instance, connection);
    if (!opts.readOnly) await store.ensureTables();
    return store;
  }

  private async ensureTables(): Promise<void> {
    await this.connection.run(
      'CREATE TABLE IF NOT EXISTS _socfeed_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
    );
    const reader = await this.connection.runAndReadAll(
      "SELECT value FROM _socfeed_meta WHERE key = 'tables_created'",
    );
    const existing = new Set(
      (await this.connection.runAndReadAll('SELECT table_name FROM duckdb_tables()'))
        .getRows()
        .map((r) => String(r[0])),
    );
    const missing = this.schema.tables.filter((t) => !existing.has(t.name));
    if (missing.length === 0 && reader.getRows().length > 0) return;
    await this.connection.run('BEGIN TRANSACTION');
    try {
      for (const t of missing) await this.connection.run(createTableSql(t));
      await this.connection.run(
        "INSERT OR REPLACE INTO _socfeed_meta VALUES ('tables_created', 'yes'), ('store_format', ?)",
        [String(STORE_FORMAT)],
      );
      await this.connection.run('COMMIT');
    } catch (e) {
      await this.connection.run('ROLLBACK');
      throw e;
    }
  }

  /** Runs a statement with bound parameters (never spliced text). */
  async run(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.connection.run(sql, params);
  }

  async query(sql: string, params: DuckDBValue[] = []): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql, params);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rows: reader.getRows(),
    };
  }

  /** Runs `fn` in one transaction: all of it lands, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.connection.run('COMMIT');
      return result;
    } catch (e) {
      await this.connection.run('ROLLBACK');
      throw e;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
