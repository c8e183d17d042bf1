import {
  and,
  bool,
  caseWhen,
  cast,
  col,
  fn,
  isNull,
  not,
  NULL,
  num,
  op,
  or,
  str,
  type SqlExpr,
} from '../../ast/nodes.js';
import type { ConstValue, IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import {
  asciiLower,
  chunked,
  literalPattern,
  MAX_REGEX_NEEDLES,
  selectedGroups,
  termAnyPattern,
  type TermMode,
} from '../common/term-regex.js';
import { DUCKDB_STORAGE_TYPE } from './ddl.js';
import { jsonTo } from './dialect.js';
import { DATETIME_LOWERINGS } from './datetime.js';
import { textToDatetime } from './datetime-extra.js';
import { DYNAMIC_LOWERINGS } from './dynamic.js';
import { ARRAY_LOWERINGS } from './arrays.js';
import { NETWORK_LOWERINGS } from './network.js';
import { URL_LOWERINGS } from './urls.js';
import { TEXT_MATH_LOWERINGS } from './text-math.js';
import { POSITION_LOWERINGS } from './positions.js';
import { SKETCH_LOWERINGS } from './sketches.js';

export type ScalarLowering = (
  args: IrExpr[],
  ctx: LowerContext,
  e: Extract<IrExpr, { kind: 'call' }>,
) => SqlExpr;

const EMPTY = str('');
const coalesceStr = (e: SqlExpr) => fn('coalesce', e, EMPTY);

function constString(ctx: LowerContext, e: IrExpr): string | undefined {
  const v = ctx.constValue(e);
  return typeof v === 'string' ? v : undefined;
}

/** Kusto's tostring() of any value, never null. */
export function toText(x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  switch (x.type) {
    case 'string':
      return s;
    case 'datetime':
      return fn('socfeed_tostring_datetime', s);
    case 'timespan':
      return fn('socfeed_tostring_timespan', s);
    case 'real':
    case 'decimal':
      return fn('socfeed_tostring_real', s);
    case 'dynamic':
      return fn('socfeed_tostring_dynamic', s);
    default:
      return coalesceStr(cast(s, 'VARCHAR'));
  }
}

/** Conversion to a scalar type from any source type (Kusto's to*() functions): null when it fails. */
function convertTo(target: keyof typeof DUCKDB_STORAGE_TYPE, x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  if (x.type === target) return s;
  if (x.type === 'dynamic') return jsonTo(s, target);
  if (target === 'bool' && x.type === 'string') {
    return caseWhen(
      [
        [op('=', fn('lower', s), str('true')), bool(true)],
        [op('=', fn('lower', s), str('false')), bool(false)],
      ],
      cast(cast(s, 'BIGINT', true), 'BOOLEAN', true),
    );
  }
  if ((target === 'int' || target === 'long') && (x.type === 'real' || x.type === 'decimal'))
    return cast(fn('trunc', s), DUCKDB_STORAGE_TYPE[target], true);
  if ((target === 'int' || target === 'long') && x.type === 'string') {
    // "1.5" is not a long in Kusto; only integral text converts.
    return cast(s, DUCKDB_STORAGE_TYPE[target], true);
  }
  if (target === 'long' && x.type === 'datetime') return op('//', fn('epoch_ns', s), num(100));
  if (target === 'long' && x.type === 'timespan') return s;
  if (target === 'datetime' && x.type === 'string') return textToDatetime(s);
  if (target === 'timespan' && x.type === 'string') return fn('socfeed_parse_timespan', fn('trim', s));
  if (target === 'timespan' && (x.type === 'long' || x.type === 'int')) return s;
  if (target === 'real' && x.type === 'timespan') return cast(s, 'DOUBLE');
  return cast(s, DUCKDB_STORAGE_TYPE[target], true);
}

// ------------------------------------------------------------ string operators

/**
 * A LIKE pattern that matches a superset of the rows containing `needle`: DuckDB's LIKE has no
 * default escape character, so the needle's own `%`/`_` become single-character wildcards.
 * LIKE/ILIKE run far faster than a regex, so they go first and the exact check runs only on hits.
 */
function likeSuperset(needle: string, kind: 'contains' | 'startswith' | 'endswith' | 'equals'): string {
  const body = needle.replace(/[%_]/g, '_');
  return kind === 'contains'
    ? `%${body}%`
    : kind === 'startswith'
      ? `${body}%`
      : kind === 'endswith'
        ? `%${body}`
        : body;
}

function prefilter(
  subject: SqlExpr,
  needle: string,
  kind: 'contains' | 'startswith' | 'endswith' | 'equals',
  caseSensitive: boolean,
): SqlExpr {
  // LIKE patterns cannot carry NUL; such needles are rare enough to go straight to the regex.
  if (needle.includes('\0')) return bool(true);
  return op(caseSensitive ? 'LIKE' : 'ILIKE', subject, str(likeSuperset(needle, kind)));
}

/**
 * Case-insensitive comparison with a constant needle. ILIKE folds Unicode (Ä/ä, the Kelvin sign
 * and k), Kusto folds only ASCII letters, so an exact RE2 check with [aA] classes confirms hits.
 */
function ciPattern(
  ctx: LowerContext,
  subject: IrExpr,
  needle: string,
  kind: 'contains' | 'startswith' | 'endswith' | 'equals',
): SqlExpr {
  const s = ctx.expr(subject);
  const body = literalPattern(needle, false);
  const pattern =
    kind === 'contains'
      ? body
      : kind === 'startswith'
        ? `^${body}`
        : kind === 'endswith'
          ? `${body}$`
          : `^${body}$`;
  const exact = fn('regexp_matches', s, str(kind === 'contains' ? pattern : `(?s)${pattern}`));
  return and(prefilter(s, needle, kind, false), exact);
}

/** Up to this many needles, has_any is prefiltered with ILIKEs; beyond, one RE2 pass is cheaper. */
const MAX_PREFILTER_NEEDLES = 8;

function term(mode: TermMode, caseSensitive: boolean): ScalarLowering {
  return ([subject, needle], ctx) => {
    const n = constString(ctx, needle!);
    if (n === undefined) {
      if (mode !== 'has')
        throw new UnsupportedFeature(
          'SF303',
          `${mode === 'prefix' ? 'hasprefix' : 'hassuffix'} with a non-constant right side is not supported`,
        );
      return fn(caseSensitive ? 'socfeed_has_cs' : 'socfeed_has', ctx.expr(subject!), ctx.expr(needle!));
    }
    if (n === '') return bool(true);
    const s = ctx.expr(subject!);
    const exact = fn('regexp_matches', s, str(termAnyPattern([n], mode, caseSensitive)));
    return and(prefilter(s, n, 'contains', caseSensitive), exact);
  };
}

/** The needles of has_any/has_all/in: constants, or null when they are only known at run time. */
function listConstants(ctx: LowerContext, list: IrExpr): ConstValue[] | undefined {
  if (list.kind !== 'list') return undefined;
  const out: ConstValue[] = [];
  for (const item of list.items) {
    const v = ctx.constValue(item);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function firstColumnQuery(ctx: LowerContext, list: Extract<IrExpr, { kind: 'subquery' }>) {
  const q = ctx.subquery(list.rel);
  const first = list.rel.cols[0]!;
  return {
    k: 'select' as const,
    items: [{ e: { k: 'col' as const, name: first.name, qualifier: 'sq' } }],
    from: { k: 'subquery' as const, query: q, alias: 'sq' },
  };
}

const hasAny: ScalarLowering = ([subject, list], ctx) => {
  const needles = listConstants(ctx, list!);
  if (needles) {
    const texts = needles.map((n) => (n === null ? '' : String(n))).filter((n) => n !== '');
    if (texts.length === 0) return bool(false);
    const s = ctx.expr(subject!);
    // Long lists are split so each alternation stays within RE2's fast automaton.
    const exact = or(
      ...chunked(texts, MAX_REGEX_NEEDLES).map((part) =>
        fn('regexp_matches', s, str(termAnyPattern(part, 'has', false))),
      ),
    );
    if (texts.length > MAX_PREFILTER_NEEDLES) return exact;
    return and(or(...texts.map((t) => prefilter(s, t, 'contains', false))), exact);
  }
  if (list!.kind === 'subquery') {
    // Needles only known at run time (the runner normally resolves them first).
    const q = firstColumnQuery(ctx, list!);
    const needle = { k: 'col' as const, name: list!.rel.cols[0]!.name, qualifier: 'sq' };
    return {
      k: 'exists',
      negated: false,
      query: {
        ...q,
        items: [{ e: num(1) }],
        where: fn('socfeed_has', ctx.expr(subject!), cast(needle, 'VARCHAR')),
      },
    };
  }
  const items = (list as Extract<IrExpr, { kind: 'list' }>).items;
  return or(...items.map((i) => fn('socfeed_has', ctx.expr(subject!), ctx.expr(i))));
};

const hasAll: ScalarLowering = ([subject, list], ctx) => {
  const needles = listConstants(ctx, list!);
  if (!needles)
    throw new UnsupportedFeature('SF303', 'has_all with values only known at run time is not supported yet');
  const texts = needles.map((n) => (n === null ? '' : String(n))).filter((n) => n !== '');
  if (texts.length === 0) return bool(true);
  const s = ctx.expr(subject!);
  return and(
    ...texts.map((t) =>
      and(
        prefilter(s, t, 'contains', false),
        fn('regexp_matches', s, str(termAnyPattern([t], 'has', false))),
      ),
    ),
  );
};

function inList(caseInsensitive: boolean): ScalarLowering {
  return ([x, list], ctx) => {
    const lhs = caseInsensitive ? fn('lower', ctx.expr(x!)) : ctx.expr(x!);
    let result: SqlExpr;
    if (list!.kind === 'subquery') {
      const q = firstColumnQuery(ctx, list!);
      const first = q.items[0]!.e;
      const inner = caseInsensitive ? { ...q, items: [{ e: fn('lower', cast(first, 'VARCHAR')) }] } : q;
      result = { k: 'inSelect', e: lhs, query: { ...inner, where: isNull(first, true) }, negated: false };
    } else {
      const items = (list as Extract<IrExpr, { kind: 'list' }>).items;
      if (items.length === 0) return bool(false);
      const nonNull = items.filter((i) => ctx.constValue(i) !== null);
      if (nonNull.length === 0) return bool(false);
      result = {
        k: 'in',
        e: lhs,
        list: nonNull.map((i) => {
          const c = ctx.constValue(i);
          if (caseInsensitive) return typeof c === 'string' ? str(asciiLower(c)) : fn('lower', ctx.expr(i));
          return ctx.expr(i);
        }),
        negated: false,
      };
    }
    // `in` is an OR of ==: a null left side is false, not null.
    return ctx.nullable(x!) ? fn('coalesce', result, bool(false)) : result;
  };
}

function equality(negated: boolean): ScalarLowering {
  return ([a, b], ctx) => {
    const l = ctx.expr(a!);
    const r = ctx.expr(b!);
    const na = ctx.nullable(a!);
    const nb = ctx.nullable(b!);
    if (!na && !nb) return op(negated ? '<>' : '=', l, r);
    const distinct = op(negated ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM', l, r);
    // Kusto: one side null → == is false, != is true; both null → null.
    if (na && nb) return caseWhen([[and(isNull(l), isNull(r)), cast(NULL, 'BOOLEAN')]], distinct);
    return distinct;
  };
}

function ciEquality(negated: boolean): ScalarLowering {
  return ([a, b], ctx, e) => {
    const n = constString(ctx, b!);
    const r =
      n !== undefined
        ? ciPattern(ctx, a!, n, 'equals')
        : op('=', fn('lower', ctx.expr(a!)), fn('lower', ctx.expr(b!)));
    void e;
    return negated ? not(r) : r;
  };
}

function stringPredicate(
  kind: 'contains' | 'startswith' | 'endswith',
  caseSensitive: boolean,
): ScalarLowering {
  return ([s, n], ctx) => {
    const needle = constString(ctx, n!);
    if (!caseSensitive && needle !== undefined) {
      if (needle === '') return bool(true);
      return ciPattern(ctx, s!, needle, kind);
    }
    const subject = caseSensitive ? ctx.expr(s!) : fn('lower', ctx.expr(s!));
    const nd = caseSensitive ? ctx.expr(n!) : fn('lower', ctx.expr(n!));
    return fn(
      kind === 'contains' ? 'contains' : kind === 'startswith' ? 'starts_with' : 'suffix',
      subject,
      nd,
    );
  };
}

// ------------------------------------------------------------ arithmetic

const TICK_NS = num(100);

function arith(o: 'add' | 'sub' | 'mul' | 'div' | 'mod'): ScalarLowering {
  return ([a, b], ctx, e) => {
    const l = ctx.expr(a!);
    const r = ctx.expr(b!);
    const ta = a!.type;
    const tb = b!.type;
    if (e.type === 'datetime') {
      // datetime ± timespan in exact 100 ns ticks (TIMESTAMP_NS arithmetic would drop to µs).
      const delta = op('*', r, TICK_NS);
      return fn('make_timestamp_ns', op(o === 'add' ? '+' : '-', fn('epoch_ns', l), delta));
    }
    if (ta === 'datetime' && tb === 'datetime')
      return op('//', op('-', fn('epoch_ns', l), fn('epoch_ns', r)), TICK_NS);
    if (e.type === 'timespan' && o === 'mul') {
      const other = ta === 'timespan' ? b! : a!;
      return other.type === 'real' ? cast(fn('round', op('*', l, r)), 'BIGINT') : op('*', l, r);
    }
    if (e.type === 'timespan' && o === 'div')
      return tb === 'real' ? cast(fn('round', op('/', l, r)), 'BIGINT') : op('//', l, r);
    if (ta === 'timespan' && tb === 'timespan' && o === 'div') return op('/', cast(l, 'DOUBLE'), r);
    const integral = e.type === 'long' || e.type === 'int' || e.type === 'timespan';
    switch (o) {
      case 'add':
        return op('+', l, r);
      case 'sub':
        return op('-', l, r);
      case 'mul':
        return op('*', l, r);
      case 'div':
        // Kusto integer division truncates toward zero, like DuckDB's //.
        return op(integral ? '//' : '/', l, r);
      case 'mod':
        // Kusto's integer modulo is never negative: -14 % 12 == 10 and -14 % -12 == 10.
        return integral ? op('%', op('+', op('%', l, r), fn('abs', r)), fn('abs', r)) : op('%', l, r);
    }
  };
}

// ------------------------------------------------------------ regex helpers

const extract: ScalarLowering = (args, ctx, e) => {
  const [re, group, source] = args;
  const pattern = constString(ctx, re!)!;
  const g = ctx.constValue(group!);
  if (typeof g !== 'bigint' && typeof g !== 'number')
    throw new UnsupportedFeature('SF303', 'extract() needs a constant capture group number');
  const src = ctx.expr(source!);
  const matched = fn('regexp_extract', src, str(pattern), num(Number(g)));
  const hit = fn('regexp_matches', src, str(pattern));
  if (e.type === 'string') return caseWhen([[hit, matched]], EMPTY);
  const typed =
    e.type === 'datetime'
      ? textToDatetime(matched)
      : e.type === 'timespan'
        ? fn('socfeed_parse_timespan', matched)
        : cast(matched, DUCKDB_STORAGE_TYPE[e.type], true);
  return caseWhen([[hit, typed]]);
};

/**
 * extract_all(regex, [captureGroups,] source): every match; one group (or none) gives an array of
 * strings, several an array of arrays, one per match. A group that took no part in a match is ""
 * (.NET's empty group value).
 */
const lambda = (param: string, body: SqlExpr): SqlExpr => ({ k: 'lambda', params: [param], body });

const extractAll: ScalarLowering = (args, ctx) => {
  const [re, second, third] = args;
  const pattern = constString(ctx, re!)!;
  const source = ctx.expr(third ?? second!);
  const groups = selectedGroups(pattern, third ? ctx.constValue(second!) : undefined);
  if (!groups)
    throw new UnsupportedFeature('SF303', 'extract_all() needs a constant array of its capture groups');
  const matched = fn('regexp_matches', source, str(pattern));
  const group = (g: number) =>
    fn(
      'list_transform',
      fn('regexp_extract_all', source, str(pattern), num(g)),
      lambda('__g', fn('coalesce', col('__g'), EMPTY)),
    );
  if (groups.length <= 1) return caseWhen([[matched, fn('to_json', group(groups[0] ?? 0))]]);
  const perGroup = groups.map(group);
  const zipped = fn(
    'list_transform',
    fn('range', fn('len', perGroup[0]!)),
    lambda('__i', {
      k: 'list',
      items: perGroup.map((p) => ({ k: 'index' as const, e: p, index: op('+', col('__i'), num(1)) })),
    }),
  );
  return caseWhen([[matched, fn('to_json', zipped)]]);
};

const trimRegex =
  (where: 'both' | 'start' | 'end'): ScalarLowering =>
  ([re, s], ctx) => {
    const pattern = constString(ctx, re!)!;
    let out = ctx.expr(s!);
    if (where !== 'end') out = fn('regexp_replace', out, str(`^(?:${pattern})`), EMPTY);
    if (where !== 'start') out = fn('regexp_replace', out, str(`(?:${pattern})$`), EMPTY);
    return out;
  };

// ------------------------------------------------------------ the table

const L: Record<string, ScalarLowering> = {
  // logic and comparison
  and: ([a, b], ctx) => op('AND', ctx.expr(a!), ctx.expr(b!)),
  or: ([a, b], ctx) => op('OR', ctx.expr(a!), ctx.expr(b!)),
  not: ([a], ctx) => not(ctx.expr(a!)),
  eq: equality(false),
  ne: equality(true),
  lt: ([a, b], ctx) => op('<', ctx.expr(a!), ctx.expr(b!)),
  le: ([a, b], ctx) => op('<=', ctx.expr(a!), ctx.expr(b!)),
  gt: ([a, b], ctx) => op('>', ctx.expr(a!), ctx.expr(b!)),
  ge: ([a, b], ctx) => op('>=', ctx.expr(a!), ctx.expr(b!)),
  between: ([x, lo, hi], ctx) => ({ k: 'between', e: ctx.expr(x!), lo: ctx.expr(lo!), hi: ctx.expr(hi!) }),
  eq_ci: ciEquality(false),
  ne_ci: ciEquality(true),
  // string operators
  has: term('has', false),
  has_cs: term('has', true),
  hasprefix: term('prefix', false),
  hasprefix_cs: term('prefix', true),
  hassuffix: term('suffix', false),
  hassuffix_cs: term('suffix', true),
  contains: stringPredicate('contains', false),
  contains_cs: stringPredicate('contains', true),
  startswith: stringPredicate('startswith', false),
  startswith_cs: stringPredicate('startswith', true),
  endswith: stringPredicate('endswith', false),
  endswith_cs: stringPredicate('endswith', true),
  matches_regex: ([s, re], ctx) => fn('regexp_matches', ctx.expr(s!), ctx.expr(re!)),
  like: ([s, p], ctx) => op('ILIKE', ctx.expr(s!), ctx.expr(p!)),
  like_cs: ([s, p], ctx) => op('LIKE', ctx.expr(s!), ctx.expr(p!)),
  in: inList(false),
  in_ci: inList(true),
  has_any: hasAny,
  has_all: hasAll,
  // arithmetic
  add: arith('add'),
  sub: arith('sub'),
  mul: arith('mul'),
  div: arith('div'),
  mod: arith('mod'),
  neg: ([a], ctx) => ({ k: 'neg', e: ctx.expr(a!) }),
  cast: ([a], ctx, e) => cast(ctx.expr(a!), DUCKDB_STORAGE_TYPE[e.type]),
  // conversion
  tostring: ([x], ctx) => toText(x!, ctx),
  toint: ([x], ctx) => convertTo('int', x!, ctx),
  tolong: ([x], ctx) => convertTo('long', x!, ctx),
  todouble: ([x], ctx) => convertTo('real', x!, ctx),
  todecimal: ([x], ctx) => convertTo('decimal', x!, ctx),
  tobool: ([x], ctx) => convertTo('bool', x!, ctx),
  todatetime: ([x], ctx) => convertTo('datetime', x!, ctx),
  totimespan: ([x], ctx) => convertTo('timespan', x!, ctx),
  toguid: ([x], ctx) => convertTo('guid', x!, ctx),
  // strings
  tolower: ([x], ctx) => fn('lower', ctx.expr(x!)),
  toupper: ([x], ctx) => fn('upper', ctx.expr(x!)),
  strlen: ([x], ctx) => cast(fn('length', ctx.expr(x!)), 'BIGINT'),
  reverse: ([x], ctx) => fn('reverse', hashText(x!, ctx)),
  substring: ([s, start, len], ctx) => {
    const text = toText(s!, ctx);
    const st = ctx.expr(start!);
    const from = caseWhen(
      [[op('<', st, num(0)), fn('greatest', op('+', fn('length', text), st), num(0))]],
      st,
    );
    const begin = op('+', from, num(1));
    return len ? fn('substr', text, begin, fn('greatest', ctx.expr(len), num(0))) : fn('substr', text, begin);
  },
  strcat: (args, ctx) => fn('concat', ...args.map((a) => toText(a, ctx))),
  strcat_delim: ([d, ...rest], ctx) => fn('concat_ws', toText(d!, ctx), ...rest.map((a) => toText(a, ctx))),
  replace_string: ([s, a, b], ctx) => fn('replace', ctx.expr(s!), ctx.expr(a!), ctx.expr(b!)),
  replace_regex: ([s, re, rep], ctx) =>
    fn('regexp_replace', ctx.expr(s!), ctx.expr(re!), ctx.expr(rep!), str('g')),
  trim: trimRegex('both'),
  trim_start: trimRegex('start'),
  trim_end: trimRegex('end'),
  countof: ([s, n, kind], ctx) => {
    const mode = kind ? constString(ctx, kind) : 'normal';
    const text = toText(s!, ctx);
    if (mode === 'regex') return cast(fn('len', fn('regexp_extract_all', text, ctx.expr(n!))), 'BIGINT');
    // Normal mode counts overlapping occurrences: countof("aaaa", "aa") = 3.
    const needle = toText(n!, ctx);
    const i = { k: 'col' as const, name: 'i' };
    const starts = fn('list_filter', fn('range', num(1), op('+', fn('length', text), num(1))), {
      k: 'lambda',
      params: ['i'],
      body: op('=', fn('substr', text, i, fn('length', needle)), needle),
    });
    return caseWhen([[op('=', needle, EMPTY), num(0)]], cast(fn('len', starts), 'BIGINT'));
  },
  extract,
  extract_all: extractAll,
  split: ([s, d, idx], ctx) => {
    const parts = fn('string_split', toText(s!, ctx), toText(d!, ctx));
    if (!idx) return fn('to_json', parts);
    const i = ctx.expr(idx);
    return caseWhen(
      [
        [
          and(op('>=', i, num(0)), op('<', i, fn('len', parts))),
          fn('to_json', { k: 'list', items: [{ k: 'index', e: parts, index: op('+', i, num(1)) }] }),
        ],
      ],
      cast(str('[]'), 'JSON'),
    );
  },
  strcat_array: ([a, d], ctx) =>
    fn(
      'array_to_string',
      fn('list_transform', fn('from_json', ctx.expr(a!), str('["JSON"]')), {
        k: 'lambda',
        params: ['x'],
        body: fn('socfeed_tostring_dynamic', { k: 'col', name: 'x' }),
      }),
      toText(d!, ctx),
    ),
  strrep: ([s, n, d], ctx) => {
    const text = toText(s!, ctx);
    const count = ctx.expr(n!);
    if (!d) return fn('repeat', text, count);
    return fn(
      'array_to_string',
      fn('list_transform', fn('range', count), { k: 'lambda', params: ['i'], body: text }),
      toText(d, ctx),
    );
  },
  url_decode: ([s], ctx) => coalesceStr(fn('url_decode', ctx.expr(s!))),
  url_encode: ([s], ctx) => fn('url_encode', ctx.expr(s!)),
  url_encode_component: ([s], ctx) => fn('url_encode', ctx.expr(s!)),
  // encode() is the UTF-8 bytes; CAST(… AS BLOB) rejects non-ASCII text.
  base64_encode_tostring: ([s], ctx) => fn('to_base64', fn('encode', ctx.expr(s!))),
  base64_decode_tostring: ([s], ctx) =>
    coalesceStr(fn('try', cast(fn('from_base64', ctx.expr(s!)), 'VARCHAR'))),
  hash_sha256: ([s], ctx) => fn('sha256', hashText(s!, ctx)),
  hash_sha1: ([s], ctx) => fn('sha1', hashText(s!, ctx)),
  hash_md5: ([s], ctx) => fn('md5', hashText(s!, ctx)),
  isascii: ([s], ctx) => fn('regexp_matches', ctx.expr(s!), str('^[\\x00-\\x7f]*$')),
  string_size: ([s], ctx) => cast(fn('strlen', ctx.expr(s!)), 'BIGINT'),
  translate: ([a, b, s], ctx) => {
    // A replacement list shorter than the search list repeats its last character (Kusto), where
    // SQL's translate would delete the unmatched characters.
    const from = ctx.expr(a!);
    const to = ctx.expr(b!);
    const padded = fn(
      'rpad',
      to,
      cast(fn('greatest', fn('length', from), fn('length', to)), 'INTEGER'),
      fn('right', to, num(1)),
    );
    return caseWhen(
      [[op('=', to, EMPTY), fn('translate', ctx.expr(s!), from, EMPTY)]],
      fn('translate', ctx.expr(s!), from, padded),
    );
  },
  // emptiness and branching
  isempty: ([x], ctx) => isEmpty(x!, ctx),
  isnotempty: ([x], ctx) => not(isEmpty(x!, ctx)),
  isnull: ([x], ctx) =>
    x!.type === 'string'
      ? bool(false)
      : x!.type === 'dynamic'
        ? or(isNull(ctx.expr(x!)), op('=', fn('json_type', ctx.expr(x!)), str('NULL')))
        : isNull(ctx.expr(x!)),
  isnotnull: ([x], ctx) =>
    x!.type === 'string'
      ? bool(true)
      : x!.type === 'dynamic'
        ? and(isNull(ctx.expr(x!), true), op('<>', fn('json_type', ctx.expr(x!)), str('NULL')))
        : isNull(ctx.expr(x!), true),
  iff: ([c, a, b], ctx) => caseWhen([[ctx.expr(c!), ctx.expr(a!)]], ctx.expr(b!)),
  case: (args, ctx) => {
    const whens: [SqlExpr, SqlExpr][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) whens.push([ctx.expr(args[i]!), ctx.expr(args[i + 1]!)]);
    return caseWhen(whens, ctx.expr(args[args.length - 1]!));
  },
  coalesce: (args, ctx, e) => {
    // For strings the first non-empty value wins.
    if (e.type === 'string')
      return fn('coalesce', ...args.map((a) => fn('nullif', ctx.expr(a), EMPTY)), EMPTY);
    return fn('coalesce', ...args.map((a) => ctx.expr(a)));
  },
  // numbers
  abs: ([x], ctx) => fn('abs', ctx.expr(x!)),
  round: ([x, p], ctx, e) => {
    const r = fn('round', ctx.expr(x!), p ? ctx.expr(p) : num(0));
    return e.type === 'long' || e.type === 'int' ? cast(r, DUCKDB_STORAGE_TYPE[e.type]) : r;
  },
  ceiling: ([x], ctx) => fn('ceil', ctx.expr(x!)),
  sqrt: ([x], ctx) => fn('sqrt', ctx.expr(x!)),
  pow: ([x, y], ctx) => fn('pow', ctx.expr(x!), ctx.expr(y!)),
  exp: ([x], ctx) => fn('exp', ctx.expr(x!)),
  exp2: ([x], ctx) => fn('pow', num(2), ctx.expr(x!)),
  exp10: ([x], ctx) => fn('pow', num(10), ctx.expr(x!)),
  log: ([x], ctx) => fn('ln', ctx.expr(x!)),
  log2: ([x], ctx) => fn('log2', ctx.expr(x!)),
  log10: ([x], ctx) => fn('log10', ctx.expr(x!)),
  sign: ([x], ctx) => fn('sign', ctx.expr(x!)),
  isnan: ([x], ctx) => fn('isnan', ctx.expr(x!)),
  isinf: ([x], ctx) => fn('isinf', ctx.expr(x!)),
  isfinite: ([x], ctx) => fn('isfinite', ctx.expr(x!)),
  rand: () => fn('random'),
  pi: () => fn('pi'),
  min_of: (args, ctx) => fn('least', ...args.map((a) => ctx.expr(a))),
  max_of: (args, ctx) => fn('greatest', ...args.map((a) => ctx.expr(a))),
  binary_and: ([a, b], ctx) => op('&', ctx.expr(a!), ctx.expr(b!)),
  binary_or: ([a, b], ctx) => op('|', ctx.expr(a!), ctx.expr(b!)),
  binary_xor: ([a, b], ctx) => fn('xor', ctx.expr(a!), ctx.expr(b!)),
  binary_not: ([a], ctx) => op('-', op('-', num(0), ctx.expr(a!)), num(1)),
  binary_shift_left: ([a, b], ctx) => op('<<', ctx.expr(a!), ctx.expr(b!)),
  binary_shift_right: ([a, b], ctx) => op('>>', ctx.expr(a!), ctx.expr(b!)),
  // networking
  parse_ipv4: ([s], ctx) => fn('socfeed_parse_ipv4', ctx.expr(s!)),
  ipv4_is_private: ([s], ctx) => {
    const ip = ctx.expr(s!);
    const inRange = (cidr: string) => fn('socfeed_ipv4_in_range', ip, str(cidr));
    return caseWhen(
      [[isNull(fn('socfeed_parse_ipv4', ip)), cast(NULL, 'BOOLEAN')]],
      or(inRange('10.0.0.0/8'), inRange('172.16.0.0/12'), inRange('192.168.0.0/16')),
    );
  },
  ipv4_is_in_range: ([ip, cidr], ctx) => fn('socfeed_ipv4_in_range', ctx.expr(ip!), ctx.expr(cidr!)),
  ipv4_is_in_any_range: ([ip, ...ranges], ctx) => {
    const items = ranges.flatMap((r) =>
      r.kind === 'const' && r.type === 'dynamic' && Array.isArray(r.value)
        ? r.value.map((v) => str(String(v)))
        : [ctx.expr(r)],
    );
    return or(...items.map((c) => fn('socfeed_ipv4_in_range', ctx.expr(ip!), c)));
  },
  ...DATETIME_LOWERINGS,
  ...DYNAMIC_LOWERINGS,
  ...ARRAY_LOWERINGS,
  ...NETWORK_LOWERINGS,
  ...URL_LOWERINGS,
  ...TEXT_MATH_LOWERINGS,
  ...POSITION_LOWERINGS,
  ...SKETCH_LOWERINGS,
  row_field: ([packed, idx], ctx) =>
    fn('struct_extract', ctx.expr(packed!), str(`f${Number(ctx.constValue(idx!))}`)),
};

/** The text hash_md5/sha1/sha256 digest and reverse() reverses: datetimes with all seven fraction digits, as Kusto writes them there. */
function hashText(x: IrExpr, ctx: LowerContext): SqlExpr {
  if (x.type !== 'datetime') return toText(x, ctx);
  const t = ctx.expr(x);
  const ticks = op(
    '//',
    op('%', op('+', op('%', fn('epoch_ns', t), num(1_000_000_000)), num(1_000_000_000)), num(1_000_000_000)),
    num(100),
  );
  return caseWhen(
    [[isNull(t), EMPTY]],
    fn(
      'concat',
      fn('strftime', t, str('%Y-%m-%dT%H:%M:%S.')),
      fn('lpad', cast(ticks, 'VARCHAR'), num(7), str('0')),
      str('Z'),
    ),
  );
}

function isEmpty(x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  if (x.type === 'string') return op('=', s, EMPTY);
  if (x.type === 'dynamic')
    return or(isNull(s), op('=', fn('json_type', s), str('NULL')), op('=', cast(s, 'VARCHAR'), str('""')));
  return isNull(s);
}

export const SCALAR_LOWERINGS: Record<string, ScalarLowering> = L;
