/**
 * Shared by the ClickHouse suites: opening chdb (installed in ./chdb-env, out of the default
 * install), the skip-or-fail policy when it is absent, and result comparison between engines.
 */
import { loadChdb, ChdbExecutor } from '../../src/engine/clickhouse/chdb.js';
import { runKqlOnClickhouse } from '../../src/engine/clickhouse/run.js';
import { ensureClickhouseTables } from '../../src/engine/clickhouse/tables.js';
import type { KqlResult, KqlCell } from '../../src/engine/types.js';
import type { SchemaCatalog } from '../../src/schema/index.js';
import type { RunOutcome } from '../conformance/engine-adapter.js';
import { KqlCompileError } from '../../src/engine/run.js';

/** `npm run test:clickhouse` sets this: there, a missing chdb is a failure, not a skip. */
export const CHDB_REQUIRED = process.env['SOCFEED_REQUIRE_CHDB'] === '1';

export function chdbMissing(): string | undefined {
  const loaded = loadChdb();
  return 'missing' in loaded ? loaded.missing : undefined;
}

/** Call at the top of a suite: the reason to skip (with a printed note), or undefined to run. */
export function chdbSkipReason(suite: string): string | undefined {
  const missing = chdbMissing();
  if (!missing) return undefined;
  if (CHDB_REQUIRED) throw new Error(`${suite}: chdb is required here but missing — ${missing}`);
  console.warn(
    `[${suite}] skipped: ${missing}. Run \`npm run test:clickhouse\` to install it and run the ClickHouse suites.`,
  );
  return missing;
}

/** Budgets so one runaway documented example (range(1, 1000000000)) cannot take the machine. */
const GUARD = { max_execution_time: 10, max_memory_usage: 2_000_000_000 };

export class ChdbEngine {
  readonly exec: ChdbExecutor;
  constructor(private readonly schema: SchemaCatalog) {
    this.exec = ChdbExecutor.open();
    const q = this.exec.query.bind(this.exec);
    this.exec.query = (sql, settings = {}) => q(sql, { ...settings, ...GUARD });
  }

  async init(tables?: string[]): Promise<void> {
    await ensureClickhouseTables(this.exec, this.schema, tables);
  }

  async run(kql: string, o: { now: Date; source: string }): Promise<RunOutcome> {
    try {
      const result = await runKqlOnClickhouse(this.exec, this.schema, kql, { now: o.now, source: o.source });
      return { kind: 'ok', result, sql: result.sql };
    } catch (e) {
      if (e instanceof KqlCompileError)
        return { kind: 'compile-error', diagnostics: e.diagnostics, message: e.message };
      const err = e as { message?: string; code?: string };
      return {
        kind: 'error',
        message: String(err.message ?? e).split('\n')[0]!,
        ...(err.code ? { code: err.code } : {}),
      };
    }
  }

  async close(): Promise<void> {
    await this.exec.close();
  }
}

/** JSON objects compare by content: property order is not part of a dynamic value. */
function sortKeys(v: KqlCell): KqlCell {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, KqlCell>)[k]!)]),
    );
  return v;
}

function cellKey(c: KqlCell): string {
  // Reals compared to 12 significant digits: engines may differ in the last bits of a sum/avg.
  if (typeof c === 'number' && !Number.isInteger(c)) return `r:${c.toPrecision(12)}`;
  return JSON.stringify(sortKeys(c));
}

/** Sets (make_set) have no order: with `unorderedArrays`, array cells are compared sorted. */
function normalise(c: KqlCell, unorderedArrays: boolean): KqlCell {
  if (!unorderedArrays || !Array.isArray(c)) return c;
  return [...c].sort((x, y) =>
    JSON.stringify(x) < JSON.stringify(y) ? -1 : JSON.stringify(x) > JSON.stringify(y) ? 1 : 0,
  );
}

const rowKey = (r: KqlCell[], unorderedArrays = false) =>
  r.map((c) => cellKey(normalise(c, unorderedArrays))).join('\u0001');

/**
 * Where two results differ (first difference, one line), or undefined when identical: the same
 * column names and KQL types, the same rows — in order when `ordered`, else as multisets.
 */
export function diffResults(
  a: KqlResult,
  b: KqlResult,
  ordered: boolean,
  unorderedArrays = false,
): string | undefined {
  const ca = a.columns.map((c) => `${c.name}:${c.type}`).join(', ');
  const cb = b.columns.map((c) => `${c.name}:${c.type}`).join(', ');
  if (ca !== cb) return `columns differ: ${ca} vs ${cb}`;
  if (a.rows.length !== b.rows.length) return `row counts differ: ${a.rows.length} vs ${b.rows.length}`;
  const ka = a.rows.map((r) => rowKey(r, unorderedArrays));
  const kb = b.rows.map((r) => rowKey(r, unorderedArrays));
  if (!ordered) {
    ka.sort();
    kb.sort();
  }
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i])
      return `row ${i + 1} differs: ${ka[i]!.split('\u0001').join(' | ').slice(0, 200)} vs ${kb[i]!.split('\u0001').join(' | ').slice(0, 200)}`;
  }
  return undefined;
}

/** Whether a query's row order is defined (it ends in sort/order by/top). */
export function isOrdered(kql: string): boolean {
  const last = kql.split('|').pop() ?? '';
  return /^\s*(sort|order|top)\b/.test(last);
}
