import type { Span } from '../diagnostics.js';
import type { Assignment, Expr, Operator } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { AggCall, IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { bindSummarize } from './bind-summarize.js';
import { aggregateFunction } from './catalog/aggregate.js';
import { colRef, derivedName } from './naming.js';
import type { Env, RowScope } from './scope.js';

type MakeSeries = Extract<Operator, { kind: 'make-series' }>;

/** Aggregates whose series elements are plain numbers (other element types would need dynamic encodings). */
const SUPPORTED = new Set([
  'count',
  'countif',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'min',
  'max',
  'dcount',
  'dcountif',
]);

/**
 * `make-series A=agg(x) default=D on T from S to E step P by K`: one row per K with each aggregate
 * as a dynamic array over the bins S, S+P, … (< E), absent bins holding D (0 when not given), and
 * the axis T as an array of the bin starts. Rows outside [S, E) are dropped. Without `from` the
 * axis starts at bin(min(T), P); without `to` it ends after the bin of max(T) — over all rows,
 * so every series shares one axis, as Kusto's does.
 *
 * Plan (the helper expressions are bound as KQL, so types and datetime arithmetic are the
 * binder's usual ones): [cross join the global min/max] → filter to [S, E) → summarize the
 * aggregates by K, bin index, bin count and S → one `series_fill` aggregate per series by K
 * (places each bin's value at its index, D elsewhere) → project the axis with range().
 */
export function bindMakeSeries(b: Binder, op: MakeSeries, input: Rel, row: RowScope, env: Env): Rel {
  const s = op.span;
  const ast = new AstBuilder(s);
  for (const a of op.aggregates) {
    const f = a.expr.kind === 'call' ? aggregateFunction(a.expr.name) : undefined;
    if (!f || !SUPPORTED.has(f.id))
      b.fail('SF303', `make-series supports ${[...SUPPORTED].join(', ')} as its aggregates`, a.expr.span);
    if (a.names && a.names.length > 1) b.fail('SF201', 'a make-series aggregate has one name', a.span);
  }
  const axisName =
    op.on.kind === 'name'
      ? op.on.name
      : (derivedName(op.on) ??
        b.fail('SF201', 'make-series needs a column (or a named expression) on its axis', op.on.span));

  // 1. The global bounds when the query leaves them to the data.
  let rel = input;
  let rowScope = row;
  if (!op.from || !op.to) {
    const bounds = bindSummarize(
      b,
      [ast.assign('__ms_lo', ast.call('min', op.on)), ast.assign('__ms_hi', ast.call('max', op.on))],
      [],
      input,
      row,
      env,
    );
    const one: IrExpr = { kind: 'const', type: 'long', value: 1n };
    rel = {
      kind: 'join',
      cols: [...input.cols, ...bounds.cols],
      joinKind: 'inner',
      left: input,
      right: bounds,
      on: [[one, one]],
    };
    rowScope = { ...b.rowOf(rel), ...(row.aliases ? { aliases: row.aliases } : {}) };
  }
  const start = op.from ?? ast.call('bin', ast.name('__ms_lo'), op.step);
  const end = op.to ?? ast.binary('+', ast.call('bin_at', ast.name('__ms_hi'), op.step, start), op.step);

  // 2. Rows inside [start, end).
  const inRange = ast.binary('and', ast.binary('>=', op.on, start), ast.binary('<', op.on, end));
  const filtered: Rel = {
    kind: 'filter',
    cols: rel.cols,
    input: rel,
    predicate: b.exprs.asBool(b.exprs.bind(inRange, rowScope, env), s),
  };

  // 3. Aggregates per key and bin; the bin index, bin count and start ride along as keys.
  const index = ast.call(
    'tolong',
    ast.binary('/', ast.binary('-', ast.call('bin_at', op.on, op.step, start), start), op.step),
  );
  // Bins in [start, end): whole steps up to end's bin, plus that bin when end is not on a boundary.
  // (Division of bin-aligned values is exact; long/long would truncate a fractional count.)
  const endBin = ast.call('bin_at', end, op.step, start);
  const count = ast.binary(
    '+',
    ast.call('tolong', ast.binary('/', ast.binary('-', endBin, start), op.step)),
    ast.call('iff', ast.binary('==', endBin, end), ast.num(0), ast.num(1)),
  );
  const aggNames = op.aggregates.map((a) => a.names?.[0]?.name);
  // The bin count and start are the same on every row; they are aggregated (min) rather than
  // grouped by, since a constant GROUP BY key would print as a literal (a position in SQL).
  const perBin = bindSummarize(
    b,
    [
      ...op.aggregates.map((a, i) => ast.assign(`__ms_v${i}`, a.expr)),
      ast.assign('__ms_n', ast.call('min', count)),
      ast.assign('__ms_start', ast.call('min', start)),
    ],
    [...op.by, ast.assign('__ms_k', index)],
    filtered,
    rowScope,
    env,
  );
  const nBy = op.by.length;
  const byCols = perBin.cols.slice(0, nBy);
  const kCol = perBin.cols[nBy]!;
  const valueCols = perBin.cols.slice(nBy + 1, -2);
  const [nCol, startCol] = perBin.cols.slice(-2) as [IrColumn, IrColumn];

  // 4. One array per aggregate, per key.
  const aggs: AggCall[] = valueCols.map((v, i) => {
    const d = op.defaults[i];
    const def = d
      ? b.exprs.bind(d, { cols: [] }, env)
      : ({ kind: 'const', type: 'long', value: 0n } as IrExpr);
    if (def.kind !== 'const') b.fail('SF204', 'a make-series default must be a constant', d!.span);
    return { fn: 'series_fill', args: [colRef(kCol), colRef(v), colRef(nCol), def], type: 'dynamic' };
  });
  const groupCols = [...byCols, nCol, startCol].map((c) => b.ctx.column(c.name, c.type));
  const seriesCols = valueCols.map((_, i) => b.ctx.column(`__ms_series${i}`, 'dynamic'));
  const series: Rel = {
    kind: 'aggregate',
    cols: [...groupCols, ...seriesCols],
    input: perBin,
    groups: [...byCols, nCol, startCol].map(colRef),
    aggs,
  };

  // 5. Output: by-columns, the series, then the axis as an array of bin starts.
  const seriesRow: RowScope = { cols: series.cols };
  const last = ast.binary(
    '+',
    ast.name('__ms_start'),
    ast.binary('*', ast.binary('-', ast.name('__ms_n'), ast.num(1)), op.step),
  );
  const axis = b.exprs.bind(ast.call('range', ast.name('__ms_start'), last, op.step), seriesRow, env);
  const names = op.aggregates.map((a, i) => aggNames[i] ?? defaultName(a.expr));
  const outCols: IrColumn[] = [
    ...groupCols.slice(0, nBy).map((c) => b.ctx.column(c.name, c.type)),
    ...names.map((n) => b.ctx.column(n, 'dynamic')),
    b.ctx.column(axisName, 'dynamic'),
  ];
  const exprs: IrExpr[] = [...groupCols.slice(0, nBy).map(colRef), ...seriesCols.map(colRef), axis];
  for (let i = 0; i < outCols.length; i++) {
    if (outCols.findIndex((c) => c.name === outCols[i]!.name) !== i)
      b.fail('SF105', `duplicate column name '${outCols[i]!.name}'`, s);
  }
  return { kind: 'project', cols: outCols, input: series, exprs };
}

/** `count()` → count_, `sum(x)` → sum_x, as summarize names them. */
function defaultName(e: Expr): string {
  if (e.kind !== 'call') return 'Column1';
  const f = aggregateFunction(e.name);
  const arg = e.args[0] ? (derivedName(e.args[0]) ?? '') : '';
  return f ? f.resultName(arg) : 'Column1';
}

/** KQL syntax for the helper expressions, all placed at the operator's span (diagnostics point there). */
class AstBuilder {
  constructor(private readonly span: Span) {}
  name(name: string): Expr {
    return { kind: 'name', span: this.span, name };
  }
  num(n: number): Expr {
    return { kind: 'literal', span: this.span, type: 'long', value: String(n) };
  }
  call(name: string, ...args: Expr[]): Expr {
    return { kind: 'call', span: this.span, name, nameSpan: this.span, args };
  }
  binary(op: string, left: Expr, right: Expr): Expr {
    return { kind: 'binary', span: this.span, op, opSpan: this.span, left, right };
  }
  assign(name: string, expr: Expr): Assignment {
    return { span: this.span, names: [{ name, span: this.span }], expr };
  }
}
