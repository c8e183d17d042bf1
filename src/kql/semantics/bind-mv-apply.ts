import type { Operator } from '../syntax/ast.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { bindMvExpand } from './bind-operators.js';
import { colRef } from './naming.js';
import { Env, type RowScope } from './scope.js';

/**
 * mv-apply: each input row's arrays are expanded into a small table, the subquery runs on that
 * table alone, and its rows are appended to the input row's columns.
 *
 * Planned without per-row subqueries: rows are numbered (`__row`), expanded, and the subquery is
 * bound on the expanded columns only (Kusto shows it nothing else). Its plan is then rewritten so
 * that the row number and the input columns travel through it: projections keep them, summarize
 * groups by them, and take/top become per-row limits (`limit.partitionBy`). Joins, unions and
 * nested expansions inside the subquery are reported as SF303.
 */
export function bindMvApply(
  b: Binder,
  op: Extract<Operator, { kind: 'mv-apply' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const rid = b.ctx.column('__row', 'long');
  const serialized: Rel = { kind: 'serialize', cols: input.cols, input };
  const numbered: Rel = {
    kind: 'project',
    cols: [...input.cols, rid],
    input: serialized,
    exprs: [...input.cols.map(colRef), { kind: 'window', type: 'long', fn: 'row_number', args: [] }],
  };
  const expandOp: Extract<Operator, { kind: 'mv-expand' }> = {
    kind: 'mv-expand',
    span: op.span,
    params: op.params,
    items: op.items,
  };
  if (op.itemIndex) expandOp.itemIndex = op.itemIndex;
  const expanded = bindMvExpand(b, expandOp, numbered, { ...row, cols: numbered.cols }, env);
  const carried = [...input.cols, rid];
  const carriedIds = new Set(carried.map((c) => c.id));
  // The subquery sees the expanded columns (and the item index) only.
  const visible = expanded.cols.filter((c) => !carriedIds.has(c.id));
  const base: Rel = { kind: 'project', cols: visible, input: expanded, exprs: visible.map(colRef) };
  const inner = new Env(env);
  inner.set('$row', { kind: 'rel', rel: base });
  const body = b.bindTabular(op.body, inner);
  const carriedBody = carry(b, body, base, expanded, carried, op.span);
  // Output: the input's columns (those the subquery does not redefine), then the subquery's.
  const bodyCols = body.cols.filter((c) => c.id !== rid.id);
  const bodyNames = new Set(bodyCols.map((c) => c.name));
  const kept = input.cols.filter((c) => !bodyNames.has(c.name) && !bodyCols.some((x) => x.id === c.id));
  const cols = [...kept, ...bodyCols];
  return { kind: 'project', cols, input: carriedBody, exprs: cols.map(colRef) };
}

/** Rewrites the subquery's plan so the carried columns (row number, input columns) pass through every node. */
function carry(
  b: Binder,
  rel: Rel,
  base: Rel,
  expanded: Rel,
  carried: IrColumn[],
  span: { start: number; end: number },
): Rel {
  if (rel === base) return expanded;
  const missing = (cols: IrColumn[]) => carried.filter((c) => !cols.some((x) => x.id === c.id));
  const ridExpr = colRef(carried[carried.length - 1]!);
  switch (rel.kind) {
    case 'filter':
    case 'sort':
    case 'serialize': {
      const input = carry(b, rel.input, base, expanded, carried, span);
      return { ...rel, input, cols: [...rel.cols, ...missing(rel.cols)] } as Rel;
    }
    case 'limit': {
      const input = carry(b, rel.input, base, expanded, carried, span);
      return { ...rel, input, cols: [...rel.cols, ...missing(rel.cols)], partitionBy: [ridExpr] };
    }
    case 'project': {
      const input = carry(b, rel.input, base, expanded, carried, span);
      const extra = missing(rel.cols);
      return { ...rel, input, cols: [...rel.cols, ...extra], exprs: [...rel.exprs, ...extra.map(colRef)] };
    }
    case 'aggregate': {
      const input = carry(b, rel.input, base, expanded, carried, span);
      const extra = missing(rel.cols);
      const nGroups = rel.groups.length;
      return {
        ...rel,
        input,
        groups: [...rel.groups, ...extra.map(colRef)],
        cols: [...rel.cols.slice(0, nGroups), ...extra, ...rel.cols.slice(nGroups)],
      };
    }
    default:
      return b.fail('SF303', `mv-apply subqueries with ${rel.kind} are not supported yet`, span);
  }
}
