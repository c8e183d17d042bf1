import { cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';
import { DATETIME_EXTRA_LOWERINGS, sundayWeekDiff } from './datetime-extra.js';

const DAY_TICKS = 864_000_000_000;
const ns = (e: SqlExpr) => fn('epoch_ns', e);
const fromNs = (e: SqlExpr) => fn('make_timestamp_ns', e);
/** Floor `x` to a multiple of `step` with exact integer arithmetic (correct for negatives too). */
const floorTo = (x: SqlExpr, step: SqlExpr) => op('-', x, op('%', op('+', op('%', x, step), step), step));
const asNs = (e: SqlExpr) => cast(e, 'TIMESTAMP_NS');

function truncTo(part: 'day' | 'week' | 'month' | 'year', dt: SqlExpr, offset?: SqlExpr): SqlExpr {
  let start: SqlExpr;
  if (part === 'week') {
    // Kusto weeks start on Sunday; DuckDB's dayofweek is 0 for Sunday.
    start = op('-', fn('date_trunc', str('day'), dt), fn('to_days', cast(fn('dayofweek', dt), 'INTEGER')));
  } else start = fn('date_trunc', str(part), dt);
  if (offset) {
    const unit =
      part === 'day' ? 'to_days' : part === 'week' ? 'to_weeks' : part === 'month' ? 'to_months' : 'to_years';
    start = op('+', start, fn(unit, cast(offset, 'INTEGER')));
  }
  return asNs(start);
}

function endOf(part: 'day' | 'week' | 'month' | 'year'): ScalarLowering {
  return ([dt, offset], ctx) => {
    const next = truncTo(part, ctx.expr(dt!), offset ? op('+', ctx.expr(offset), num(1)) : num(1));
    return fromNs(op('-', ns(next), num(100)));
  };
}

function startOf(part: 'day' | 'week' | 'month' | 'year'): ScalarLowering {
  return ([dt, offset], ctx) => truncTo(part, ctx.expr(dt!), offset ? ctx.expr(offset) : undefined);
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

/** .NET-style format_datetime specifiers → pieces of SQL text. */
function formatDatetime(dt: SqlExpr, format: string): SqlExpr {
  const pieces: SqlExpr[] = [];
  const frac7 = fn(
    'lpad',
    cast(
      op(
        '//',
        op('%', op('+', op('%', ns(dt), num(1_000_000_000)), num(1_000_000_000)), num(1_000_000_000)),
        num(100),
      ),
      'VARCHAR',
    ),
    num(7),
    str('0'),
  );
  const tokens =
    format.match(/(yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt|\\.|'[^']*'|"[^"]*"|.)/g) ?? [];
  const strftime: Record<string, string> = {
    yyyy: '%Y',
    yy: '%y',
    MM: '%m',
    M: '%-m',
    dd: '%d',
    d: '%-d',
    HH: '%H',
    H: '%-H',
    hh: '%I',
    h: '%-I',
    mm: '%M',
    m: '%-M',
    ss: '%S',
    s: '%-S',
    tt: '%p',
  };
  let pending = '';
  const flush = () => {
    if (pending) pieces.push(fn('strftime', dt, str(pending)));
    pending = '';
  };
  for (const t of tokens) {
    if (strftime[t]) pending += strftime[t];
    else if (/^[fF]+$/.test(t)) {
      flush();
      const digits = fn('substr', frac7, num(1), num(t.length));
      pieces.push(t[0] === 'F' ? fn('rtrim', digits, str('0')) : digits);
    } else {
      const lit = t.startsWith('\\') ? t.slice(1) : /^['"]/.test(t) ? t.slice(1, -1) : t;
      pending += lit.replace(/%/g, '%%');
    }
  }
  flush();
  return pieces.length === 1 ? pieces[0]! : fn('concat', ...pieces);
}

export const DATETIME_LOWERINGS: Record<string, ScalarLowering> = {
  bin: ([x, size], ctx, e) => {
    const v = ctx.expr(x!);
    const s = ctx.expr(size!);
    if (e.type === 'datetime') return fromNs(floorTo(ns(v), op('*', s, num(100))));
    if (e.type === 'real' || e.type === 'decimal') return op('*', fn('floor', op('/', v, s)), s);
    return floorTo(v, s);
  },
  bin_at: ([x, size, anchor], ctx, e) => {
    const v = ctx.expr(x!);
    const s = ctx.expr(size!);
    const a = ctx.expr(anchor!);
    if (e.type === 'datetime') {
      const step = op('*', s, num(100));
      return fromNs(op('+', floorTo(op('-', ns(v), ns(a)), step), ns(a)));
    }
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
    if (unit === 'nanosecond') return op('-', ns(ctx.expr(a!)), ns(ctx.expr(b!)));
    if (unit === 'week') return sundayWeekDiff(ctx.expr(a!), ctx.expr(b!));
    return cast(fn('date_diff', str(unit), ctx.expr(b!), ctx.expr(a!)), 'BIGINT');
  },
  datetime_add: ([p, n, dt], ctx) => {
    const unit = part(ctx, p!);
    const amount = ctx.expr(n!);
    const d = ctx.expr(dt!);
    const fixed = FIXED_TICKS[unit];
    if (fixed) return fromNs(op('+', ns(d), op('*', amount, num(fixed * 100))));
    if (unit === 'nanosecond') return fromNs(op('+', ns(d), amount));
    const months =
      unit === 'year' ? op('*', amount, num(12)) : unit === 'quarter' ? op('*', amount, num(3)) : amount;
    // Calendar units go through DuckDB's month arithmetic; the sub-microsecond part is kept.
    const shifted = op('+', cast(d, 'TIMESTAMP'), fn('to_months', cast(months, 'INTEGER')));
    return fromNs(op('+', ns(asNs(shifted)), op('%', ns(d), num(1000))));
  },
  datetime_part: ([p, dt], ctx) => {
    const unit = part(ctx, p!);
    if (unit === 'nanosecond') return cast(op('%', ns(ctx.expr(dt!)), num(1_000_000_000)), 'INTEGER');
    if (unit === 'millisecond')
      return cast(op('%', fn('date_part', str('millisecond'), ctx.expr(dt!)), num(1000)), 'INTEGER');
    if (unit === 'microsecond')
      return cast(op('%', fn('date_part', str('microsecond'), ctx.expr(dt!)), num(1_000_000)), 'INTEGER');
    return cast(fn('date_part', str(unit), ctx.expr(dt!)), 'INTEGER');
  },
  dayofweek: ([dt], ctx) => op('*', cast(fn('dayofweek', ctx.expr(dt!)), 'BIGINT'), num(DAY_TICKS)),
  dayofmonth: ([dt], ctx) => cast(fn('day', ctx.expr(dt!)), 'INTEGER'),
  dayofyear: ([dt], ctx) => cast(fn('dayofyear', ctx.expr(dt!)), 'INTEGER'),
  hourofday: ([dt], ctx) => cast(fn('hour', ctx.expr(dt!)), 'INTEGER'),
  monthofyear: ([dt], ctx) => cast(fn('month', ctx.expr(dt!)), 'INTEGER'),
  getyear: ([dt], ctx) => cast(fn('year', ctx.expr(dt!)), 'INTEGER'),
  weekofyear: ([dt], ctx) => cast(fn('week', ctx.expr(dt!)), 'INTEGER'),
  format_datetime: ([dt, f], ctx) => {
    const format = ctx.constValue(f!);
    if (typeof format !== 'string')
      throw new UnsupportedFeature('SF303', 'format_datetime needs a constant format');
    return fn('coalesce', formatDatetime(ctx.expr(dt!), format), str(''));
  },
  ...DATETIME_EXTRA_LOWERINGS,
};
