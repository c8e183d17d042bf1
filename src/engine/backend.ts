/**
 * Where a KQL query runs. Today's callers use DuckDB directly (runKql over a Store); this is the
 * small interface the hunt runner and the web server can adopt to run the same rules on
 * ClickHouse or Azure Data Explorer without knowing which engine answers:
 *
 *   const backend = await openBackend({ engine: 'clickhouse', url: 'http://ch:8123', database: 'socfeed' });
 *   try { const r = await backend.runKql(rule.query, { now }); … } finally { await backend.close(); }
 *
 * Every backend returns rows in the same KQL JSON form (src/engine/types.ts), so findings and
 * output formatting do not depend on the engine.
 */
import type { SchemaCatalog } from '../schema/index.js';
import { defenderSchema } from '../schema/index.js';
import { Store } from '../store/store.js';
import { compileForStore, prepareStore, runKql, type RunOptions, type RunResult } from './run.js';
import type { Diagnostic } from '../kql/diagnostics.js';
import type { Dialect } from '../sql/dialects/dialect.js';
import { getDialect } from '../sql/dialects/registry.js';
import { quoteIdentDuckdb } from '../sql/dialects/duckdb/ddl.js';
import { decodeCell } from './decode.js';
import type { KqlCell, KqlColumn } from './types.js';

export type EngineName = 'duckdb' | 'clickhouse' | 'chdb' | 'adx';

export interface ExplainResult {
  /** What the engine would be sent: SQL for DuckDB/ClickHouse, the KQL itself for ADX. */
  text?: string;
  diagnostics: Diagnostic[];
}

/**
 * The SQL side of an engine that socfeed compiles for (DuckDB, ClickHouse): what the hunt runner
 * needs to lower its fused plan with the engine's dialect and stage candidate rows once per table.
 * Engines that take KQL as written (ADX) have none, and their callers run each query alone.
 */
export interface SqlAccess {
  readonly dialect: Dialect;
  /** Runs SQL made by the compiler (plus our own identifiers); cells decoded to `columns`' KQL types. */
  query(sql: string, columns: KqlColumn[]): Promise<KqlCell[][]>;
  /** A temporary table of a query's rows, visible to this backend's later queries until dropped. */
  createTempTable(name: string, selectSql: string): Promise<void>;
  dropTempTable(name: string): Promise<void>;
}

export interface KqlBackend {
  readonly engine: EngineName;
  /** Where queries go, for messages (credentials never included). */
  readonly target: string;
  /** Tables and columns the binder checks queries against (ADX: the Defender schema, advisory). */
  readonly schema: SchemaCatalog;
  /** Runs one KQL query; throws KqlCompileError (user error) or RuntimeFailure/UserError. */
  runKql(kql: string, opts?: RunOptions): Promise<RunResult>;
  /** Compiles without running (`--explain`). */
  explain(kql: string, opts?: RunOptions): ExplainResult;
  /** Present when socfeed compiles for this engine (see SqlAccess). */
  readonly sql?: SqlAccess;
  close(): Promise<void>;
}

export type BackendSpec =
  | { engine: 'duckdb'; store: Store; /** close the store with the backend */ owned?: boolean }
  | {
      engine: 'clickhouse';
      url: string;
      database?: string;
      user?: string;
      password?: string;
      schema?: SchemaCatalog;
      /** One server session for every query (needed for temporary tables; queries must not overlap). */
      session?: boolean;
      /** The server stops any statement running longer than this. */
      maxExecutionSeconds?: number;
    }
  | { engine: 'chdb'; path?: string; schema?: SchemaCatalog }
  | { engine: 'adx'; cluster: string; database: string; env?: NodeJS.ProcessEnv; schema?: SchemaCatalog };

/** The default engine: DuckDB over a Store, exactly what runKql does. */
export class DuckDbBackend implements KqlBackend {
  readonly engine = 'duckdb' as const;
  constructor(
    readonly store: Store,
    private readonly owned = false,
  ) {}
  get target(): string {
    return this.store.path;
  }
  get schema(): SchemaCatalog {
    return this.store.schema;
  }
  runKql(kql: string, opts: RunOptions = {}): Promise<RunResult> {
    return runKql(this.store, kql, opts);
  }
  explain(kql: string, opts: RunOptions = {}): ExplainResult {
    const c = compileForStore(this.store, kql, opts);
    return c.sql !== undefined ? { text: c.sql, diagnostics: c.diagnostics } : { diagnostics: c.diagnostics };
  }
  readonly sql: SqlAccess = {
    dialect: getDialect('duckdb'),
    query: async (sql, columns) => {
      await prepareStore(this.store);
      const raw = await this.store.query(sql);
      return raw.rows.map((r) => columns.map((c, i) => decodeCell(r[i] ?? null, c.type)));
    },
    createTempTable: async (name, selectSql) => {
      await prepareStore(this.store);
      await this.store.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdentDuckdb(name)} AS ${selectSql}`);
    },
    dropTempTable: async (name) => {
      await this.store.run(`DROP TABLE IF EXISTS ${quoteIdentDuckdb(name)}`);
    },
  };
  async close(): Promise<void> {
    if (this.owned) this.store.close();
  }
}

/** Opens a backend; engine modules load lazily so the DuckDB path pulls in no other client. */
export async function openBackend(spec: BackendSpec): Promise<KqlBackend> {
  switch (spec.engine) {
    case 'duckdb':
      return new DuckDbBackend(spec.store, spec.owned ?? false);
    case 'clickhouse': {
      const { ClickhouseBackend } = await import('./clickhouse/backend.js');
      const { ClickhouseHttpExecutor } = await import('./clickhouse/http.js');
      const exec = new ClickhouseHttpExecutor(spec);
      return new ClickhouseBackend(exec, spec.schema ?? defenderSchema());
    }
    case 'chdb': {
      const { ClickhouseBackend } = await import('./clickhouse/backend.js');
      const { ChdbExecutor } = await import('./clickhouse/chdb.js');
      return new ClickhouseBackend(ChdbExecutor.open(spec.path), spec.schema ?? defenderSchema(), 'chdb');
    }
    case 'adx': {
      const { AdxBackend } = await import('./adx/backend.js');
      return AdxBackend.open(spec);
    }
  }
}
