import type { Store } from '../store/store.js';
import type { KqlResult } from './types.js';
import { hasErrors, renderDiagnostics, type Diagnostic } from '../kql/diagnostics.js';
import { UserError, RuntimeFailure } from '../util/errors.js';
import { analyzeKql, lowerToSql, type CompileResult } from '../sql/compile.js';
import { resolveExternalData } from './externaldata.js';
import { inlineExpandScalars } from './expand-scalars.js';
import type { JsonLike } from '../sql/ir/expr.js';
import type { Rel } from '../sql/ir/nodes.js';
import type { IrExpr } from '../sql/ir/expr.js';
import { mapRel } from '../sql/ir/walk.js';
import { getDialect } from '../sql/dialects/registry.js';
import { DUCKDB_MACROS } from '../sql/dialects/duckdb/macros.js';
import { registerUdfs } from './udf/register.js';
import { decodeCell } from './decode.js';
import { discoverBagKeys, type RunSql } from './bag-keys.js';

export interface RunOptions {
  /** Pins `now()` / `ago()` for the whole query (reproducible hunts over old exports). */
  now?: Date;
  /** Name of the text in diagnostics (a file path, or `<query>`). */
  source?: string;
  /** Stop after this many rows (the result says whether it was cut). */
  maxRows?: number;
  /** Where externaldata URLs are looked up as local files (see externaldata.ts); nothing is downloaded. */
  externalDataDir?: string;
  /** bag_unpack keys already found in the data (runKql fills this in itself; see bag-keys.ts). */
  bagKeys?: Record<number, string[]>;
}

/** Compilation failed: carries every diagnostic; its message is the rendered, caret-annotated text. */
export class KqlCompileError extends UserError {
  constructor(
    readonly diagnostics: Diagnostic[],
    rendered: string,
  ) {
    super(diagnostics.find((d) => d.severity === 'error')?.code ?? 'SF900', rendered, { preformatted: true });
    this.name = 'KqlCompileError';
  }
}

export interface RunResult extends KqlResult {
  sql: string;
  truncated: boolean;
}

const prepared = new WeakSet<Store>();

/** Installs the SQL macros and JavaScript functions compiled queries use (once per open store). */
export async function prepareStore(store: Store): Promise<void> {
  if (prepared.has(store)) return;
  for (const m of DUCKDB_MACROS) await store.run(m);
  registerUdfs(store.connection);
  prepared.add(store);
}

export function compileForStore(store: Store, kql: string, opts: RunOptions = {}): CompileResult {
  const analysed = analyzeKql(kql, {
    schema: store.schema,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.bagKeys ? { bagKeys: opts.bagKeys } : {}),
  });
  if (!analysed.rel || hasErrors(analysed.diagnostics)) return analysed;
  // externaldata rows come from local files and must be in the IR before any SQL is generated.
  const ext = resolveExternalData(analysed.rel, opts.externalDataDir);
  if (ext.diagnostics.length > 0)
    return { ...analysed, diagnostics: [...analysed.diagnostics, ...ext.diagnostics] };
  const lowered = lowerToSql(ext.rel, getDialect('duckdb'), kql);
  const result: CompileResult = {
    ...analysed,
    rel: ext.rel,
    diagnostics: [...analysed.diagnostics, ...lowered.diagnostics],
  };
  if (lowered.sqlTree) {
    result.sqlTree = lowered.sqlTree;
    result.sql = lowered.sql!;
  }
  return result;
}

/**
 * Tabular arguments of has_any/has_all become regexes at compile time, which needs their values:
 * run those subqueries first and inline their results as constant lists.
 */
async function resolveConstantLists(store: Store, rel: Rel): Promise<Rel> {
  const pending: Extract<IrExpr, { kind: 'subquery' }>[] = [];
  mapRel(rel, {
    expr(e) {
      if (e.kind === 'call' && (e.fn === 'has_any' || e.fn === 'has_all') && e.args[1]?.kind === 'subquery')
        pending.push(e.args[1]);
      return undefined;
    },
  });
  if (pending.length === 0) return rel;
  // Matched by visiting order: mapRel rebuilds nodes, so the rewrite below never sees the objects
  // collected above, but it visits the same calls in the same order.
  const values: IrExpr[][] = [];
  for (const sq of pending) {
    const inner = await resolveConstantLists(store, sq.rel);
    const lowered = lowerToSql(inner, getDialect('duckdb'));
    if (!lowered.sql) return rel; // leave it to the general (slower) lowering
    const res = await store.query(lowered.sql);
    const type = sq.rel.cols[0]!.type;
    values.push(
      res.rows.map(
        (r) =>
          ({ kind: 'const', type: 'string', value: String(decodeCell(r[0] ?? null, type) ?? '') }) as IrExpr,
      ),
    );
  }
  let next = 0;
  return mapRel(rel, {
    expr(e) {
      if (e.kind === 'call' && (e.fn === 'has_any' || e.fn === 'has_all') && e.args[1]?.kind === 'subquery') {
        const items = values[next++];
        if (items) return { ...e, args: [e.args[0]!, { kind: 'list', type: 'string', items }] };
      }
      return undefined;
    },
  });
}

function failOn(kql: string, result: CompileResult, source?: string): void {
  if (hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    throw new KqlCompileError(result.diagnostics, renderDiagnostics(kql, errors, source));
  }
}

/** Compiler-made SQL run on the store, cells decoded to the given columns' KQL types. */
function runOnStore(store: Store): RunSql {
  return async (sql, columns) => {
    const res = await store.query(sql);
    return res.rows.map((r) => columns.map((c, i) => decodeCell(r[i] ?? null, c.type)));
  };
}

/** Compiles KQL for the store's engine and runs it, returning rows in their KQL JSON form. */
export async function runKql(store: Store, kql: string, opts: RunOptions = {}): Promise<RunResult> {
  let compiled = compileForStore(store, kql, opts);
  // bag_unpack without a schema: find its columns in the data, then compile again (a later
  // bag_unpack may depend on an earlier one's columns, hence a few rounds).
  for (
    let round = 0;
    round < 3 && hasErrors(compiled.diagnostics) && compiled.bagKeyRequests?.length;
    round++
  ) {
    await prepareStore(store);
    const found = await discoverBagKeys(getDialect('duckdb'), runOnStore(store), compiled.bagKeyRequests);
    if (!found) break;
    opts = { ...opts, bagKeys: { ...opts.bagKeys, ...found } };
    compiled = compileForStore(store, kql, opts);
  }
  failOn(kql, compiled, opts.source);
  await prepareStore(store);
  let rel = compiled.rel!;
  let sql = compiled.sql!;
  rel = await inlineExpandScalars(rel, async (sq) => {
    const lowered = lowerToSql(sq.rel, getDialect('duckdb'));
    if (!lowered.sql) return undefined;
    const res = await store.query(lowered.sql);
    const first = res.rows[0]?.[0];
    return first === undefined || first === null ? undefined : (decodeCell(first, 'dynamic') as JsonLike);
  });
  if (rel !== compiled.rel) sql = lowerToSql(rel, getDialect('duckdb'), kql).sql ?? sql;
  const resolved = await resolveConstantLists(store, rel);
  if (resolved !== rel) {
    rel = resolved;
    const lowered = lowerToSql(rel, getDialect('duckdb'), kql);
    const again: CompileResult = {
      ...compiled,
      diagnostics: [...compiled.diagnostics, ...lowered.diagnostics],
    };
    failOn(kql, again, opts.source);
    sql = lowered.sql!;
  }
  const columns = rel.cols.map((c) => ({ name: c.name, type: c.type }));
  let text = sql;
  if (opts.maxRows !== undefined)
    text = `SELECT * FROM (\n${sql}\n) AS capped LIMIT ${Math.max(0, Math.floor(opts.maxRows)) + 1}`;
  let raw;
  try {
    raw = await store.query(text);
  } catch (e) {
    throw new RuntimeFailure(
      'SF-ENGINE',
      `the engine could not run the compiled query: ${(e as Error).message.split('\n')[0]}`,
      {
        hint: 'this is likely a socfeed bug; run with --explain to see the SQL and report it',
        cause: e,
      },
    );
  }
  let rows = raw.rows;
  let truncated = false;
  if (opts.maxRows !== undefined && rows.length > opts.maxRows) {
    rows = rows.slice(0, opts.maxRows);
    truncated = true;
  }
  const decoded = rows.map((r) => columns.map((c, i) => decodeCell(r[i] ?? null, c.type)));
  const result: RunResult = {
    columns,
    rows: decoded,
    warnings: compiled.diagnostics.filter((d) => d.severity === 'warning'),
    sql,
    truncated,
  };
  if (compiled.chart) result.chart = compiled.chart;
  return result;
}
