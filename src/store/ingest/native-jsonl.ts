import type { Store } from '../store.js';
import { fastKeysOf, sampleKeys } from './fast-keys.js';
import type { Detected } from './formats/detect.js';
import { buildFastInsertSql } from './sql/fast-insert-sql.js';
import type { RecordShape } from './sql/pass-spec.js';

export interface NativeResult {
  table: string;
  rows: number;
  /** Extras merged into AdditionalFields (or not kept), each present in every row. */
  extras: string[];
}

/**
 * The fastest route, for a plain JSON-lines file whose records all have the first record's keys
 * and well-typed values (a Storage blob, an export of one table): DuckDB reads, splits and parses
 * the file itself, in parallel, straight into the table. Returns 'not-eligible' (nothing was run)
 * or 'failed' (e.g. a malformed line aborted the statement); on a result the caller compares
 * `rows` with the file's record count and, unless every record went in, rolls back and stages.
 */
export async function tryNativeJsonl(
  store: Store,
  path: string,
  detected: Detected,
  first: unknown,
  defaultTable: string | undefined,
  ingestTime: string,
): Promise<NativeResult | 'not-eligible' | 'failed'> {
  if (detected.framing !== 'lines') return 'not-eligible';
  let shape: RecordShape;
  let tableName: string | undefined;
  if (detected.format === 'defender') {
    shape = 'envelope';
    const category = (first as { category?: unknown } | null)?.category;
    tableName = typeof category === 'string' ? category.replace(/^AdvancedHunting-/, '') : undefined;
  } else if (detected.format === 'jsonl' && defaultTable) {
    shape = 'flat';
    tableName = defaultTable;
  } else {
    return 'not-eligible';
  }
  const table = tableName ? store.schema.table(tableName) : undefined;
  if (!table) return 'not-eligible';
  const keys = sampleKeys(JSON.stringify(first), shape);
  const fast = keys ? fastKeysOf(table, shape, keys, defaultTable) : undefined;
  if (!fast) return 'not-eligible';
  const { sql, params } = buildFastInsertSql(
    { table, shape, keys: fast.keys, extras: fast.extras, source: { file: path } },
    ingestTime,
  );
  try {
    const r = await store.connection.run(sql, params);
    return { table: table.name, rows: r.rowsChanged, extras: fast.extras };
  } catch {
    return 'failed'; // e.g. a malformed line: the caller stages the file instead
  }
}
