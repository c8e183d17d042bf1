import { DuckDBInstance } from '@duckdb/node-api';
import { TableInference } from '../infer-table.js';
import { REASONS } from '../sql/pass-sql.js';
import { FormatError } from './detect.js';
import type { ReadContext } from './read-context.js';

/**
 * Parquet, read by DuckDB itself. The rows are streamed (chunk by chunk) from a separate in-memory
 * DuckDB instance, so the file is never loaded whole and the store's connection stays free for the
 * bulk pass; each row becomes a JSON object and is then handled like any flat row.
 */
export async function readParquet(ctx: ReadContext): Promise<void> {
  const path = ctx.source.localPath;
  if (!path)
    throw new FormatError('Parquet inside an archive or a .gz file cannot be read: extract it first');
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  // Errors reading the file are the file's problem (FormatError); errors loading rows are not.
  const unreadable = (e: unknown): never => {
    throw new FormatError(`cannot read Parquet: ${(e as Error).message.split('\n')[0]}`);
  };
  try {
    const described = await conn
      .runAndReadAll('SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($path))', { path })
      .catch(unreadable);
    const columns = described.getRows().map((r) => String(r[0]));
    const inference =
      !ctx.defaultTable && !columns.includes('Type') ? new TableInference(ctx.schema) : undefined;
    const result = await conn
      .stream('SELECT CAST(to_json(p) AS VARCHAR) FROM read_parquet($path) p', { path })
      .catch(unreadable);
    const next = () => result.fetchChunk().catch(unreadable);
    let rec = 0;
    for (let chunk = await next(); chunk && chunk.rowCount > 0; chunk = await next()) {
      for (const v of chunk.getColumnValues(0)) {
        rec++;
        const doc = String(v);
        if (!inference) {
          ctx.loader.push({ line: rec, rec, doc });
          continue;
        }
        const table = inference.infer(JSON.parse(doc) as Record<string, unknown>);
        if (table) {
          ctx.counters.infer(table);
          ctx.loader.push({ line: rec, rec, doc, table });
        } else ctx.loader.push({ line: rec, rec, raw: doc, error: REASONS.noTable });
      }
      await ctx.loader.maybeFlush();
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
