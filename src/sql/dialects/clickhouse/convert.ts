import { caseWhen, cast, fn, isNull, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr, IrType } from '../../ir/expr.js';
import type { LowerContext } from '../dialect.js';
import { CH_VALUE_TYPE, chType } from './ddl.js';
import { datetimeText, dynamicText, fromTicks, jsonType, realText, ticks, timespanText } from './text.js';

/** Kusto's tostring() of any value, never null. */
export function toText(x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  switch (x.type) {
    case 'string':
      return s;
    case 'datetime':
      return datetimeText(s);
    case 'timespan':
      return timespanText(s);
    case 'real':
    case 'decimal':
      return realText(s);
    case 'dynamic':
      return dynamicText(s);
    case 'bool':
      return caseWhen(
        [
          [isNull(s), str('')],
          [s, str('true')],
        ],
        str('false'),
      );
    default:
      return fn('ifNull', fn('toString', s), str(''));
  }
}

/** Any KQL value as dynamic (JSON text). */
export function toDynamic(e: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(e);
  switch (e.type) {
    case 'dynamic':
      return s;
    case 'string':
      return fn('toJSONString', s);
    case 'datetime':
    case 'timespan':
    case 'guid':
      return caseWhen([[isNull(s), { k: 'null' }]], fn('toJSONString', toText(e, ctx)));
    case 'bool':
      return caseWhen(
        [
          [isNull(s), { k: 'null' }],
          [s, str('true')],
        ],
        str('false'),
      );
    case 'real':
    case 'decimal':
      return caseWhen(
        [
          [isNull(s), { k: 'null' }],
          [fn('isFinite', s), realText(s)],
        ],
        fn('toJSONString', realText(s)),
      );
    default:
      return fn('toString', s);
  }
}

/**
 * Leading and trailing white space (tabs and line breaks too) removed, as Kusto's to*() conversions
 * ignore it; ClickHouse's one-argument trimBoth() removes only spaces.
 */
export function trimWhitespace(s: SqlExpr): SqlExpr {
  return fn('replaceRegexpAll', s, str('^[ \\t\\n\\r\\f\\v]+|[ \\t\\n\\r\\f\\v]+$'), str(''));
}

/** Text (already trimmed) → datetime, null when it is not a date. */
export function parseDatetime(s: SqlExpr): SqlExpr {
  // Month-first for the US forms Kusto reads (12-02-2022 is December 2nd); ISO 8601 otherwise.
  const us = fn('match', s, str('^\\s*\\d{1,2}[-/]\\d{1,2}[-/]\\d{4}'));
  return caseWhen(
    [[us, fn('parseDateTime64BestEffortUSOrNull', s, num(7), str('UTC'))]],
    fn('parseDateTime64BestEffortOrNull', s, num(7), str('UTC')),
  );
}

/** Timespan text ([-][d.]hh:mm[:ss[.f]]) → ticks, or null. */
export function parseTimespan(s: SqlExpr): SqlExpr {
  const g = (re: string) => fn('extract', s, str(re));
  const n = (e: SqlExpr) => fn('ifNull', fn('toInt64OrNull', e), num(0));
  const sign = caseWhen([[fn('startsWith', s, str('-')), num(-1)]], num(1));
  const value = op(
    '*',
    sign,
    op(
      '+',
      op(
        '+',
        op(
          '+',
          op('*', n(g('^-?(\\d+)\\.\\d{1,2}:')), num(864_000_000_000)),
          op('*', n(g('(\\d{1,2}):\\d{2}(?::|$)')), num(36_000_000_000)),
        ),
        op(
          '+',
          op('*', n(g('\\d{1,2}:(\\d{2})')), num(600_000_000)),
          op('*', n(g('\\d{1,2}:\\d{2}:(\\d{2})')), num(10_000_000)),
        ),
      ),
      n(fn('rightPad', g('\\.(\\d{1,7})$'), num(7), str('0'))),
    ),
  );
  return caseWhen([[fn('match', s, str('^-?(\\d+\\.)?\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?$')), value]]);
}

/** A JSON value converted to a KQL type; non-conforming values become null. */
export function jsonTo(j: SqlExpr, t: IrType): SqlExpr {
  const t0 = jsonType(j);
  const asText = dynamicText(j);
  switch (t) {
    case 'dynamic':
      return j;
    case 'string':
      return asText;
    case 'datetime':
      return parseDatetime(asText);
    case 'timespan':
      return caseWhen(
        [
          [
            { k: 'in', e: t0, list: [str('Int64'), str('UInt64')], negated: false },
            fn('JSONExtract', j, str('Nullable(Int64)')),
          ],
        ],
        parseTimespan(asText),
      );
    case 'bool':
      return caseWhen(
        [[op('=', t0, str('Bool')), fn('JSONExtract', j, str('Nullable(Bool)'))]],
        textTo('bool', asText),
      );
    case 'guid':
      return fn('toUUIDOrNull', asText);
    default:
      return textTo(t, asText);
  }
}

/** Text → a scalar type, null when it does not convert (Kusto's to*() on strings). */
export function textTo(t: IrType, s: SqlExpr): SqlExpr {
  switch (t) {
    case 'bool': {
      const l = fn('lower', s);
      return caseWhen(
        [
          [op('=', l, str('true')), cast({ k: 'bool', value: true }, 'Nullable(Bool)')],
          [op('=', l, str('false')), cast({ k: 'bool', value: false }, 'Nullable(Bool)')],
        ],
        cast(op('<>', fn('toInt64OrNull', s), num(0)), 'Nullable(Bool)'),
      );
    }
    case 'int':
      return fn('toInt32OrNull', s);
    case 'long':
    case 'timespan':
      return t === 'long' ? fn('toInt64OrNull', s) : parseTimespan(s);
    case 'real':
    case 'decimal':
      return fn('toFloat64OrNull', s);
    case 'datetime':
      return parseDatetime(trimWhitespace(s));
    case 'guid':
      return fn('toUUIDOrNull', s);
    case 'string':
      return s;
    case 'dynamic':
      return parseJson(s);
  }
}

/** parse_json: valid JSON text is kept; other text becomes a JSON string; "" → null. */
export function parseJson(s: SqlExpr): SqlExpr {
  return caseWhen(
    [
      [op('=', s, str('')), cast({ k: 'null' }, chType('dynamic'))],
      [fn('isValidJSON', s), s],
    ],
    fn('toJSONString', s),
  );
}

/** Conversion to a scalar type from any source type: null when it fails. */
export function convertTo(target: IrType, x: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(x);
  if (x.type === target) return s;
  if (x.type === 'dynamic') return jsonTo(s, target);
  if (x.type === 'string') return textTo(target, target === 'datetime' ? s : trimWhitespace(s));
  if (target === 'string') return toText(x, ctx);
  if ((target === 'int' || target === 'long') && (x.type === 'real' || x.type === 'decimal')) {
    return caseWhen([[fn('isFinite', s), cast(fn('trunc', s), chType(target))]]);
  }
  if (target === 'long' && x.type === 'datetime') return ticks(s);
  if (target === 'datetime' && (x.type === 'long' || x.type === 'int')) return fromTicks(s);
  if ((target === 'long' || target === 'int') && x.type === 'timespan') return cast(s, chType(target));
  if (target === 'timespan' && (x.type === 'long' || x.type === 'int')) return cast(s, chType('timespan'));
  if (target === 'real' && x.type === 'timespan') return cast(s, chType('real'));
  if (target === 'bool') return cast(op('<>', s, num(0)), chType('bool'));
  if (target === 'dynamic') return toDynamic(x, ctx);
  return fn(`accurateCastOrNull`, s, str(CH_VALUE_TYPE[target]));
}
