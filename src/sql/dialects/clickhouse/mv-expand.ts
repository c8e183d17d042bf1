import {
  caseWhen,
  col,
  fn,
  isNull,
  num,
  op,
  or,
  str,
  type SqlExpr,
  type SqlFrom,
  type SqlSelect,
} from '../../ast/nodes.js';
import { jsonType } from './text.js';

/**
 * mv-expand on ClickHouse. The generic lowering joins the input with a correlated subquery that
 * yields the elements; ClickHouse has no lateral joins, so the pair is replaced by one subquery
 * over the input that adds the elements with arrayJoin (ClickHouse's ARRAY JOIN as a function),
 * keeping the input's alias so the enclosing SELECT's references stay valid.
 */
export const MARKER = '__socfeed_mv_expand';

export function mvExpandPlaceholder(
  arrays: SqlExpr[],
  elementNames: string[],
  indexName: string,
  bag: 'bag' | 'array',
): SqlSelect {
  return {
    k: 'select',
    items: [
      { e: fn(MARKER, str(bag), ...arrays), alias: MARKER },
      ...elementNames.map((n) => ({ e: { k: 'null' as const }, alias: n })),
      { e: { k: 'null' as const }, alias: indexName },
    ],
  };
}

const X = { k: 'col' as const, name: '__x' };
const I = { k: 'col' as const, name: '__i' };
const lam = (params: string[], body: SqlExpr): SqlExpr => ({ k: 'lambda', params, body });

/** Elements mv-expand produces: array items; bag entries as {"k":v} (or ["k",v]); null → one null. */
function elements(j: SqlExpr, bag: string): SqlExpr {
  const entry =
    bag === 'array'
      ? fn(
          'concat',
          str('['),
          fn('toJSONString', fn('tupleElement', X, num(1))),
          str(','),
          fn('tupleElement', X, num(2)),
          str(']'),
        )
      : fn(
          'concat',
          str('{'),
          fn('toJSONString', fn('tupleElement', X, num(1))),
          str(':'),
          fn('tupleElement', X, num(2)),
          str('}'),
        );
  const t = jsonType(j);
  return caseWhen(
    [
      [or(isNull(j), op('=', t, str('Null'))), { k: 'list', items: [str('null')] }],
      [op('=', t, str('Array')), fn('JSONExtractArrayRaw', fn('assumeNotNull', j))],
      [
        op('=', t, str('Object')),
        fn('arrayMap', lam(['__x'], entry), fn('JSONExtractKeysAndValuesRaw', fn('assumeNotNull', j))),
      ],
    ],
    { k: 'list', items: [fn('assumeNotNull', j)] },
  );
}

/** The marker's subquery, if `f` is one. */
function marker(f: SqlFrom): SqlSelect | undefined {
  if (f.k !== 'subquery' || f.query.k !== 'select') return undefined;
  return f.query.items[0]?.alias === MARKER ? f.query : undefined;
}

/**
 * `left CROSS JOIN (placeholder) AS x` → `(SELECT l.*, elements… FROM left) AS l`, plus the
 * alias to rename (x → l) in the enclosing SELECT; undefined when `f` is not such a join.
 */
export function replaceExpandJoin(f: SqlFrom): { from: SqlFrom; rename: [string, string] } | undefined {
  if (f.k !== 'join' || f.kind !== 'CROSS' || f.right.k !== 'subquery' || f.left.k !== 'subquery')
    return undefined;
  const m = marker(f.right);
  if (!m) return undefined;
  const call = m.items[0]!.e as Extract<SqlExpr, { k: 'fn' }>;
  const bag = (call.args[0] as Extract<SqlExpr, { k: 'str' }>).value;
  const lists = call.args.slice(1).map((a) => elements(a, bag));
  const names = m.items.slice(1).map((i) => i.alias!);
  const indexName = names.pop()!;
  const longest =
    lists.length === 1 ? fn('length', lists[0]!) : fn('greatest', ...lists.map((l) => fn('length', l)));
  const row = fn(
    'tuple',
    ...lists.map((l) => fn('arrayElementOrNull', l, op('+', I, num(1)))),
    fn('toInt64', I),
  );
  const zipped = fn('arrayJoin', fn('arrayMap', lam(['__i'], row), fn('range', longest)));
  const la = f.left.alias;
  const z = '__socfeed_z';
  const inner: SqlSelect = {
    k: 'select',
    items: [{ e: { k: 'star', qualifier: la } }, { e: zipped, alias: z }],
    from: f.left,
  };
  const outer: SqlSelect = {
    k: 'select',
    items: [
      { e: { k: 'star' } },
      ...names.map((n, i) => ({ e: fn('tupleElement', col(z), num(i + 1)), alias: n })),
      { e: fn('tupleElement', col(z), num(names.length + 1)), alias: indexName },
    ],
    from: { k: 'subquery', query: inner, alias: `${la}_z` },
  };
  return { from: { k: 'subquery', query: outer, alias: la }, rename: [f.right.alias, la] };
}
