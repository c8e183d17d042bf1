import type { Span } from '../diagnostics.js';
import type { PartitionOperator, TabularExpr } from '../syntax/ast.js';
import { hasWindow } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { unknownColumn } from './bind-operators.js';
import { colRef } from './naming.js';
import { Env } from './scope.js';

/**
 * partition: the subquery runs once per distinct value of the key column, over that value's rows,
 * and the results are appended to one another (Kusto docs, query/partition-operator.md).
 *
 * Planned without one query per key: the key is copied into a hidden column, the subquery is bound
 * on the input's columns as Kusto shows them, and its plan is rewritten so that the copy travels
 * through it — projections keep it, summarize/distinct/count group by it (one row per partition
 * for an aggregate without `by`, as partitions are never empty), sort orders by it first, and
 * take/top/sample keep their rows per key (`limit.partitionBy`). The copy is dropped at the end,
 * so the output has exactly the subquery's columns.
 *
 * Refused with SF303: the `{ … }` form whose subquery names its own source, and any operator that
 * reads another table or needs rows of other partitions (join, union, as, mv-apply, window
 * functions such as row_number/prev/next…).
 */

/** Operators whose plans the rewrite below understands; all are in the doc's native/shuffle list. */
const PER_PARTITION = new Set<string>([
  'where',
  'extend',
  'project',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'project-by-names',
  'summarize',
  'distinct',
  'count',
  'sort',
  'top',
  'take',
  'sample',
  'serialize',
  'mv-expand',
  'parse',
  'make-series',
]);

const STRATEGIES = new Set(['native', 'shuffle', 'legacy']);

export function bindPartition(b: Binder, op: PartitionOperator, input: Rel, env: Env): Rel {
  for (const p of op.params) {
    if (p.name !== 'hint.strategy') continue;
    if (typeof p.value !== 'string' || !STRATEGIES.has(p.value))
      b.fail(
        'SF303',
        `hint.strategy=${typeof p.value === 'string' ? p.value : '…'} is not a partition strategy`,
        p.span,
        'use native, shuffle or legacy',
      );
  }
  if (op.withSource)
    b.fail(
      'SF303',
      'partition with a subquery that names its own source ({ … }) is not supported',
      op.body.span,
      'write the subquery as a transformation of each partition: partition by Column ( … )',
    );
  checkOperators(b, op.body);
  const key = input.cols.find((c) => c.name === op.by.name);
  if (!key) return unknownColumn(b, op.by.name, op.by.span, input.cols);

  const pk = b.ctx.column(`__partition_key${b.ctx.newId()}`, key.type);
  const keyed: Rel = {
    kind: 'project',
    cols: [...input.cols, pk],
    input,
    exprs: [...input.cols.map(colRef), colRef(key)],
  };
  // The subquery sees the input's columns only; `$row` is its implicit source (see the parser).
  const base: Rel = { kind: 'project', cols: input.cols, input: keyed, exprs: input.cols.map(colRef) };
  const inner = new Env(env);
  inner.set('$row', { kind: 'rel', rel: base });
  const body = b.bindTabular(op.body, inner);
  const carried = carry(b, body, base, keyed, pk, op.span);
  const cols = body.cols.filter((c) => c.id !== pk.id);
  return { kind: 'project', cols, input: carried, exprs: cols.map(colRef) };
}

/** Each operator of the subquery must be one the rewrite handles; the first other one is named in SF303. */
function checkOperators(b: Binder, body: TabularExpr): void {
  const ops = [];
  for (let t = body; t.kind === 'pipe'; t = t.source) ops.unshift(t.op);
  for (const o of ops) {
    if (PER_PARTITION.has(o.kind)) continue;
    const name = o.kind === 'unsupported' ? o.name : o.kind === 'parse' && o.where ? 'parse-where' : o.kind;
    b.fail(
      'SF303',
      `the '${name}' operator inside partition is not supported`,
      o.span,
      `partition subqueries may use ${[...PER_PARTITION].join(', ')}`,
    );
  }
}

/** Rewrites the subquery's plan so the key copy `pk` passes through every node. */
function carry(b: Binder, rel: Rel, base: Rel, keyed: Rel, pk: IrColumn, span: Span): Rel {
  if (rel === base) return keyed;
  const pkRef = colRef(pk);
  const withPk = (cols: IrColumn[]) => (cols.some((c) => c.id === pk.id) ? cols : [...cols, pk]);
  const windowed = () =>
    b.fail('SF303', 'row_number(), prev() and next() inside partition are not supported', span);
  switch (rel.kind) {
    case 'filter': {
      if (hasWindow(rel.predicate)) windowed();
      return { ...rel, input: carry(b, rel.input, base, keyed, pk, span), cols: withPk(rel.cols) };
    }
    case 'serialize':
      return { ...rel, input: carry(b, rel.input, base, keyed, pk, span), cols: withPk(rel.cols) };
    case 'sort': {
      // Each partition's rows stay together, in the subquery's order.
      const input = carry(b, rel.input, base, keyed, pk, span);
      const keys = [{ expr: pkRef, desc: false, nullsFirst: true }, ...rel.keys];
      return { ...rel, input, cols: withPk(rel.cols), keys };
    }
    case 'limit': {
      const input = carry(b, rel.input, base, keyed, pk, span);
      return { ...rel, input, cols: withPk(rel.cols), partitionBy: [...(rel.partitionBy ?? []), pkRef] };
    }
    case 'project': {
      if (rel.exprs.some(hasWindow)) windowed();
      const input = carry(b, rel.input, base, keyed, pk, span);
      if (rel.cols.some((c) => c.id === pk.id)) return { ...rel, input };
      return { ...rel, input, cols: [...rel.cols, pk], exprs: [...rel.exprs, pkRef] };
    }
    case 'expand': {
      const input = carry(b, rel.input, base, keyed, pk, span);
      return { ...rel, input, cols: withPk(rel.cols) };
    }
    case 'aggregate': {
      const input = carry(b, rel.input, base, keyed, pk, span);
      const n = rel.groups.length;
      return {
        ...rel,
        input,
        groups: [...rel.groups, pkRef],
        cols: [...rel.cols.slice(0, n), pk, ...rel.cols.slice(n)],
      };
    }
    default:
      return b.fail('SF303', `partition subqueries whose plan needs a ${rel.kind} are not supported`, span);
  }
}
