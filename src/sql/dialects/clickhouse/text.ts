import { caseWhen, cast, fn, isNull, num, op, or, str, type SqlExpr } from '../../ast/nodes.js';

/**
 * Building blocks shared by the ClickHouse lowerings: datetimes as exact 100 ns ticks, and
 * Kusto's text forms of datetimes, timespans, reals and dynamic values. ClickHouse has no
 * session macros without server privileges, so these are inlined expressions.
 */
export const TICKS_PER_SECOND = 10_000_000;
export const DAY_TICKS = 864_000_000_000;

/** 100 ns ticks since the Unix epoch of a DateTime64 (any precision). */
export const ticks = (dt: SqlExpr): SqlExpr => fn('intDiv', fn('toUnixTimestamp64Nano', dt), num(100));

/** Ticks back to a datetime (DateTime64(9) in UTC; stored columns are DateTime64(7)). */
export const fromTicks = (t: SqlExpr): SqlExpr =>
  fn('fromUnixTimestamp64Nano', op('*', fn('toInt64', t), num(100)), str('UTC'));

/** Floor `x` to a multiple of `step`, exact for negatives too. */
export const floorTo = (x: SqlExpr, step: SqlExpr): SqlExpr =>
  op('-', x, op('%', op('+', op('%', x, step), step), step));

const pad = (e: SqlExpr, n: number) => fn('leftPad', fn('toString', e), num(n), str('0'));

/** Kusto's datetime text: ISO 8601 UTC, fraction (trailing zeros trimmed) only when non-zero; null → "". */
export function datetimeText(dt: SqlExpr): SqlExpr {
  const frac = op(
    '%',
    op('+', op('%', ticks(dt), num(TICKS_PER_SECOND)), num(TICKS_PER_SECOND)),
    num(TICKS_PER_SECOND),
  );
  const fraction = caseWhen(
    [[op('=', frac, num(0)), str('')]],
    fn('concat', str('.'), fn('trimRight', pad(frac, 7), str('0'))),
  );
  const text = fn(
    'concat',
    fn('formatDateTime', dt, str('%Y-%m-%dT%H:%i:%S'), str('UTC')),
    fraction,
    str('Z'),
  );
  return fn('ifNull', text, str(''));
}

/** Kusto's timespan text [-][d.]hh:mm:ss[.fffffff] from ticks; null → "". */
export function timespanText(x: SqlExpr): SqlExpr {
  const a = fn('abs', x);
  const div = (l: SqlExpr, r: number) => fn('intDiv', l, num(r));
  const text = fn(
    'concat',
    caseWhen([[op('<', x, num(0)), str('-')]], str('')),
    caseWhen(
      [[op('>=', a, num(DAY_TICKS)), fn('concat', fn('toString', div(a, DAY_TICKS)), str('.'))]],
      str(''),
    ),
    pad(div(op('%', a, num(DAY_TICKS)), 36_000_000_000), 2),
    str(':'),
    pad(div(op('%', a, num(36_000_000_000)), 600_000_000), 2),
    str(':'),
    pad(div(op('%', a, num(600_000_000)), TICKS_PER_SECOND), 2),
    caseWhen(
      [[op('=', op('%', a, num(TICKS_PER_SECOND)), num(0)), str('')]],
      fn('concat', str('.'), pad(op('%', a, num(TICKS_PER_SECOND)), 7)),
    ),
  );
  return fn('ifNull', text, str(''));
}

/** Reals print as .NET does: no trailing .0, NaN and Infinity spelt out; null → "". */
export function realText(x: SqlExpr): SqlExpr {
  const text = caseWhen(
    [
      [fn('isNaN', x), str('NaN')],
      [fn('isInfinite', x), caseWhen([[op('>', x, num(0)), str('Infinity')]], str('-Infinity'))],
      [
        op('AND', op('=', x, fn('trunc', x)), op('<', fn('abs', x), num(1e15))),
        fn('toString', fn('toInt64', x)),
      ],
    ],
    fn('toString', x),
  );
  return fn('ifNull', text, str(''));
}

/** JSON type name of a dynamic value (ClickHouse's JSONType enum as text); null for SQL NULL. */
export const jsonType = (j: SqlExpr): SqlExpr => fn('toString', fn('JSONType', j));

/** A dynamic value as text: strings unquoted, everything else as its JSON; null → "". */
export function dynamicText(j: SqlExpr): SqlExpr {
  return fn(
    'ifNull',
    caseWhen(
      [
        [or(isNull(j), op('=', jsonType(j), str('Null'))), str('')],
        [op('=', jsonType(j), str('String')), fn('JSONExtractString', j)],
      ],
      fn('assumeNotNull', j),
    ),
    str(''),
  );
}

/** Kusto's bool text. */
export const boolText = (b: SqlExpr): SqlExpr =>
  fn('ifNull', caseWhen([[b, str('true')]], str('false')), str(''));

export const nullOf = (type: string): SqlExpr => cast({ k: 'null' }, type);
