import type { SchemaCatalog } from '../../schema/index.js';
import type { ExplainResult, KqlBackend } from '../backend.js';
import type { RunOptions, RunResult } from '../run.js';
import type { ClickhouseExecutor } from './executor.js';
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
  close(): Promise<void> {
    return this.exec.close();
  }
}
