import type { IrExpr } from './expr.js';
import type { AggCall, Rel } from './nodes.js';

/**
 * Rebuilds a Rel tree bottom-up, letting `mapExpr` replace scalar expressions (including those in
 * subqueries) and `mapRel` replace relational nodes. Nodes that do not change are reused.
 */
export interface IrMapper {
  expr?(e: IrExpr): IrExpr | undefined;
  rel?(r: Rel): Rel | undefined;
}

export function mapRel(r: Rel, m: IrMapper): Rel {
  const e = (x: IrExpr) => mapExpr(x, m);
  const agg = (a: AggCall): AggCall => ({ ...a, args: a.args.map(e) });
  let out: Rel;
  switch (r.kind) {
    case 'scan':
      out = r;
      break;
    case 'values':
      out = { ...r, rows: r.rows.map((row) => row.map(e)) };
      break;
    case 'range':
      out = { ...r, from: e(r.from), to: e(r.to), step: e(r.step) };
      break;
    case 'filter':
      out = { ...r, input: mapRel(r.input, m), predicate: e(r.predicate) };
      break;
    case 'project':
      out = { ...r, input: mapRel(r.input, m), exprs: r.exprs.map(e) };
      break;
    case 'aggregate':
      out = { ...r, input: mapRel(r.input, m), groups: r.groups.map(e), aggs: r.aggs.map(agg) };
      break;
    case 'sort':
      out = { ...r, input: mapRel(r.input, m), keys: r.keys.map((k) => ({ ...k, expr: e(k.expr) })) };
      break;
    case 'limit':
      out = {
        ...r,
        input: mapRel(r.input, m),
        ...(r.partitionBy ? { partitionBy: r.partitionBy.map(e) } : {}),
      };
      break;
    case 'serialize':
      out = { ...r, input: mapRel(r.input, m) };
      break;
    case 'join':
      out = {
        ...r,
        left: mapRel(r.left, m),
        right: mapRel(r.right, m),
        on: r.on.map(([a, b]) => [e(a), e(b)] as [IrExpr, IrExpr]),
      };
      break;
    case 'union':
      out = { ...r, inputs: r.inputs.map((i) => mapRel(i, m)) };
      break;
    case 'expand':
      out = {
        ...r,
        input: mapRel(r.input, m),
        expansions: r.expansions.map((x) => ({ ...x, expr: e(x.expr) })),
      };
      break;
  }
  return m.rel?.(out) ?? out;
}

export function mapExpr(x: IrExpr, m: IrMapper): IrExpr {
  let out: IrExpr;
  switch (x.kind) {
    case 'call':
      out = { ...x, args: x.args.map((a) => mapExpr(a, m)) };
      break;
    case 'list':
      out = { ...x, items: x.items.map((a) => mapExpr(a, m)) };
      break;
    case 'subquery':
      out = { ...x, rel: mapRel(x.rel, m) };
      break;
    case 'window': {
      const w: IrExpr = { ...x, args: x.args.map((a) => mapExpr(a, m)) };
      if (x.restart) w.restart = mapExpr(x.restart, m);
      out = w;
      break;
    }
    default:
      out = x;
  }
  return m.expr?.(out) ?? out;
}

/** Visits every scalar expression of a tree (for analyses that do not rewrite). */
export function forEachExpr(r: Rel, visit: (e: IrExpr) => void): void {
  mapRel(r, {
    expr(e) {
      visit(e);
      return undefined;
    },
  });
}
