import type { Assignment, Expr, Operator } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel, SortKey } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { bindSummarize } from './bind-summarize.js';
import { colRef } from './naming.js';
import type { Env, RowScope } from './scope.js';

type TopNested = Extract<Operator, { kind: 'top-nested' }>;

/**
 * `top-nested [N] of Key by [Name =] Agg [asc|desc], …` as plain relational steps, no new IR:
 * level i aggregates the input by Key0..Keyi, keeps the best N groups within each kept group of
 * level i-1 (a per-partition limit), and joins back to level i-1 so every row carries all the
 * levels' keys and aggregates. Aggregating by the whole key prefix equals Kusto's "aggregate the
 * rows of each kept parent", since groups of dropped parents disappear in the join.
 */
export function bindTopNested(b: Binder, op: TopNested, input: Rel, row: RowScope, env: Env): Rel {
  const ofs: Assignment[] = [];
  let result: { rel: Rel; keys: IrColumn[]; aggs: IrColumn[] } | undefined;
  for (const level of op.levels) {
    if (level.others) b.fail('SF303', "top-nested 'with others' is not supported yet", level.others.span);
    ofs.push(level.of);
    const ofName =
      level.of.names?.[0]?.name ?? (level.of.expr.kind === 'name' ? level.of.expr.name : undefined);
    // Kusto names an unnamed level aggregate `aggregated_<Key>`.
    const aggAssign: Assignment = level.by.names
      ? level.by
      : { ...level.by, names: [{ name: `aggregated_${ofName ?? 'Column1'}`, span: level.by.span }] };
    const summarized = bindSummarize(b, [aggAssign], ofs, input, row, env);
    // Fresh ids: every level groups by the same input columns, which would otherwise keep one id twice in a join.
    const cols = summarized.cols.map((c) => b.ctx.column(c.name, c.type));
    const levelRel: Rel = { kind: 'project', cols, input: summarized, exprs: summarized.cols.map(colRef) };
    const keys = cols.slice(0, ofs.length);
    const agg = cols[cols.length - 1]!;
    const desc = level.direction !== 'asc';
    const sorted: Rel = {
      kind: 'sort',
      cols,
      input: levelRel,
      keys: [{ expr: colRef(agg), desc, nullsFirst: !desc }],
    };
    const count = level.count ? levelCount(b, level.count, row, env) : undefined;
    const parents = keys.slice(0, -1).map(colRef);
    let kept: Rel = sorted;
    if (count !== undefined)
      kept = {
        kind: 'limit',
        cols,
        input: sorted,
        count,
        ...(parents.length ? { partitionBy: parents } : {}),
      };
    if (!result) {
      result = { rel: kept, keys, aggs: [agg] };
      continue;
    }
    const prev = result;
    const on: [IrExpr, IrExpr][] = prev.keys.map((k, i) => [colRef(k), colRef(keys[i]!)]);
    const joined: Rel = {
      kind: 'join',
      cols: [...prev.rel.cols, ...cols],
      joinKind: 'inner',
      left: prev.rel,
      right: kept,
      on,
    };
    // Output order Kusto uses: Key0, agg0, Key1, agg1, …
    const outKeys = [...prev.keys, keys[keys.length - 1]!];
    const outAggs = [...prev.aggs, agg];
    const outCols = outKeys.flatMap((k, i) => [k, outAggs[i]!]).map((c) => b.ctx.column(c.name, c.type));
    const exprs = outKeys.flatMap((k, i) => [colRef(k), colRef(outAggs[i]!)]);
    const rel: Rel = { kind: 'project', cols: outCols, input: joined, exprs };
    result = {
      rel,
      keys: outCols.filter((_, i) => i % 2 === 0),
      aggs: outCols.filter((_, i) => i % 2 === 1),
    };
  }
  if (!result) return b.fail('SF201', 'top-nested needs at least one level', op.span);
  if (op.levels.length === 1) return result.rel;
  // Rows come out parent by parent, each level in its own order, as Kusto shows them.
  const sortKeys: SortKey[] = result.aggs.flatMap((a, i) => {
    const desc = op.levels[i]!.direction !== 'asc';
    return [
      { expr: colRef(a), desc, nullsFirst: !desc },
      { expr: colRef(result!.keys[i]!), desc: false, nullsFirst: true },
    ];
  });
  return { kind: 'sort', cols: result.rel.cols, input: result.rel, keys: sortKeys };
}

function levelCount(b: Binder, e: Expr, row: RowScope, env: Env): number {
  const v = b.exprs.bind(e, row, env);
  if (v.kind !== 'const' || (typeof v.value !== 'bigint' && typeof v.value !== 'number'))
    b.fail('SF204', 'top-nested needs a constant number of rows per level', e.span);
  const n = Number(v.value);
  if (n < 0) b.fail('SF201', 'the number of rows cannot be negative', e.span);
  return n;
}
