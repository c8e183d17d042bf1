import { col, fn, num, type SqlExpr, type SqlFrom, type SqlQuery, type SqlSelect } from '../../ast/nodes.js';

/**
 * ClickHouse has no `(VALUES …) AS v(c0, …)`. A datatable becomes arrayJoin over an array of
 * tuples, which also keeps the written row order (one block, read in order). Subqueries inside
 * expressions (IN, EXISTS, scalar) are rewritten too.
 */
export function rewriteForClickhouse(q: SqlQuery): SqlQuery {
  if (q.k === 'union') return { ...q, parts: q.parts.map(rewriteForClickhouse) };
  const out: SqlSelect = { ...q, items: q.items.map((i) => ({ ...i, e: rewriteExpr(i.e) })) };
  if (q.from) out.from = rewriteFrom(q.from);
  if (q.where) out.where = rewriteExpr(q.where);
  if (q.having) out.having = rewriteExpr(q.having);
  return out;
}

function rewriteExpr(e: SqlExpr): SqlExpr {
  switch (e.k) {
    case 'exists':
    case 'scalar':
      return { ...e, query: rewriteForClickhouse(e.query) };
    case 'inSelect':
      return { ...e, e: rewriteExpr(e.e), query: rewriteForClickhouse(e.query) };
    case 'fn':
      return { ...e, args: e.args.map(rewriteExpr) };
    case 'op':
      return { ...e, l: rewriteExpr(e.l), r: rewriteExpr(e.r) };
    case 'not':
    case 'neg':
    case 'isnull':
    case 'cast':
      return { ...e, e: rewriteExpr(e.e) };
    case 'case': {
      const out: SqlExpr = { ...e, whens: e.whens.map(([c, v]) => [rewriteExpr(c), rewriteExpr(v)] as [SqlExpr, SqlExpr]) };
      if (e.else) out.else = rewriteExpr(e.else);
      return out;
    }
    case 'in':
      return { ...e, e: rewriteExpr(e.e), list: e.list.map(rewriteExpr) };
    default:
      return e;
  }
}

function rewriteFrom(f: SqlFrom): SqlFrom {
  switch (f.k) {
    case 'subquery':
      return { ...f, query: rewriteForClickhouse(f.query) };
    case 'join': {
      const out: SqlFrom = { ...f, left: rewriteFrom(f.left), right: rewriteFrom(f.right) };
      if (f.on) out.on = rewriteExpr(f.on);
      return out;
    }
    case 'values': {
      const rows = { k: 'list' as const, items: f.rows.map((r) => fn('tuple', ...r.map(rewriteExpr))) };
      const inner: SqlSelect = { k: 'select', items: [{ e: fn('arrayJoin', rows), alias: '__socfeed_row' }] };
      const items = f.columns.map((c, i) => ({ e: fn('tupleElement', col('__socfeed_row'), num(i + 1)), alias: c }));
      return { k: 'subquery', alias: f.alias, query: { k: 'select', items, from: { k: 'subquery', query: inner, alias: `${f.alias}_rows` } } };
    }
    default:
      return f;
  }
}
