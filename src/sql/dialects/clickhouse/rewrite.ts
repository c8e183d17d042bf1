import {
  col,
  fn,
  num,
  type SqlExpr,
  type SqlFrom,
  type SqlOrder,
  type SqlQuery,
  type SqlSelect,
} from '../../ast/nodes.js';
import { replaceExpandJoin } from './mv-expand.js';

export { mvExpandPlaceholder } from './mv-expand.js';

/** The row-number column by which `dedupe` (dialect.ts) keeps one row per key. */
export const DEDUPE_ROW_NUMBER = '__socfeed_rn';

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
  const expanded = out.from ? replaceExpandJoin(out.from) : undefined;
  return expanded ? renameQualifier({ ...out, from: expanded.from }, ...expanded.rename) : out;
}

/** References `from.x` become `to.x` in a SELECT's own clauses (its subqueries have their own scope). */
function renameQualifier(s: SqlSelect, from: string, to: string): SqlSelect {
  const r = (e: SqlExpr): SqlExpr => mapCols(e, (c) => (c.qualifier === from ? { ...c, qualifier: to } : c));
  const ro = (o: SqlOrder[]) => o.map((x) => ({ ...x, e: r(x.e) }));
  const out: SqlSelect = { ...s, items: s.items.map((i) => ({ ...i, e: r(i.e) })) };
  if (s.where) out.where = r(s.where);
  if (s.having) out.having = r(s.having);
  if (s.groupBy) out.groupBy = s.groupBy.map(r);
  if (s.orderBy) out.orderBy = ro(s.orderBy);
  if (s.qualify) out.qualify = r(s.qualify);
  return out;
}

function mapCols(e: SqlExpr, f: (c: Extract<SqlExpr, { k: 'col' }>) => SqlExpr): SqlExpr {
  const m = (x: SqlExpr) => mapCols(x, f);
  switch (e.k) {
    case 'col':
      return f(e);
    case 'fn':
      return {
        ...e,
        args: e.args.map(m),
        ...(e.filter ? { filter: m(e.filter) } : {}),
        ...(e.orderBy ? { orderBy: e.orderBy.map((o) => ({ ...o, e: m(o.e) })) } : {}),
      };
    case 'op':
      return { ...e, l: m(e.l), r: m(e.r) };
    case 'not':
    case 'neg':
    case 'isnull':
    case 'cast':
      return { ...e, e: m(e.e) };
    case 'case':
      return {
        ...e,
        whens: e.whens.map(([c, v]) => [m(c), m(v)] as [SqlExpr, SqlExpr]),
        ...(e.else ? { else: m(e.else) } : {}),
      };
    case 'in':
      return { ...e, e: m(e.e), list: e.list.map(m) };
    case 'inSelect':
      return { ...e, e: m(e.e) };
    case 'between':
      return { ...e, e: m(e.e), lo: m(e.lo), hi: m(e.hi) };
    case 'window':
      return {
        ...e,
        fn: m(e.fn),
        partitionBy: e.partitionBy.map(m),
        orderBy: e.orderBy.map((o) => ({ ...o, e: m(o.e) })),
      };
    case 'list':
      return { ...e, items: e.items.map(m) };
    case 'lambda':
      return { ...e, body: m(e.body) };
    case 'index':
      return { ...e, e: m(e.e), index: m(e.index) };
    case 'struct':
      return { ...e, fields: e.fields.map(([k, v]) => [k, m(v)] as [string, SqlExpr]) };
    default:
      return e;
  }
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
      const out: SqlExpr = {
        ...e,
        whens: e.whens.map(([c, v]) => [rewriteExpr(c), rewriteExpr(v)] as [SqlExpr, SqlExpr]),
      };
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
      const items = f.columns.map((c, i) => ({
        e: fn('tupleElement', col('__socfeed_row'), num(i + 1)),
        alias: c,
      }));
      return {
        k: 'subquery',
        alias: f.alias,
        query: { k: 'select', items, from: { k: 'subquery', query: inner, alias: `${f.alias}_rows` } },
      };
    }
    default:
      return f;
  }
}
