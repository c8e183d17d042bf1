import { caseWhen, cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { AggCall } from '../../ir/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { jsonTo } from './dialect.js';
import { toDynamic } from './dynamic.js';
import type { ScalarLowering } from './scalar.js';
import { isTypeLiteral, tdigestPercents } from '../common/sketch-args.js';

/**
 * Kusto's sketch aggregates and the schema aggregate, computed exactly:
 * - hll(x): the distinct values, as a JSON array. dcount_hll() is its length, so a dcount
 *   through hll() agrees with dcount(), which is exact here too.
 * - tdigest(x): the values sorted, as a JSON array. percentile_tdigest() picks the nearest rank,
 *   as percentile() does.
 * - buildschema(d): the union schema of dynamic values (`{"x":["int","string"],"z":{"indexer":…}}`).
 * Exact sketches grow with the data (one element per distinct value, or per value); Kusto's stay
 * small. They are meant for the sizes one machine hunts over.
 */

const col = (name: string): SqlExpr => ({ k: 'col', name });
const lambda = (params: string[], body: SqlExpr): SqlExpr => ({ k: 'lambda', params, body });
const notNull = (e: SqlExpr): SqlExpr => ({ k: 'isnull', e, negated: true });
const JSON_LIST = str('["JSON"]');
const asList = (j: SqlExpr) => fn('coalesce', fn('from_json', j, JSON_LIST), { k: 'list', items: [] });
const filtered = (e: SqlExpr, filter: SqlExpr): SqlExpr => (e.k === 'fn' ? { ...e, filter } : e);

/** Deepest nesting buildschema() describes; below it objects and arrays are "dynamic". */
export const SCHEMA_DEPTH = 8;

/** Lambda names carry the level so an inner level's parameters never capture an outer one's. */
function schemaLevelMacro(d: number): string {
  const mark = `chr(0) || 'indexer'`;
  const kinds = `socfeed_schema_kinds(vs)`;
  const pairs = `flatten(list_transform(vs, v${d} -> CASE json_type(v${d})
      WHEN 'OBJECT' THEN list_transform(json_keys(v${d}), k${d} -> {'k': k${d}, 'v': json_extract(v${d}, socfeed_json_pointer(k${d}))})
      WHEN 'ARRAY' THEN list_transform(CAST(from_json(v${d}, '["JSON"]') AS JSON[]), a${d} -> {'k': ${mark}, 'v': a${d}})
      ELSE CAST([] AS STRUCT(k VARCHAR, v JSON)[]) END))`;
  const children = `list_filter(list_transform(list_filter(p${d}, q${d} -> q${d}.k = key${d}), q${d} -> q${d}.v),
      x${d} -> x${d} IS NOT NULL AND json_type(x${d}) <> 'NULL')`;
  const entries = `list_transform(socfeed_distinct_ordered(list_transform(p${d}, q${d} -> q${d}.k)),
      key${d} -> {'k': key${d}, 's': socfeed_schema_${d - 1}(${children})})`;
  const props = `list_filter(e${d}, y${d} -> y${d}.k <> ${mark})`;
  const object = `to_json(map(list_transform(${props}, y${d} -> y${d}.k), list_transform(${props}, y${d} -> y${d}.s)))`;
  const array = `json_object('indexer', list_filter(e${d}, y${d} -> y${d}.k = ${mark})[1].s)`;
  // [expr] with a one-element list_transform binds expr once, so it is not repeated in the text.
  return `CREATE OR REPLACE TEMP MACRO socfeed_schema_${d}(vs) AS
    list_transform([${pairs}], p${d} -> list_transform([${entries}], e${d} ->
      socfeed_schema_alternatives(list_transform(${kinds}, t${d} ->
        CASE t${d} WHEN 'object' THEN ${object} WHEN 'array' THEN ${array} ELSE to_json(t${d}) END)))[1])[1]`;
}

export const SKETCH_MACROS: string[] = [
  `CREATE OR REPLACE TEMP MACRO socfeed_distinct_ordered(l) AS
    list_filter(l, (dx, di) -> list_position(l, dx) = di)`,
  // Kusto's type names for JSON values: whole numbers are int when they fit in 32 bits, else long.
  `CREATE OR REPLACE TEMP MACRO socfeed_schema_kind(v) AS
    CASE json_type(v) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string'
      WHEN 'DOUBLE' THEN 'double' WHEN 'BOOLEAN' THEN 'bool'
      WHEN 'UBIGINT' THEN CASE WHEN CAST(v AS UBIGINT) <= 2147483647 THEN 'int' ELSE 'long' END
      WHEN 'BIGINT' THEN CASE WHEN CAST(v AS BIGINT) >= -2147483648 THEN 'int' ELSE 'long' END END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_schema_kinds(vs) AS
    socfeed_distinct_ordered(list_filter(list_transform(vs, kv -> socfeed_schema_kind(kv)), kk -> kk IS NOT NULL))`,
  // One alternative stands alone; several are listed in the order they were first seen.
  `CREATE OR REPLACE TEMP MACRO socfeed_schema_alternatives(alts) AS
    CASE len(alts) WHEN 0 THEN NULL WHEN 1 THEN alts[1] ELSE to_json(alts) END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_schema_0(vs) AS
    socfeed_schema_alternatives(list_transform(socfeed_schema_kinds(vs),
      t0 -> to_json(CASE WHEN t0 IN ('object', 'array') THEN 'dynamic' ELSE t0 END)))`,
  ...Array.from({ length: SCHEMA_DEPTH }, (_, i) => schemaLevelMacro(i + 1)),
];

/** The distinct values of a column of any type as a JSON array (null when there are none). */
function distinctValues(x: IrExpr, ctx: LowerContext, filter?: SqlExpr): SqlExpr {
  const v = toDynamic(x, ctx);
  const keep = filter ? op('AND', filter, notNull(ctx.expr(x))) : notNull(ctx.expr(x));
  return fn('to_json', fn('list_distinct', filtered(fn('list', v), keep)));
}

/** The values sorted by their typed order, as a JSON array (null when there are none). */
function sortedValues(x: IrExpr, ctx: LowerContext): SqlExpr {
  const pairs = filtered(
    fn('list', {
      k: 'struct',
      fields: [
        ['o', ctx.expr(x)],
        ['v', toDynamic(x, ctx)],
      ],
    }),
    notNull(ctx.expr(x)),
  );
  return fn(
    'to_json',
    fn('list_transform', fn('list_sort', pairs), lambda(['__p'], fn('struct_extract', col('__p'), str('v')))),
  );
}

/**
 * JSON values in Kusto's order for one type: numbers by value, everything else (datetimes as ISO
 * text, strings) by text. Used when merging digests, whose elements are already JSON.
 */
function sortJsonValues(values: SqlExpr): SqlExpr {
  const key: SqlExpr = {
    k: 'struct',
    fields: [
      ['n', cast(fn('json_extract_string', col('__v'), str('$')), 'DOUBLE', true)],
      ['s', fn('json_extract_string', col('__v'), str('$'))],
      ['v', col('__v')],
    ],
  };
  return fn(
    'list_transform',
    fn('list_sort', fn('list_transform', values, lambda(['__v'], key))),
    lambda(['__p'], fn('struct_extract', col('__p'), str('v'))),
  );
}

const nonEmptyJson = (list: SqlExpr): SqlExpr =>
  caseWhen([[op('=', fn('len', list), num(0)), { k: 'null' }]], fn('to_json', list));

const mergeSets = (lists: SqlExpr): SqlExpr => nonEmptyJson(fn('list_distinct', fn('flatten', lists)));
const mergeDigests = (lists: SqlExpr): SqlExpr => nonEmptyJson(sortJsonValues(fn('flatten', lists)));

export function lowerSketchAggregate(a: AggCall, ctx: LowerContext): SqlExpr | undefined {
  const [x] = a.args;
  switch (a.fn) {
    case 'hll':
      return distinctValues(x!, ctx);
    case 'hll_if':
      return distinctValues(x!, ctx, ctx.predicate(a.args[1]!));
    case 'hll_merge':
      return mergeSets(filtered(fn('list', asList(ctx.expr(x!))), notNull(ctx.expr(x!))));
    case 'tdigest':
      if (a.args.length > 1)
        throw new UnsupportedFeature('SF303', 'tdigest() with weights is not supported; use percentilesw()');
      return sortedValues(x!, ctx);
    case 'tdigest_merge':
      return mergeDigests(filtered(fn('list', asList(ctx.expr(x!))), notNull(ctx.expr(x!))));
    case 'buildschema': {
      const v = toDynamic(x!, ctx);
      return fn(`socfeed_schema_${SCHEMA_DEPTH}`, filtered(fn('list', v), notNull(ctx.expr(x!))));
    }
    default:
      return undefined;
  }
}

/** Nearest rank over a sorted JSON array: the element at ceil(p% × n), at least the first. */
function nearestRank(sorted: SqlExpr, percent: SqlExpr): SqlExpr {
  const n = fn('len', sorted);
  const rank = fn('greatest', num(1), cast(fn('ceil', op('*', op('/', percent, num(100)), n)), 'BIGINT'));
  return { k: 'index', e: sorted, index: rank };
}

const percentileTdigest: ScalarLowering = (args, ctx, call) => {
  const sorted = fn('from_json', ctx.expr(args[0]!), JSON_LIST);
  const value = nearestRank(sorted, ctx.expr(args[1]!));
  return isTypeLiteral(ctx, args[2]) ? jsonTo(value, call.type) : value;
};

const percentilesArrayTdigest: ScalarLowering = (args, ctx) => {
  const sorted = fn('from_json', ctx.expr(args[0]!), JSON_LIST);
  const picks = tdigestPercents(args, ctx).map((p) => nearestRank(sorted, num(p)));
  return caseWhen([[op('>', fn('len', sorted), num(0)), fn('to_json', { k: 'list', items: picks })]]);
};

export const SKETCH_LOWERINGS: Record<string, ScalarLowering> = {
  dcount_hll: ([h], ctx) => fn('coalesce', fn('socfeed_json_array_length', ctx.expr(h!)), num(0)),
  hll_merge: (args, ctx) => mergeSets({ k: 'list', items: args.map((h) => asList(ctx.expr(h))) }),
  merge_tdigest: (args, ctx) => mergeDigests({ k: 'list', items: args.map((t) => asList(ctx.expr(t))) }),
  percentile_tdigest: percentileTdigest,
  percentiles_array_tdigest: percentilesArrayTdigest,
};
