import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { UserError } from '../../util/errors.js';
import { quoteIdentClickhouse } from '../../sql/dialects/clickhouse/ddl.js';
import { settingsClause, type ChResult, type ClickhouseExecutor } from './executor.js';
import {
  CLICKHOUSE_PARSER_SETTINGS,
  CLICKHOUSE_QUERY_SETTINGS,
} from '../../sql/dialects/clickhouse/dialect.js';

/** The slice of chdb's Session socfeed uses (chdb ships its own types; it is not a dependency). */
interface ChdbSession {
  query(query: string, format?: string): string;
  cleanup?(): void;
}
interface ChdbModule {
  Session: new (path?: string) => ChdbSession;
}

/** Where `npm run test:clickhouse` installs chdb, out of the default install (it is ~540 MB). */
export function chdbEnvDir(): string {
  // This file is src/engine/clickhouse/chdb.ts, or dist/src/engine/clickhouse/chdb.js when built.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'test', 'clickhouse', 'chdb-env');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'test', 'clickhouse', 'chdb-env');
}

/** chdb loaded from its own environment, or undefined with the reason. */
export function loadChdb(): { module: ChdbModule } | { missing: string } {
  const env = chdbEnvDir();
  const req = createRequire(join(env, 'package.json'));
  try {
    return { module: req('chdb') as ChdbModule };
  } catch (e) {
    return {
      missing: `chdb is not installed in ${env} (run: npm ci --prefix test/clickhouse/chdb-env): ${(e as Error).message.split('\n')[0]}`,
    };
  }
}

/** ClickHouse embedded in this process (chdb): the same engine as a server, for tests and benchmarks. */
export class ChdbExecutor implements ClickhouseExecutor {
  readonly target = 'chdb (embedded)';
  private constructor(private readonly session: ChdbSession) {}

  static open(path?: string): ChdbExecutor {
    const loaded = loadChdb();
    if ('missing' in loaded) throw new UserError('SF-CHDB-MISSING', loaded.missing);
    const session = new loaded.module.Session(path);
    // A SETTINGS clause applies after parsing, so the parser's limits are set for the session.
    for (const name of CLICKHOUSE_PARSER_SETTINGS)
      session.query(`SET ${name} = ${Number(CLICKHOUSE_QUERY_SETTINGS[name])}`, 'CSV');
    return new ChdbExecutor(session);
  }

  async query(sql: string, settings: Record<string, string | number> = {}): Promise<ChResult> {
    const text = this.session.query(sql + settingsClause(settings), 'JSONCompact');
    if (!text.trim()) return { meta: [], data: [] };
    let parsed: ChResult;
    try {
      parsed = JSON.parse(text) as ChResult;
    } catch {
      throw new Error(
        `chdb returned a result that is not one JSON document (${text.length} bytes, starting ${JSON.stringify(text.slice(0, 80))})`,
      );
    }
    return { meta: parsed.meta, data: parsed.data };
  }

  async command(sql: string): Promise<void> {
    this.session.query(sql, 'CSV');
  }

  async insertJsonEachRow(table: string, lines: string): Promise<void> {
    if (!lines) return;
    this.session.query(`INSERT INTO ${quoteIdentClickhouse(table)} FORMAT JSONEachRow\n${lines}`, 'CSV');
  }

  async insertParquetFile(table: string, columns: string[], path: string): Promise<void> {
    const lit = `'${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    this.session.query(
      `INSERT INTO ${quoteIdentClickhouse(table)} (${columns.map(quoteIdentClickhouse).join(', ')}) SELECT * FROM file(${lit}, Parquet)`,
      'CSV',
    );
  }

  async close(): Promise<void> {
    this.session.cleanup?.();
  }
}
