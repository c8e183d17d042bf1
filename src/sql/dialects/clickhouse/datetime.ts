import { caseWhen, cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';
import { DAY_TICKS, floorTo, fromTicks, ticks, timespanText } from './text.js';

/** Start of a calendar unit, keeping Kusto's Sunday-first weeks; the result is DateTime64. */
function truncTo(part: 'day' | 'week' | 'month' | 'year', dt: SqlExpr, offset?: SqlExpr): SqlExpr {
  const start =
    part === 'day'
      ? fn('toStartOfDay', dt, str('UTC'))
      : part === 'week'
        ? fn('toStartOfWeek', dt, num(0), str('UTC'))
        : part === 'month'
          ? fn('toStartOfMonth', dt, str('UTC'))
          : fn('toStartOfYear', dt, str('UTC'));
  let d = fn('toDateTime64', start, num(7), str('UTC'));
  if (offset) {
    const add =
      part === 'day' ? 'addDays' : part === 'week' ? 'addWeeks' : part === 'month' ? 'addMonths' : 'addYears';
    d = fn(add, d, fn('toInt64', offset));
  }
  return d;
}

function startOf(part: 'day' | 'week' | 'month' | 'year'): ScalarLowering {
  return ([dt, offset], ctx) => truncTo(part, ctx.expr(dt!), offset ? ctx.expr(offset) : undefined);
}

function endOf(part: 'day' | 'week' | 'month' | 'year'): ScalarLowering {
  return ([dt, offset], ctx) => {
    const next = truncTo(part, ctx.expr(dt!), offset ? op('+', ctx.expr(offset), num(1)) : num(1));
    return fromTicks(op('-', ticks(next), num(1)));
  };
}

const PARTS: Record<string, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  week_of_year: 'week',
  weekofyear: 'week',
  day: 'day',
  dayofyear: 'dayofyear',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
  microsecond: 'microsecond',
  nanosecond: 'nanosecond',
};

function part(ctx: LowerContext, e: IrExpr): string {
  const v = ctx.constValue(e);
  const p = typeof v === 'string' ? PARTS[v.toLowerCase()] : undefined;
  if (!p) throw new UnsupportedFeature('SF303', `unknown datetime part '${String(v)}'`);
  return p;
}

const FIXED_TICKS: Record<string, number> = {
  day: DAY_TICKS,
  week: 7 * DAY_TICKS,
  hour: 36_000_000_000,
  minute: 600_000_000,
  second: 10_000_000,
  millisecond: 10_000,
  microsecond: 10,
};
const int = (e: SqlExpr) => cast(e, 'Nullable(Int32)');

export const DATETIME_LOWERINGS: Record<string, ScalarLowering> = {
  bin: ([x, size], ctx, e) => {
    const v = ctx.expr(x!);
    const s = ctx.expr(size!);
    if (e.type === 'datetime') return fromTicks(floorTo(ticks(v), s));
    if (e.type === 'real' || e.type === 'decimal') return op('*', fn('floor', op('/', v, s)), s);
    return floorTo(v, s);
  },
  bin_at: ([x, size, anchor], ctx, e) => {
    const v = ctx.expr(x!);
    const s = ctx.expr(size!);
    const a = ctx.expr(anchor!);
    if (e.type === 'datetime') return fromTicks(op('+', floorTo(op('-', ticks(v), ticks(a)), s), ticks(a)));
    if (e.type === 'real' || e.type === 'decimal')
      return op('+', op('*', fn('floor', op('/', op('-', v, a), s)), s), a);
    return op('+', floorTo(op('-', v, a), s), a);
  },
  startofday: startOf('day'),
  startofweek: startOf('week'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  endofday: endOf('day'),
  endofweek: endOf('week'),
  endofmonth: endOf('month'),
  endofyear: endOf('year'),
  datetime_diff: ([p, a, b], ctx) => {
    const unit = part(ctx, p!);
    const l = ctx.expr(a!);
    const r = ctx.expr(b!);
    if (unit === 'nanosecond') return op('*', op('-', ticks(l), ticks(r)), num(100));
    if (unit === 'microsecond' || unit === 'millisecond')
      return op(
        '-',
        fn('intDiv', ticks(l), num(FIXED_TICKS[unit]!)),
        fn('intDiv', ticks(r), num(FIXED_TICKS[unit]!)),
      );
    // Calendar boundaries crossed, like Kusto (Sunday-first weeks).
    if (unit === 'week')
      return fn(
        'toInt64',
        fn(
          'dateDiff',
          str('week'),
          fn('toStartOfWeek', r, num(0), str('UTC')),
          fn('toStartOfWeek', l, num(0), str('UTC')),
        ),
      );
    return fn('toInt64', fn('dateDiff', str(unit === 'dayofyear' ? 'day' : unit), r, l, str('UTC')));
  },
  datetime_add: ([p, n, dt], ctx) => {
    const unit = part(ctx, p!);
    const amount = ctx.expr(n!);
    const d = ctx.expr(dt!);
    const fixed = FIXED_TICKS[unit];
    if (fixed) return fromTicks(op('+', ticks(d), op('*', amount, num(fixed))));
    if (unit === 'nanosecond') return fromTicks(op('+', ticks(d), fn('intDiv', amount, num(100))));
    const months =
      unit === 'year' ? op('*', amount, num(12)) : unit === 'quarter' ? op('*', amount, num(3)) : amount;
    return fn('addMonths', d, fn('toInt64', months));
  },
  datetime_part: ([p, dt], ctx) => {
    const unit = part(ctx, p!);
    const d = ctx.expr(dt!);
    const frac = op('%', op('+', op('%', ticks(d), num(10_000_000)), num(10_000_000)), num(10_000_000));
    if (unit === 'nanosecond') return int(op('*', frac, num(100)));
    if (unit === 'microsecond') return int(fn('intDiv', frac, num(10)));
    if (unit === 'millisecond') return int(fn('intDiv', frac, num(10_000)));
    const f: Record<string, string> = {
      year: 'toYear',
      quarter: 'toQuarter',
      month: 'toMonth',
      week: 'toISOWeek',
      day: 'toDayOfMonth',
      dayofyear: 'toDayOfYear',
      hour: 'toHour',
      minute: 'toMinute',
      second: 'toSecond',
    };
    return int(fn(f[unit]!, d));
  },
  dayofweek: ([dt], ctx) =>
    op('*', fn('toInt64', op('%', fn('toDayOfWeek', ctx.expr(dt!)), num(7))), num(DAY_TICKS)),
  dayofmonth: ([dt], ctx) => int(fn('toDayOfMonth', ctx.expr(dt!))),
  dayofyear: ([dt], ctx) => int(fn('toDayOfYear', ctx.expr(dt!))),
  hourofday: ([dt], ctx) => int(fn('toHour', ctx.expr(dt!))),
  monthofyear: ([dt], ctx) => int(fn('toMonth', ctx.expr(dt!))),
  getyear: ([dt], ctx) => int(fn('toYear', ctx.expr(dt!))),
  weekofyear: ([dt], ctx) => int(fn('toISOWeek', ctx.expr(dt!))),
  unixtime_seconds_todatetime: ([x], ctx) => fromTicks(fn('toInt64', op('*', ctx.expr(x!), num(10_000_000)))),
  unixtime_milliseconds_todatetime: ([x], ctx) =>
    fromTicks(fn('toInt64', op('*', ctx.expr(x!), num(10_000)))),
  unixtime_microseconds_todatetime: ([x], ctx) => fromTicks(fn('toInt64', op('*', ctx.expr(x!), num(10)))),
  unixtime_nanoseconds_todatetime: ([x], ctx) =>
    fromTicks(fn('intDiv', fn('toInt64', ctx.expr(x!)), num(100))),
  make_datetime: (args, ctx) => {
    const [y, mo, d, h, mi, s] = args.map((a) => ctx.expr(a));
    const secs = s ?? num(0);
    const whole = fn(
      'makeDateTime64',
      y!,
      mo!,
      d!,
      h ?? num(0),
      mi ?? num(0),
      fn('toInt64', fn('floor', secs)),
      num(0),
      num(7),
      str('UTC'),
    );
    return fromTicks(
      op(
        '+',
        ticks(whole),
        fn('toInt64', fn('round', op('*', op('-', secs, fn('floor', secs)), num(10_000_000)))),
      ),
    );
  },
  make_timespan: (args, ctx) => {
    const vals = args.map((a) => ctx.expr(a));
    const t = (v: SqlExpr, k: number) => op('*', v, num(k));
    const secs = (v: SqlExpr) => fn('toInt64', op('*', v, num(10_000_000)));
    if (vals.length === 2) return op('+', t(vals[0]!, 36_000_000_000), t(vals[1]!, 600_000_000));
    if (vals.length === 3)
      return op('+', op('+', t(vals[0]!, 36_000_000_000), t(vals[1]!, 600_000_000)), secs(vals[2]!));
    return op(
      '+',
      t(vals[0]!, DAY_TICKS),
      op('+', op('+', t(vals[1]!, 36_000_000_000), t(vals[2]!, 600_000_000)), secs(vals[3]!)),
    );
  },
  format_datetime: ([dt, f], ctx) => {
    const format = ctx.constValue(f!);
    if (typeof format !== 'string')
      throw new UnsupportedFeature('SF303', 'format_datetime needs a constant format');
    return fn('ifNull', formatDatetime(ctx.expr(dt!), format), str(''));
  },
  format_timespan: ([t, f], ctx) => {
    const format = ctx.constValue(f!);
    if (f === undefined) return timespanText(ctx.expr(t!));
    if (typeof format !== 'string')
      throw new UnsupportedFeature('SF303', 'format_timespan needs a constant format');
    return formatTimespan(ctx.expr(t!), format);
  },
  // Wall-clock time in a zone ↔ UTC (ClickHouse ships its own time zone data; nothing is downloaded).
  datetime_utc_to_local: ([dt, tz], ctx) => {
    const zone = ctx.constValue(tz!);
    const d = ctx.expr(dt!);
    if (typeof zone !== 'string')
      return fromTicks(op('+', ticks(d), op('*', zoneOffset(d, ctx.expr(tz!)), num(10_000_000))));
    return fromTicks(
      op('+', ticks(d), op('*', fn('timeZoneOffset', fn('toTimeZone', d, str(zone))), num(10_000_000))),
    );
  },
  datetime_local_to_utc: ([dt, tz], ctx) => {
    const zone = ctx.constValue(tz!);
    const z = typeof zone === 'string' ? str(zone) : ctx.expr(tz!);
    const d = ctx.expr(dt!);
    // The offsets a day before and after the wall-clock time (read as UTC) give two candidate
    // instants, each valid when its offset is the one in force then. Normally both agree; a wall
    // time repeated by a change takes the later instant; one skipped by a change takes the offset
    // at the wall time read as UTC — all as the DuckDB dialect answers.
    const shift = (t: SqlExpr, seconds: SqlExpr) =>
      fromTicks(op('+', ticks(t), op('*', seconds, num(10_000_000))));
    const day = num(86_400);
    const early = zoneOffset(shift(d, { k: 'neg', e: day }), z);
    const late = zoneOffset(shift(d, day), z);
    const atEarly = shift(d, { k: 'neg', e: early });
    const atLate = shift(d, { k: 'neg', e: late });
    const validEarly = op('=', zoneOffset(atEarly, z), early);
    const validLate = op('=', zoneOffset(atLate, z), late);
    return caseWhen(
      [
        [op('AND', validEarly, validLate), fn('greatest', atEarly, atLate)],
        [validEarly, atEarly],
        [validLate, atLate],
      ],
      shift(d, { k: 'neg', e: zoneOffset(d, z) }),
    );
  },
};

/**
 * Seconds east of UTC in force in zone `tz` at instant `d`. formatDateTime is the ClickHouse
 * function that takes a time zone varying by row; its %z is the offset as ±hhmm.
 */
function zoneOffset(d: SqlExpr, tz: SqlExpr): SqlExpr {
  const z = fn('formatDateTime', d, str('%z'), tz);
  const minutes = op(
    '+',
    op('*', fn('toInt64', fn('substring', z, num(2), num(2))), num(60)),
    fn('toInt64', fn('substring', z, num(4), num(2))),
  );
  return op(
    '*',
    op('*', minutes, num(60)),
    caseWhen([[op('=', fn('substring', z, num(1), num(1)), str('-')), num(-1)]], num(1)),
  );
}

/** format_timespan's .NET-style specifiers: d…, h/hh, m/mm, s/ss, f…, F…, quoted or escaped literals. */
function formatTimespan(t: SqlExpr, format: string): SqlExpr {
  const a = fn('abs', t);
  const pad = (v: SqlExpr, n: number) => fn('leftPad', fn('toString', v), num(n), str('0'));
  const frac7 = pad(op('%', a, num(10_000_000)), 7);
  const parts: Record<string, SqlExpr> = {
    d: fn('intDiv', a, num(DAY_TICKS)),
    h: fn('intDiv', op('%', a, num(DAY_TICKS)), num(36_000_000_000)),
    m: fn('intDiv', op('%', a, num(36_000_000_000)), num(600_000_000)),
    s: fn('intDiv', op('%', a, num(600_000_000)), num(10_000_000)),
  };
  const tokens = format.match(/(d{1,8}|h{1,2}|m{1,2}|s{1,2}|f{1,7}|F{1,7}|\\.|'[^']*'|"[^"]*"|.)/g) ?? [];
  const pieces: SqlExpr[] = [caseWhen([[op('<', t, num(0)), str('-')]], str(''))];
  for (const tok of tokens) {
    const c = tok[0]!;
    if (c in parts && /^(d+|h+|m+|s+)$/.test(tok)) pieces.push(pad(parts[c]!, tok.length));
    else if (c === 'f') pieces.push(fn('substring', frac7, num(1), num(tok.length)));
    else if (c === 'F')
      pieces.push(fn('trimRight', fn('substring', frac7, num(1), num(tok.length)), str('0')));
    else pieces.push(str(tok.startsWith('\\') ? tok.slice(1) : /^['"]/.test(tok) ? tok.slice(1, -1) : tok));
  }
  return fn('ifNull', fn('concat', ...pieces), str(''));
}

/** .NET-style format_datetime specifiers → ClickHouse formatDateTime pieces. */
function formatDatetime(dt: SqlExpr, format: string): SqlExpr {
  const pieces: SqlExpr[] = [];
  const frac = op('%', op('+', op('%', ticks(dt), num(10_000_000)), num(10_000_000)), num(10_000_000));
  const frac7 = fn('leftPad', fn('toString', frac), num(7), str('0'));
  const tokens =
    format.match(/(yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt|\\.|'[^']*'|"[^"]*"|.)/g) ?? [];
  const spec: Record<string, string> = {
    yyyy: '%Y',
    yy: '%y',
    MM: '%m',
    M: '%c',
    dd: '%d',
    d: '%e',
    HH: '%H',
    H: '%k',
    hh: '%I',
    h: '%l',
    mm: '%i',
    m: '%i',
    ss: '%S',
    s: '%S',
    tt: '%p',
  };
  let pending = '';
  const flush = () => {
    if (pending) pieces.push(fn('formatDateTime', dt, str(pending), str('UTC')));
    pending = '';
  };
  for (const t of tokens) {
    if (['M', 'd', 'H', 'h', 'm', 's'].includes(t)) {
      // Unpadded forms: ClickHouse pads (or space-pads) these, so strip leading zeros/spaces.
      flush();
      pieces.push(
        fn(
          'replaceRegexpOne',
          fn('formatDateTime', dt, str(spec[t]!), str('UTC')),
          str('^[ 0](\\d)$'),
          str('\\1'),
        ),
      );
    } else if (spec[t]) pending += spec[t];
    else if (/^[fF]+$/.test(t)) {
      flush();
      const digits = fn('substring', frac7, num(1), num(t.length));
      pieces.push(t[0] === 'F' ? fn('trimRight', digits, str('0')) : digits);
    } else {
      const lit = t.startsWith('\\') ? t.slice(1) : /^['"]/.test(t) ? t.slice(1, -1) : t;
      pending += lit.replace(/%/g, '%%');
    }
  }
  flush();
  return pieces.length === 1 ? pieces[0]! : fn('concat', ...pieces);
}
