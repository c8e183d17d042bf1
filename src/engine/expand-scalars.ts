import type { IrExpr, JsonLike } from '../sql/ir/expr.js';
import type { Rel } from '../sql/ir/nodes.js';
import { mapRel } from '../sql/ir/walk.js';

type Subquery = Extract<IrExpr, { kind: 'subquery' }>;

/**
 * `mv-expand x = toscalar(…)`: DuckDB expands arrays inside a lambda, where a subquery cannot
 * stand. toscalar() is evaluated once per query (Kusto), so its value can be computed first and
 * inlined as a constant. Only dynamic scalar subqueries inside mv-expand are touched.
 * `run` returns the first column of the first row (undefined when there is none) as JSON.
 */
export async function inlineExpandScalars(
  rel: Rel,
  run: (sq: Subquery) => Promise<JsonLike | undefined>,
): Promise<Rel> {
  const found: Subquery[] = [];
  const collect = (e: IrExpr): void => {
    if (e.kind === 'subquery' && e.mode === 'scalar' && e.type === 'dynamic') found.push(e);
    else if (e.kind === 'call') e.args.forEach(collect);
    else if (e.kind === 'list') e.items.forEach(collect);
  };
  forEachExpand(rel, (x) => collect(x));
  if (found.length === 0) return rel;
  const values: IrExpr[] = [];
  for (const sq of found) values.push({ kind: 'const', type: 'dynamic', value: (await run(sq)) ?? null });
  // Same traversal order as the collection above: the k-th subquery met gets the k-th value.
  let k = 0;
  const replace = (e: IrExpr): IrExpr => {
    if (e.kind === 'subquery' && e.mode === 'scalar' && e.type === 'dynamic') return values[k++]!;
    if (e.kind === 'call') return { ...e, args: e.args.map(replace) };
    if (e.kind === 'list') return { ...e, items: e.items.map(replace) };
    return e;
  };
  return mapRel(rel, {
    rel: (r) =>
      r.kind === 'expand'
        ? { ...r, expansions: r.expansions.map((x) => ({ ...x, expr: replace(x.expr) })) }
        : undefined,
  });
}

/** Calls `visit` on every mv-expand expression, children before parents (mapRel's order). */
function forEachExpand(rel: Rel, visit: (e: IrExpr) => void): void {
  mapRel(rel, {
    rel: (r) => {
      if (r.kind === 'expand') for (const x of r.expansions) visit(x.expr);
      return undefined;
    },
  });
}
