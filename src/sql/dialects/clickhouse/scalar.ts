import {
  and,
  bool,
  caseWhen,
  cast,
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
  selectedGroups,
  literalPattern,
  termAnyPattern,
  type TermMode,
} from '../common/term-regex.js';
import { chType } from './ddl.js';
import { convertTo, textTo, toText } from './convert.js';
import { DATETIME_LOWERINGS } from './datetime.js';
import { DYNAMIC_LOWERINGS } from './dynamic.js';
import { ticks, fromTicks, jsonType } from './text.js';
import { ARRAY_LOWERINGS } from './arrays.js';
import { POSITION_LOWERINGS } from './positions.js';
import { NETWORK_LOWERINGS } from './network.js';
import { SKETCH_LOWERINGS } from './sketches.js';
import { PATH_LOWERINGS } from './paths.js';

export type ScalarLowering = (
  args: IrExpr[],
  ctx: LowerContext,
  e: Extract<IrExpr, { kind: 'call' }>,
) => SqlExpr;

const EMPTY = str('');

function constString(ctx: LowerContext, e: IrExpr): string | undefined {
  const v = ctx.constValue(e);
  return typeof v === 'string' ? v : undefined;
}

// ------------------------------------------------------------ string operators
//
// ClickHouse's lower()/positionCaseInsensitive() fold ASCII letters only — exactly Kusto's
// case-insensitive comparison — so contains/startswith/endswith/=~ need no regex. Term operators
// (has…) use the shared RE2 patterns, after a cheap substring prefilter.

const contains = (s: SqlExpr, needle: string, caseSensitive: boolean): SqlExpr =>
  op('>', fn(caseSensitive ? 'position' : 'positionCaseInsensitive', s, str(needle)), num(0));

function term(mode: TermMode, caseSensitive: boolean): ScalarLowering {
  return ([subject, needle], ctx) => {
    const n = constString(ctx, needle!);
    const s = ctx.expr(subject!);
    if (n === undefined) {
      if (mode !== 'has')
        throw new UnsupportedFeature(
          'SF303',
          `${mode === 'prefix' ? 'hasprefix' : 'hassuffix'} with a non-constant right side is not supported`,
        );
      return runtimeHas(s, ctx.expr(needle!), caseSensitive);
    }
    if (n === '') return bool(true);
    return and(contains(s, n, caseSensitive), fn('match', s, str(termAnyPattern([n], mode, caseSensitive))));
  };
}

/** Whole-term match for a needle only known at run time (pattern built in SQL from escaped text). */
function runtimeHas(s: SqlExpr, n: SqlExpr, caseSensitive: boolean): SqlExpr {
  const escaped = fn('replaceRegexpAll', n, str('([\\\\.*+?^${}()|\\[\\]/-])'), str('\\\\\\1'));
  const body = caseSensitive ? escaped : fn('concat', str('(?i:'), escaped, str(')'));
  const pattern = fn(
    'concat',
    caseWhen([[fn('match', n, str('^[0-9A-Za-z]')), str('(?:^|[^0-9A-Za-z])')]], EMPTY),
    body,
    caseWhen([[fn('match', n, str('[0-9A-Za-z]$')), str('(?:$|[^0-9A-Za-z])')]], EMPTY),
  );
  return caseWhen([[op('=', n, EMPTY), bool(true)]], fn('match', s, pattern));
}

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
  const s = ctx.expr(subject!);
  if (needles) {
    const texts = needles.map((n) => (n === null ? '' : String(n))).filter((n) => n !== '');
    if (texts.length === 0) return bool(false);
    // One vectorised multi-substring search, then the exact RE2 check on the hits.
    // multiSearch* takes at most 255 needles per call.
    const chunks: string[][] = [];
    for (let i = 0; i < texts.length; i += 255) chunks.push(texts.slice(i, i + 255));
    const pre = or(
      ...chunks.map((c) =>
        op('>', fn('multiSearchAnyCaseInsensitive', s, { k: 'list', items: c.map(str) }), num(0)),
      ),
    );
    return and(pre, fn('match', s, str(termAnyPattern(texts, 'has', false))));
  }
  if (list!.kind === 'subquery') {
    const q = firstColumnQuery(ctx, list!);
    const needle = { k: 'col' as const, name: list!.rel.cols[0]!.name, qualifier: 'sq' };
    return {
      k: 'exists',
      negated: false,
      query: { ...q, items: [{ e: num(1) }], where: runtimeHas(s, fn('toString', needle), false) },
    };
  }
  const items = (list as Extract<IrExpr, { kind: 'list' }>).items;
  return or(...items.map((i) => runtimeHas(s, ctx.expr(i), false)));
};

const hasAll: ScalarLowering = ([subject, list], ctx) => {
  const needles = listConstants(ctx, list!);
  if (!needles)
    throw new UnsupportedFeature('SF303', 'has_all with values only known at run time is not supported yet');
  const texts = needles.map((n) => (n === null ? '' : String(n))).filter((n) => n !== '');
  if (texts.length === 0) return bool(true);
  const s = ctx.expr(subject!);
  return and(
    ...texts.map((t) => and(contains(s, t, false), fn('match', s, str(termAnyPattern([t], 'has', false))))),
  );
};

function inList(caseInsensitive: boolean): ScalarLowering {
  return ([x, list], ctx) => {
    const lhs = caseInsensitive ? fn('lower', ctx.expr(x!)) : ctx.expr(x!);
    let result: SqlExpr;
    if (list!.kind === 'subquery') {
      const q = firstColumnQuery(ctx, list!);
      const first = q.items[0]!.e;
      const inner = caseInsensitive ? { ...q, items: [{ e: fn('lower', fn('toString', first)) }] } : q;
      result = { k: 'inSelect', e: lhs, query: { ...inner, where: isNull(first, true) }, negated: false };
    } else {
      const items = (list as Extract<IrExpr, { kind: 'list' }>).items;
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
    return ctx.nullable(x!) ? fn('ifNull', result, bool(false)) : result;
  };
}

function equality(negated: boolean): ScalarLowering {
  return ([a, b], ctx) => {
    const l = ctx.expr(a!);
    const r = ctx.expr(b!);
    const na = ctx.nullable(a!);
    const nb = ctx.nullable(b!);
    const cmp = op(negated ? '<>' : '=', l, r);
    if (!na && !nb) return cmp;
    // Kusto: one side null → == is false, != is true; both null → null.
    const whens: [SqlExpr, SqlExpr][] = [];
    if (na && nb) whens.push([and(isNull(l), isNull(r)), cast(NULL, 'Nullable(Bool)')]);
    whens.push([
      or(
        ...[na ? isNull(l) : undefined, nb ? isNull(r) : undefined].filter(
          (x): x is SqlExpr => x !== undefined,
        ),
      ),
      bool(negated),
    ]);
    return caseWhen(whens, cmp);
  };
}

function ciEquality(negated: boolean): ScalarLowering {
  return ([a, b], ctx) => {
    const n = constString(ctx, b!);
    const r = op(
      '=',
      fn('lower', ctx.expr(a!)),
      n !== undefined ? str(asciiLower(n)) : fn('lower', ctx.expr(b!)),
    );
    return negated ? not(r) : r;
  };
}

function stringPredicate(
  kind: 'contains' | 'startswith' | 'endswith',
  caseSensitive: boolean,
): ScalarLowering {
  return ([s, n], ctx) => {
    const needle = constString(ctx, n!);
    if (needle === '') return bool(true);
    const subject = caseSensitive ? ctx.expr(s!) : fn('lower', ctx.expr(s!));
    const nd =
      needle !== undefined
        ? str(caseSensitive ? needle : asciiLower(needle))
        : caseSensitive
          ? ctx.expr(n!)
          : fn('lower', ctx.expr(n!));
    if (kind === 'contains') return op('>', fn('position', subject, nd), num(0));
    return fn(kind === 'startswith' ? 'startsWith' : 'endsWith', subject, nd);
  };
}

// ------------------------------------------------------------ arithmetic

function arith(o: 'add' | 'sub' | 'mul' | 'div' | 'mod'): ScalarLowering {
  return ([a, b], ctx, e) => {
    const l = ctx.expr(a!);
    const r = ctx.expr(b!);
    const ta = a!.type;
    const tb = b!.type;
    if (e.type === 'datetime') {
      const dt = ta === 'datetime' ? l : r;
      const span = ta === 'datetime' ? r : l;
      return fromTicks(op(o === 'add' ? '+' : '-', ticks(dt), span));
    }
    if (ta === 'datetime' && tb === 'datetime') return op('-', ticks(l), ticks(r));
    if (e.type === 'timespan' && o === 'mul') {
      const other = ta === 'timespan' ? b! : a!;
      return other.type === 'real' ? fn('toInt64', fn('round', op('*', l, r))) : op('*', l, r);
    }
    if (e.type === 'timespan' && o === 'div')
      return tb === 'real' ? fn('toInt64', fn('round', op('/', l, r))) : fn('intDiv', l, r);
    if (ta === 'timespan' && tb === 'timespan' && o === 'div') return op('/', fn('toFloat64', l), r);
    const integral = e.type === 'long' || e.type === 'int' || e.type === 'timespan';
    switch (o) {
      case 'add':
        return op('+', l, r);
      case 'sub':
        return op('-', l, r);
      case 'mul':
        return op('*', l, r);
      case 'div':
        // intDiv truncates toward zero, as Kusto's integer division does; `/` is always Float64.
        return integral ? fn('intDiv', l, r) : op('/', l, r);
      case 'mod':
        // Kusto's integer modulo is never negative: -14 % 12 == 10 and -14 % -12 == 10.
        return integral ? op('%', op('+', op('%', l, r), fn('abs', r)), fn('abs', r)) : op('%', l, r);
    }
  };
}

// ------------------------------------------------------------ regex helpers

const extract: ScalarLowering = (args, ctx, e) => {
  const [re, group, source] = args;
  const pattern = constString(ctx, re!);
  const g = ctx.constValue(group!);
  if (pattern === undefined || (typeof g !== 'bigint' && typeof g !== 'number'))
    throw new UnsupportedFeature('SF303', 'extract() needs a constant pattern and capture group');
  const src = ctx.expr(source!);
  const matched = fn('regexpExtract', src, str(pattern), num(Number(g)));
  const hit = fn('match', src, str(pattern));
  if (e.type === 'string') return caseWhen([[hit, matched]], EMPTY);
  return caseWhen([[hit, textTo(e.type, matched)]]);
};

/** extract_all: as on DuckDB (duckdb/scalar.ts): the chosen groups, "" for a group without a part. */
const extractAll: ScalarLowering = (args, ctx) => {
  const [re, second, third] = args;
  const pattern = constString(ctx, re!);
  if (pattern === undefined) throw new UnsupportedFeature('SF303', 'extract_all() needs a constant pattern');
  const groups = selectedGroups(pattern, third ? ctx.constValue(second!) : undefined);
  if (!groups)
    throw new UnsupportedFeature('SF303', 'extract_all() needs a constant array of its capture groups');
  const source = ctx.expr(third ?? second!);
  const hit = fn('match', source, str(pattern));
  if (groups.length === 0)
    return caseWhen([[hit, fn('toJSONString', fn('extractAll', source, str(pattern)))]]);
  // One array of all the groups per match, then the chosen ones picked out of each.
  const M = { k: 'col' as const, name: '__m' };
  const pick = (g: number): SqlExpr => ({ k: 'index', e: M, index: num(g) });
  const body: SqlExpr = groups.length === 1 ? pick(groups[0]!) : { k: 'list', items: groups.map(pick) };
  const all = fn(
    'arrayMap',
    { k: 'lambda', params: ['__m'], body },
    fn('extractAllGroupsVertical', source, str(pattern)),
  );
  return caseWhen([[hit, fn('toJSONString', all)]]);
};

const trimRegex =
  (where: 'both' | 'start' | 'end'): ScalarLowering =>
  ([re, s], ctx) => {
    const pattern = constString(ctx, re!);
    if (pattern === undefined) throw new UnsupportedFeature('SF303', 'trim() needs a constant pattern');
    let out = ctx.expr(s!);
    if (where !== 'end') out = fn('replaceRegexpOne', out, str(`^(?:${pattern})`), EMPTY);
    if (where !== 'start') out = fn('replaceRegexpOne', out, str(`(?:${pattern})$`), EMPTY);
    return out;
  };

/** Kusto's replace_regex uses \1 or $1 for groups; ClickHouse wants \1. */
function replacement(ctx: LowerContext, rep: IrExpr): SqlExpr {
  const r = constString(ctx, rep);
  if (r === undefined) return ctx.expr(rep);
  return str(r.replace(/\$(\d)/g, '\\$1'));
}

// ------------------------------------------------------------ the table

const L: Record<string, ScalarLowering> = {
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
  matches_regex: ([s, re], ctx) => fn('match', ctx.expr(s!), ctx.expr(re!)),
  like: ([s, p], ctx) => fn('ilike', ctx.expr(s!), ctx.expr(p!)),
  like_cs: ([s, p], ctx) => fn('like', ctx.expr(s!), ctx.expr(p!)),
  in: inList(false),
  in_ci: inList(true),
  has_any: hasAny,
  has_all: hasAll,
  add: arith('add'),
  sub: arith('sub'),
  mul: arith('mul'),
  div: arith('div'),
  mod: arith('mod'),
  neg: ([a], ctx) => ({ k: 'neg', e: ctx.expr(a!) }),
  cast: ([a], ctx, e) => cast(ctx.expr(a!), chType(e.type)),
  tostring: ([x], ctx) => toText(x!, ctx),
  toint: ([x], ctx) => convertTo('int', x!, ctx),
  tolong: ([x], ctx) => convertTo('long', x!, ctx),
  todouble: ([x], ctx) => convertTo('real', x!, ctx),
  todecimal: ([x], ctx) => convertTo('decimal', x!, ctx),
  tobool: ([x], ctx) => convertTo('bool', x!, ctx),
  todatetime: ([x], ctx) => convertTo('datetime', x!, ctx),
  totimespan: ([x], ctx) => convertTo('timespan', x!, ctx),
  toguid: ([x], ctx) => convertTo('guid', x!, ctx),
  tolower: ([x], ctx) => fn('lowerUTF8', ctx.expr(x!)),
  toupper: ([x], ctx) => fn('upperUTF8', ctx.expr(x!)),
  strlen: ([x], ctx) => fn('toInt64', fn('lengthUTF8', ctx.expr(x!))),
  reverse: ([x], ctx) => fn('reverseUTF8', hashText(x!, ctx)),
  substring: ([s, start, len], ctx) => {
    const text = toText(s!, ctx);
    const st = ctx.expr(start!);
    const from = caseWhen(
      [[op('<', st, num(0)), fn('greatest', op('+', fn('toInt64', fn('lengthUTF8', text)), st), num(0))]],
      st,
    );
    const begin = op('+', from, num(1));
    return len
      ? fn('substringUTF8', text, begin, fn('greatest', ctx.expr(len), num(0)))
      : fn('substringUTF8', text, begin);
  },
  strcat: (args, ctx) =>
    args.length === 1 ? toText(args[0]!, ctx) : fn('concat', ...args.map((a) => toText(a, ctx))),
  strcat_delim: ([d, ...rest], ctx) =>
    fn('arrayStringConcat', { k: 'list', items: rest.map((a) => toText(a, ctx)) }, toText(d!, ctx)),
  replace_string: ([s, a, b], ctx) => fn('replaceAll', ctx.expr(s!), ctx.expr(a!), ctx.expr(b!)),
  replace_regex: ([s, re, rep], ctx) =>
    fn('replaceRegexpAll', ctx.expr(s!), ctx.expr(re!), replacement(ctx, rep!)),
  trim: trimRegex('both'),
  trim_start: trimRegex('start'),
  trim_end: trimRegex('end'),
  countof: ([s, n, kind], ctx) => {
    const mode = kind ? constString(ctx, kind) : 'normal';
    const text = toText(s!, ctx);
    if (mode === 'regex') return fn('toInt64', fn('countMatches', text, ctx.expr(n!)));
    // Normal mode counts overlapping occurrences: countof("aaaa", "aa") = 3.
    const needle = toText(n!, ctx);
    const i = { k: 'col' as const, name: 'i' };
    const hits = fn(
      'arrayCount',
      { k: 'lambda', params: ['i'], body: op('=', fn('substring', text, i, fn('length', needle)), needle) },
      fn('range', num(1), op('+', fn('length', text), num(1))),
    );
    return caseWhen([[op('=', needle, EMPTY), num(0)]], fn('toInt64', hits));
  },
  extract,
  extract_all: extractAll,
  split: ([s, d, idx], ctx) => {
    const parts = fn('splitByString', toText(d!, ctx), toText(s!, ctx));
    if (!idx) return fn('toJSONString', parts);
    const i = ctx.expr(idx);
    return caseWhen(
      [
        [
          and(op('>=', i, num(0)), op('<', i, fn('length', parts))),
          fn('toJSONString', { k: 'list', items: [{ k: 'index', e: parts, index: op('+', i, num(1)) }] }),
        ],
      ],
      str('[]'),
    );
  },
  url_decode: ([s], ctx) => fn('decodeURLComponent', ctx.expr(s!)),
  url_encode: ([s], ctx) => fn('encodeURLComponent', ctx.expr(s!)),
  url_encode_component: ([s], ctx) => fn('encodeURLComponent', ctx.expr(s!)),
  base64_encode_tostring: ([s], ctx) => fn('base64Encode', ctx.expr(s!)),
  base64_decode_tostring: ([s], ctx) => fn('ifNull', fn('tryBase64Decode', ctx.expr(s!)), EMPTY),
  hash_sha256: ([s], ctx) => fn('lower', fn('hex', fn('SHA256', hashText(s!, ctx)))),
  hash_sha1: ([s], ctx) => fn('lower', fn('hex', fn('SHA1', hashText(s!, ctx)))),
  hash_md5: ([s], ctx) => fn('lower', fn('hex', fn('MD5', hashText(s!, ctx)))),
  isascii: ([s], ctx) => fn('match', ctx.expr(s!), str('^[\\x00-\\x7f]*$')),
  string_size: ([s], ctx) => fn('toInt64', fn('length', ctx.expr(s!))),
  translate: ([a, b, s], ctx) => {
    // Kusto: a replacement list shorter than the search list repeats its last character; an empty
    // one deletes. Done per character, since translateUTF8 needs lists of equal length.
    const from = fn('splitByString', str(''), ctx.expr(a!));
    const to = ctx.expr(b!);
    const ch = { k: 'col' as const, name: '__c' };
    const idx = fn('indexOf', from, ch);
    const repl = caseWhen(
      [
        [op('=', idx, num(0)), ch],
        [op('=', to, EMPTY), EMPTY],
      ],
      fn('substringUTF8', to, fn('least', idx, fn('lengthUTF8', to)), num(1)),
    );
    return fn(
      'arrayStringConcat',
      fn(
        'arrayMap',
        { k: 'lambda', params: ['__c'], body: repl },
        fn('splitByString', str(''), ctx.expr(s!)),
      ),
    );
  },
  isempty: ([x], ctx) => isEmpty(x!, ctx),
  isnotempty: ([x], ctx) => not(isEmpty(x!, ctx)),
  isnull: ([x], ctx) =>
    x!.type === 'string'
      ? bool(false)
      : x!.type === 'dynamic'
        ? or(isNull(ctx.expr(x!)), op('=', jsonType(ctx.expr(x!)), str('Null')))
        : isNull(ctx.expr(x!)),
  isnotnull: ([x], ctx) =>
    x!.type === 'string'
      ? bool(true)
      : x!.type === 'dynamic'
        ? and(isNull(ctx.expr(x!), true), op('<>', jsonType(ctx.expr(x!)), str('Null')))
        : isNull(ctx.expr(x!), true),
  iff: ([c, a, b], ctx) => caseWhen([[ctx.expr(c!), ctx.expr(a!)]], ctx.expr(b!)),
  case: (args, ctx) => {
    const whens: [SqlExpr, SqlExpr][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) whens.push([ctx.expr(args[i]!), ctx.expr(args[i + 1]!)]);
    return caseWhen(whens, ctx.expr(args[args.length - 1]!));
  },
  coalesce: (args, ctx, e) => {
    if (e.type === 'string')
      return fn('coalesce', ...args.map((a) => fn('nullIf', ctx.expr(a), EMPTY)), EMPTY);
    return fn('coalesce', ...args.map((a) => ctx.expr(a)));
  },
  abs: ([x], ctx) => fn('abs', ctx.expr(x!)),
  round: ([x, p], ctx, e) => {
    // Kusto rounds half away from zero; ClickHouse's round() rounds half to even on floats.
    const digits = p ? ctx.expr(p) : num(0);
    const scale = fn('pow', num(10), digits);
    const r = op(
      '/',
      op(
        '*',
        fn('sign', ctx.expr(x!)),
        fn('floor', op('+', op('*', fn('abs', ctx.expr(x!)), scale), num(0.5))),
      ),
      scale,
    );
    return e.type === 'long' || e.type === 'int' ? cast(r, chType(e.type)) : r;
  },
  ceiling: ([x], ctx) => fn('ceil', ctx.expr(x!)),
  floor: ([x, s], ctx, e) => (s ? L['bin']!([x!, s], ctx, e) : fn('floor', ctx.expr(x!))),
  sqrt: ([x], ctx) => caseWhen([[op('<', ctx.expr(x!), num(0)), fn('nan')]], fn('sqrt', ctx.expr(x!))),
  pow: ([x, y], ctx) => fn('pow', ctx.expr(x!), ctx.expr(y!)),
  exp: ([x], ctx) => fn('exp', ctx.expr(x!)),
  exp2: ([x], ctx) => fn('pow', num(2), ctx.expr(x!)),
  exp10: ([x], ctx) => fn('pow', num(10), ctx.expr(x!)),
  log: ([x], ctx) => fn('log', ctx.expr(x!)),
  log2: ([x], ctx) => fn('log2', ctx.expr(x!)),
  log10: ([x], ctx) => fn('log10', ctx.expr(x!)),
  sign: ([x], ctx) => fn('sign', ctx.expr(x!)),
  isnan: ([x], ctx) => fn('isNaN', ctx.expr(x!)),
  isinf: ([x], ctx) => fn('isInfinite', ctx.expr(x!)),
  isfinite: ([x], ctx) => fn('isFinite', ctx.expr(x!)),
  rand: () => fn('randCanonical'),
  pi: () => fn('pi'),
  min_of: (args, ctx) => fn('least', ...args.map((a) => ctx.expr(a))),
  max_of: (args, ctx) => fn('greatest', ...args.map((a) => ctx.expr(a))),
  binary_and: ([a, b], ctx) => fn('bitAnd', ctx.expr(a!), ctx.expr(b!)),
  binary_or: ([a, b], ctx) => fn('bitOr', ctx.expr(a!), ctx.expr(b!)),
  binary_xor: ([a, b], ctx) => fn('bitXor', ctx.expr(a!), ctx.expr(b!)),
  binary_not: ([a], ctx) => fn('bitNot', fn('toInt64', ctx.expr(a!))),
  binary_shift_left: ([a, b], ctx) => fn('bitShiftLeft', fn('toInt64', ctx.expr(a!)), ctx.expr(b!)),
  binary_shift_right: ([a, b], ctx) => fn('bitShiftRight', fn('toInt64', ctx.expr(a!)), ctx.expr(b!)),
  ...NETWORK_LOWERINGS,
  ...DATETIME_LOWERINGS,
  ...DYNAMIC_LOWERINGS,
  ...ARRAY_LOWERINGS,
  ...POSITION_LOWERINGS,
  ...SKETCH_LOWERINGS,
  ...PATH_LOWERINGS,
  row_field: ([packed, idx], ctx) =>
    fn('tupleElement', ctx.expr(packed!), num(Number(ctx.constValue(idx!)) + 1)),
};

/** The text hash_md5/sha1/sha256 digest: datetimes with all seven fraction digits, as Kusto hashes them. */
function hashText(x: IrExpr, ctx: LowerContext): SqlExpr {
  if (x.type !== 'datetime') return toText(x, ctx);
  const t = ctx.expr(x);
  const frac = op('%', op('+', op('%', ticks(t), num(10_000_000)), num(10_000_000)), num(10_000_000));
  return fn(
    'ifNull',
    fn(
      'concat',
      fn('formatDateTime', t, str('%Y-%m-%dT%H:%i:%S.'), str('UTC')),
      fn('leftPad', fn('toString', frac), num(7), str('0')),
      str('Z'),
    ),
    EMPTY,
  );
}

function isEmpty(x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  if (x.type === 'string') return op('=', s, EMPTY);
  if (x.type === 'dynamic') return or(isNull(s), op('=', jsonType(s), str('Null')), op('=', s, str('""')));
  return isNull(s);
}

export const SCALAR_LOWERINGS: Record<string, ScalarLowering> = L;
export { literalPattern };
