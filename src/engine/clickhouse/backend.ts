import type { SchemaCatalog } from '../../schema/index.js';
import type { ExplainResult, KqlBackend, SqlAccess } from '../backend.js';
import { RuntimeFailure, UserError } from '../../util/errors.js';
import { getDialect } from '../../sql/dialects/registry.js';
import { CLICKHOUSE_QUERY_SETTINGS } from '../../sql/dialects/clickhouse/dialect.js';
import { quoteIdentClickhouse } from '../../sql/dialects/clickhouse/ddl.js';
import { decodeChCell } from './decode.js';
import type { RunOptions, RunResult } from '../run.js';
import { settingsClause, type ClickhouseExecutor } from './executor.js';
import { compileForClickhouse, runKqlOnClickhouse } from './run.js';

/** KQL compiled to ClickHouse SQL, run on a server (HTTP) or embedded chdb. */
export class ClickhouseBackend implements KqlBackend {
  constructor(
    readonly exec: ClickhouseExecutor,
    readonly schema: SchemaCatalog,
    readonly engine: 'clickhouse' | 'chdb' = 'clickhouse',
  ) {}
  get target(): string {
    return this.exec.target;
  }
  runKql(kql: string, opts: RunOptions = {}): Promise<RunResult> {
    return runKqlOnClickhouse(this.exec, this.schema, kql, opts);
  }
  explain(kql: string, opts: RunOptions = {}): ExplainResult {
    const c = compileForClickhouse(this.schema, kql, opts);
    return c.sql !== undefined ? { text: c.sql, diagnostics: c.diagnostics } : { diagnostics: c.diagnostics };
  }
  /**
   * Compiled SQL runs with the settings its semantics need. Temporary tables live in the
   * executor's session (chdb: the embedded session; HTTP: only with a session id, see http.ts).
   */
  readonly sql: SqlAccess = {
    dialect: getDialect('clickhouse'),
    query: async (sql, columns) => {
      const raw = await this.guard(() => this.exec.query(sql, CLICKHOUSE_QUERY_SETTINGS));
      return raw.data.map((r) => columns.map((c, i) => decodeChCell(r[i], c.type)));
    },
    createTempTable: (name, selectSql) =>
      this.guard(() =>
        this.exec.command(
          `CREATE TEMPORARY TABLE ${quoteIdentClickhouse(name)} ENGINE = Memory AS ${selectSql}${settingsClause(CLICKHOUSE_QUERY_SETTINGS)}`,
        ),
      ),
    dropTempTable: (name) =>
      this.guard(() => this.exec.command(`DROP TEMPORARY TABLE IF EXISTS ${quoteIdentClickhouse(name)}`)),
  };
  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof UserError || e instanceof RuntimeFailure) throw e;
      throw new RuntimeFailure('SF-ENGINE', `ClickHouse failed: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
      });
    }
  }
  close(): Promise<void> {
    return this.exec.close();
  }
}
