/**
 * Differential suite over the documented examples: each example runs on DuckDB (the reference
 * engine) and on ClickHouse (chdb). Among the examples DuckDB passes (its result matches the
 * documentation), we count those whose ClickHouse result is identical to DuckDB's.
 */
import { compareDocExample, type DocExample, type DocOverride } from '../conformance/doc-normalise.js';
import { DOC_NOW } from '../conformance/doc-examples.js';
import type { QueryRunner, RunOutcome } from '../conformance/engine-adapter.js';
import type { KqlCell, KqlResult } from '../../src/engine/types.js';
import { diffResults } from './harness.js';

export interface DiffOutcome {
  id: string;
  /** DuckDB's result matches the documentation. */
  duckPasses: boolean;
  /** ClickHouse's result is identical to DuckDB's. */
  identical: boolean;
  reason?: string;
}

function describe(o: RunOutcome): string {
  if (o.kind === 'compile-error') return `compile error: ${o.message.split('\n')[0]}`;
  if (o.kind === 'error') return `error: ${o.message}`;
  return 'ok';
}

/**
 * Array cells of the columns the docs define as unordered (the override's `unorderedArrays`, e.g.
 * make_set) sorted, so both engines' sets compare as multisets — the same rule the documented
 * behaviour suite applies against the docs.
 */
function sortUnorderedArrays(r: KqlResult, columns: string[] | undefined): KqlResult {
  if (!columns?.length) return r;
  const at = new Set(r.columns.flatMap((c, i) => (columns.includes(c.name) ? [i] : [])));
  const key = (x: KqlCell) => JSON.stringify(x);
  const sortCell = (c: KqlCell): KqlCell =>
    Array.isArray(c) ? [...c].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0)) : c;
  return { ...r, rows: r.rows.map((row) => row.map((c, i) => (at.has(i) ? sortCell(c) : c))) };
}

export async function diffDocExample(
  duck: QueryRunner,
  ch: QueryRunner,
  ex: DocExample,
  override: DocOverride = {},
): Promise<DiffOutcome> {
  const opts = { now: DOC_NOW, source: ex.id };
  const d = await duck(ex.query, opts);
  const duckPasses = d.kind === 'ok' && compareDocExample(ex, d.result, override) === undefined;
  const c = await ch(ex.query, opts);
  if (d.kind !== 'ok' || c.kind !== 'ok') {
    const same = d.kind === c.kind && d.kind !== 'ok';
    return {
      id: ex.id,
      duckPasses,
      identical: same,
      ...(same ? {} : { reason: `duckdb ${describe(d)}; clickhouse ${describe(c)}` }),
    };
  }
  const diff = diffResults(
    sortUnorderedArrays(d.result, override.unorderedArrays),
    sortUnorderedArrays(c.result, override.unorderedArrays),
    ex.ordered,
  );
  return { id: ex.id, duckPasses, identical: diff === undefined, ...(diff ? { reason: diff } : {}) };
}
