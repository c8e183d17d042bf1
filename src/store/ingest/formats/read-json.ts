import { TableInference } from '../infer-table.js';
import { REASONS } from '../sql/pass-sql.js';
import { forEachJsonRecord, type ReadContext } from './read-context.js';

/**
 * Streaming API records and flat JSON rows whose table the bulk pass can find (category, Type or
 * --table): the bytes go to the stage untouched, DuckDB parses them. This is the fast path.
 */
export async function readJsonBulk(ctx: ReadContext): Promise<void> {
  await forEachJsonRecord(
    ctx,
    (bytes, line, rec) => ctx.loader.push({ line, rec, doc: bytes }),
    (error, line, raw, rec) => ctx.loader.push({ line, rec, raw, error }),
  );
}

/**
 * Flat rows that do not name their table and no --table was given: each row is parsed here and
 * routed by its `Type`, else by its column names (TableInference). Slower, and only used when the
 * first record shows it is needed.
 */
export async function readJsonInferred(ctx: ReadContext): Promise<void> {
  const inference = new TableInference(ctx.schema);
  await forEachJsonRecord(
    ctx,
    (bytes, line, rec) => {
      let row: unknown;
      try {
        row = JSON.parse(bytes.toString('utf8'));
      } catch {
        ctx.loader.push({ line, rec, doc: bytes }); // the bulk pass rejects it as malformed
        return;
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        ctx.loader.push({ line, rec, raw: bytes, error: REASONS.malformed });
        return;
      }
      const named = (row as Record<string, unknown>)['Type'];
      let table = typeof named === 'string' && ctx.schema.table(named) ? named : undefined;
      if (!table) {
        table = inference.infer(row as Record<string, unknown>);
        if (table) ctx.counters.infer(table);
      }
      if (table) ctx.loader.push({ line, rec, doc: bytes, table });
      else ctx.loader.push({ line, rec, raw: bytes, error: REASONS.noTable });
    },
    (error, line, raw, rec) => ctx.loader.push({ line, rec, raw, error }),
  );
}

/** Whether flat JSON needs per-row routing: no --table and the first record has no known Type. */
export function needsInference(ctx: ReadContext, firstRecord: unknown): boolean {
  if (ctx.defaultTable) return false;
  if (firstRecord === null || typeof firstRecord !== 'object') return true;
  const named = (firstRecord as Record<string, unknown>)['Type'];
  return !(typeof named === 'string' && ctx.schema.table(named));
}
