import { columnsUsed, hasWindow, type IrExpr } from '../../sql/ir/expr.js';
import type { Rel } from '../../sql/ir/nodes.js';

/**
 * `where` over its input. After an innerunique join, the conjuncts that read only left columns
 * filter the left side before it is de-duplicated, as Kusto does (join-innerunique.md: a filter
 * on the left side is pushed below the join, so the rows it keeps are the ones de-duplicated).
 * Written here, not left to each engine's optimiser, so every engine returns the same rows.
 */
export function filterRel(input: Rel, predicate: IrExpr): Rel {
  if (input.kind === 'join' && input.joinKind === 'innerunique') {
    const leftIds = new Set(input.left.cols.map((c) => c.id));
    const rightIds = new Set(input.right.cols.map((c) => c.id));
    const readsLeftOnly = (e: IrExpr) => {
      const used = [...columnsUsed(e)];
      return used.length > 0 && !hasWindow(e) && used.every((id) => leftIds.has(id) && !rightIds.has(id));
    };
    const parts = conjuncts(predicate);
    const pushed = parts.filter(readsLeftOnly);
    if (pushed.length > 0) {
      const left: Rel = {
        kind: 'filter',
        cols: input.left.cols,
        input: input.left,
        predicate: allOf(pushed),
      };
      const join: Rel = { ...input, left };
      const rest = parts.filter((p) => !pushed.includes(p));
      return rest.length > 0
        ? { kind: 'filter', cols: join.cols, input: join, predicate: allOf(rest) }
        : join;
    }
  }
  return { kind: 'filter', cols: input.cols, input, predicate };
}

function conjuncts(e: IrExpr): IrExpr[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

function allOf(parts: IrExpr[]): IrExpr {
  return parts.reduce((a, b) => ({ kind: 'call', fn: 'and', type: 'bool', args: [a, b] }));
}
