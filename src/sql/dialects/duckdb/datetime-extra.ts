import { caseWhen, cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';

/**
 * Datetime and timespan functions whose Kusto results need exact tick arithmetic: unix-time
 * conversions and make_timespan/make_datetime (no 32-bit overflow, 100 ns fractions), Sunday
 * weeks in datetime_diff, time zones (ICU, built into DuckDB) and format_timespan.
 */

const ns = (e: SqlExpr) => fn('epoch_ns', e);
const fromNs = (e: SqlExpr) => fn('make_timestamp_ns', e);
const TICK_NS = 100;
const DAY_TICKS = 864_000_000_000;

/** A number (any KQL numeric type) times a constant, as exact BIGINT (reals rounded to the tick). */
function scaled(x: IrExpr, factor: number, ctx: LowerContext): SqlExpr {
  const v = ctx.expr(x);
  if (x.type === 'real' || x.type === 'decimal') return cast(fn('round', op('*', v, num(factor))), 'BIGINT');
  return op('*', cast(v, 'BIGINT'), num(factor));
}

function unixTime(nsPerUnit: number): ScalarLowering {
  return ([x], ctx) => fromNs(scaled(x!, nsPerUnit, ctx));
}

/** Weeks since the epoch, counted in Sunday-to-Saturday weeks (1970-01-01 was a Thursday). */
const sundayWeek = (t: SqlExpr): SqlExpr =>
  fn('floor', op('/', op('+', op('/', cast(ns(t), 'DOUBLE'), num(86_400_000_000_000)), num(4)), num(7)));

/** datetime_diff('week', a, b): Sunday week boundaries crossed (Kusto), not ISO Monday weeks. */
export function sundayWeekDiff(a: SqlExpr, b: SqlExpr): SqlExpr {
  return cast(op('-', sundayWeek(a), sundayWeek(b)), 'BIGINT');
}

/** UTC instant → wall-clock time in `tz`, at microsecond precision. */
const toLocal = (micro: SqlExpr, tz: SqlExpr): SqlExpr =>
  fn('timezone', tz, fn('timezone', str('UTC'), micro));

/**
 * datetime_utc_to_local / datetime_local_to_utc. The zone offset is found at microsecond precision
 * and applied to the exact ticks. A local time skipped by a daylight-saving jump has no UTC
 * instant; Kusto then applies the offset in force at that instant read as UTC (02:00 in
 * Brussels on 2022-03-27 is 00:00 UTC), so when the zone library's answer does not convert back,
 * that offset is used instead.
 */
function zoneShift(toUtc: boolean): ScalarLowering {
  return ([dt, tz], ctx) => {
    const t = ctx.expr(dt!);
    const zone = ctx.expr(tz!);
    const micro = cast(t, 'TIMESTAMP');
    const delta = (a: SqlExpr, b: SqlExpr) =>
      op('-', ns(cast(a, 'TIMESTAMP_NS')), ns(cast(b, 'TIMESTAMP_NS')));
    if (!toUtc) return fromNs(op('+', ns(t), delta(toLocal(micro, zone), micro)));
    const viaZone = fn('timezone', str('UTC'), fn('timezone', zone, micro));
    const roundTrips = op('=', toLocal(viaZone, zone), micro);
    const offsetAsUtc = delta(toLocal(micro, zone), micro);
    return fromNs(
      caseWhen([[roundTrips, op('+', ns(t), delta(viaZone, micro))]], op('-', ns(t), offsetAsUtc)),
    );
  };
}

/**
 * format_timespan's .NET-style specifiers: d…(days, zero-padded to the count), h/hh, m/mm, s/ss,
 * f… (fraction digits), F… (fraction digits, trailing zeros dropped), quoted or escaped literals.
 */
function formatTimespan(t: SqlExpr, format: string): SqlExpr {
  const a = fn('abs', t);
  const pad = (v: SqlExpr, n: number) => fn('lpad', cast(v, 'VARCHAR'), num(n), str('0'));
  const frac7 = pad(op('%', a, num(10_000_000)), 7);
  const parts: Record<string, SqlExpr> = {
    d: op('//', a, num(DAY_TICKS)),
    h: op('//', op('%', a, num(DAY_TICKS)), num(36_000_000_000)),
    m: op('//', op('%', a, num(36_000_000_000)), num(600_000_000)),
    s: op('//', op('%', a, num(600_000_000)), num(10_000_000)),
  };
  const tokens = format.match(/(d{1,8}|h{1,2}|m{1,2}|s{1,2}|f{1,7}|F{1,7}|\\.|'[^']*'|"[^"]*"|.)/g) ?? [];
  const pieces: SqlExpr[] = [caseWhen([[op('<', t, num(0)), str('-')]], str(''))];
  for (const tok of tokens) {
    const c = tok[0]!;
    if (c in parts && /^(d+|h+|m+|s+)$/.test(tok)) pieces.push(pad(parts[c]!, tok.length));
    else if (c === 'f') pieces.push(fn('substr', frac7, num(1), num(tok.length)));
    else if (c === 'F') pieces.push(fn('rtrim', fn('substr', frac7, num(1), num(tok.length)), str('0')));
    else pieces.push(str(tok.startsWith('\\') ? tok.slice(1) : /^['"]/.test(tok) ? tok.slice(1, -1) : tok));
  }
  return caseWhen([[{ k: 'isnull', e: t, negated: false }, str('')]], fn('concat', ...pieces));
}

/** US-style date texts Kusto's todatetime also reads (ISO 8601 forms go through a plain cast). */
const US_FORMATS = ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y', '%m-%d-%Y %H:%M:%S', '%m-%d-%Y'];

/** Text → datetime, or null: ISO 8601 (exact to the tick) first, then US month/day/year forms. */
export function textToDatetime(text: SqlExpr): SqlExpr {
  const t = fn('trim', text);
  return fn(
    'coalesce',
    cast(t, 'TIMESTAMP_NS', true),
    cast(fn('try_strptime', t, { k: 'list', items: US_FORMATS.map((f) => str(f)) }), 'TIMESTAMP_NS'),
  );
}

export const DATETIME_EXTRA_LOWERINGS: Record<string, ScalarLowering> = {
  unixtime_seconds_todatetime: unixTime(1_000_000_000),
  unixtime_milliseconds_todatetime: unixTime(1_000_000),
  unixtime_microseconds_todatetime: unixTime(1_000),
  unixtime_nanoseconds_todatetime: unixTime(1),
  make_timespan: (args, ctx) => {
    // (hours, minutes[, seconds]) or (days, hours, minutes, seconds).
    const units =
      args.length === 4
        ? [DAY_TICKS, 36_000_000_000, 600_000_000, 10_000_000]
        : [36_000_000_000, 600_000_000, 10_000_000];
    return args.map((a, i) => scaled(a, units[i]!, ctx)).reduce((x, y) => op('+', x, y));
  },
  make_datetime: (args, ctx) => {
    const [y, mo, d, h, mi] = args.slice(0, 5).map((a) => cast(ctx.expr(a), 'BIGINT'));
    const whole = fn('make_timestamp', y!, mo!, d!, h ?? num(0), mi ?? num(0), cast(num(0), 'DOUBLE'));
    const seconds = args[5] ? op('*', scaled(args[5], 10_000_000, ctx), num(TICK_NS)) : num(0);
    return fromNs(op('+', ns(cast(whole, 'TIMESTAMP_NS')), seconds));
  },
  datetime_local_to_utc: zoneShift(true),
  datetime_utc_to_local: zoneShift(false),
  format_timespan: ([t, f], ctx) => {
    const format = ctx.constValue(f!);
    if (typeof format !== 'string')
      throw new UnsupportedFeature('SF303', 'format_timespan needs a constant format');
    return formatTimespan(ctx.expr(t!), format);
  },
};
