import { lowerToSql } from '../sql/compile.js';
import type { IrExpr } from '../sql/ir/expr.js';
import type { Rel } from '../sql/ir/nodes.js';
import { mapRel } from '../sql/ir/walk.js';
import type { Store } from '../store/store.js';
import { huntTarget, type HuntTarget } from './target.js';

type Subquery = Extract<IrExpr, { kind: 'subquery' }>;
const LIST_OPERATORS = new Set(['has_any', 'has_all', 'in', 'in_ci']);

function tabularArgument(e: IrExpr): Subquery | undefined {
  if (e.kind !== 'call' || !LIST_OPERATORS.has(e.fn)) return undefined;
  const arg = e.args[1];
  return arg?.kind === 'subquery' && arg.rel.cols[0]?.type === 'string' ? arg : undefined;
}

/**
 * A string operator whose right side is a table (`has_any ((rmm_set | distinct Indicator))`) gets
 * that table's values as a constant list, as runKql does before it lowers a query. The planner can
 * then read the needles, so such rules share a scan instead of running alone. The lists are read
 * where the telemetry is (a KQL-only engine has no SQL side: the rel is left as it is).
 */
export async function resolveTabularLists(where: Store | HuntTarget, rel: Rel): Promise<Rel> {
  const sqlAccess = huntTarget(where).backend.sql;
  if (!sqlAccess) return rel;
  const pending: Subquery[] = [];
  mapRel(rel, {
    expr(e) {
      const sq = tabularArgument(e);
      if (sq) pending.push(sq);
      return undefined;
    },
  });
  if (pending.length === 0) return rel;
  // Matched by visiting order: the rewrite visits the same calls in the same order, and rebuilt
  // nodes are new objects, so identity cannot be used.
  const values: IrExpr[][] = [];
  for (const sq of pending) {
    const sql = lowerToSql(sq.rel, sqlAccess.dialect).sql;
    if (!sql) return rel;
    const rows = await sqlAccess.query(sql, [{ name: 'value', type: 'string' }]);
    values.push(rows.map((r) => ({ kind: 'const', type: 'string', value: String(r[0] ?? '') })));
  }
  let next = 0;
  return mapRel(rel, {
    expr(e) {
      if (!tabularArgument(e)) return undefined;
      const items = values[next++];
      if (e.kind !== 'call' || !items) return undefined;
      return { ...e, args: [e.args[0]!, { kind: 'list', type: 'string', items }] };
    },
  });
}
