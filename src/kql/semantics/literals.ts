/**
 * Datetime and timespan literal text → 100 ns ticks (datetimes since the Unix epoch).
 * Kusto accepts ISO 8601 (`2015-12-31T23:59:59.9Z`), the space-separated form
 * (`2015-12-31 23:59:59.9`), date only, and RFC 822/850 forms; always UTC.
 */
const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i;

/** Days since 1970-01-01 of a proleptic Gregorian date, or undefined if the date does not exist. */
function daysSinceEpoch(y: number, m: number, d: number): number | undefined {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d); // setUTCFullYear, unlike Date.UTC, does not remap years 0-99
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return Math.floor(dt.getTime() / 86_400_000);
}

export function parseDatetimeText(text: string): bigint | undefined {
  // Any Unicode space separates date and time, as the lexer treats it (queries pasted from web pages carry U+202F).
  const t = text
    .replace(/\s/g, ' ')
    .trim()
    .replace(/^["']|["']$/g, '');
  // datetime(2025, 6, 14[, h, m, s]): the parts as numbers.
  const parts =
    /^(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2}))?)?)?$/.exec(
      t,
    );
  if (parts) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = parts;
    return parseDatetimeText(
      `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}T${h.padStart(2, '0')}:${mi.padStart(2, '0')}:${s.padStart(2, '0')}Z`,
    );
  }
  // US month/day/year, as todatetime() reads it: 12-02-2022, 02/17/2016 08:40:01.
  const us = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (us) {
    const [, mo, d, y, h = '0', mi = '0', s = '0'] = us;
    return parseDatetimeText(
      `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}T${h.padStart(2, '0')}:${mi.padStart(2, '0')}:${s.padStart(2, '0')}Z`,
    );
  }
  const m = ISO.exec(t);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
    const month = Number(mo);
    const day = Number(d);
    if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
    const dayCount = daysSinceEpoch(Number(y), month, day);
    if (dayCount === undefined) return undefined;
    const days = BigInt(dayCount);
    let ticks =
      days * TICKS_PER_DAY +
      (BigInt(Number(h)) * 3600n + BigInt(Number(mi)) * 60n + BigInt(Number(s))) * TICKS_PER_SECOND;
    ticks += BigInt((frac + '0000000').slice(0, 7));
    if (tz && /^[+-]/.test(tz)) {
      const sign = tz[0] === '-' ? -1n : 1n;
      const digits = tz.slice(1).replace(':', '');
      const offset =
        (BigInt(Number(digits.slice(0, 2))) * 60n + BigInt(Number(digits.slice(2, 4)))) *
        60n *
        TICKS_PER_SECOND;
      ticks -= sign * offset;
    }
    return ticks;
  }
  // RFC 822 / 850 and other forms JavaScript understands; millisecond precision.
  if (/[a-z]{3}/i.test(t)) {
    const ms = Date.parse(/(GMT|UTC|Z|[+-]\d{4})\s*$/i.test(t) ? t : `${t} GMT`);
    if (!Number.isNaN(ms)) return BigInt(ms) * TICKS_PER_MS;
  }
  return undefined;
}

/**
 * A time of day without a date (`8:00:00 AM`, `17:30`): its ticks since midnight. Kusto reads
 * such a datetime as that time today (the day of now()).
 */
export function parseTimeOfDayText(text: string): bigint | undefined {
  const t = text
    .replace(/\s/g, ' ')
    .trim()
    .replace(/^["']|["']$/g, '');
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?$/.exec(t);
  if (!m) return undefined;
  const [, hText, mi, s = '0', frac = '', half] = m;
  let h = Number(hText);
  if (half) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (/p/i.test(half) ? 12 : 0);
  }
  if (h > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const seconds = BigInt(h) * 3600n + BigInt(Number(mi)) * 60n + BigInt(Number(s));
  return seconds * TICKS_PER_SECOND + BigInt((frac + '0000000').slice(0, 7));
}

const UNIT_WORDS: Record<string, bigint> = {
  d: TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  days: TICKS_PER_DAY,
  h: 36_000_000_000n,
  hr: 36_000_000_000n,
  hrs: 36_000_000_000n,
  hour: 36_000_000_000n,
  hours: 36_000_000_000n,
  m: 600_000_000n,
  min: 600_000_000n,
  minute: 600_000_000n,
  minutes: 600_000_000n,
  s: TICKS_PER_SECOND,
  sec: TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MS,
  millisecond: TICKS_PER_MS,
  milliseconds: TICKS_PER_MS,
  microsecond: 10n,
  microseconds: 10n,
  tick: 1n,
  ticks: 1n,
};

function decimalTimes(num: string, unit: bigint): bigint {
  const [i = '0', f = ''] = num.split('.');
  const scale = 10n ** BigInt(f.length);
  const v = BigInt((i || '0') + f) * unit;
  return (v + scale / 2n) / scale;
}

/** `timespan(…)` content: `1.02:03:04.5`, `12:34`, `15 seconds`, `2` (days), `5d`. */
export function parseTimespanText(text: string): bigint | undefined {
  let t = text.trim();
  let sign = 1n;
  if (t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1).trim();
  }
  const clock = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, d = '0', h, mi, s = '0', frac = ''] = clock;
    const ticks =
      BigInt(d) * TICKS_PER_DAY +
      (BigInt(h!) * 3600n + BigInt(mi!) * 60n + BigInt(s)) * TICKS_PER_SECOND +
      BigInt((frac + '0000000').slice(0, 7));
    return sign * ticks;
  }
  const unit = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i.exec(t);
  if (unit) {
    const u = unit[2] ? UNIT_WORDS[unit[2].toLowerCase()] : TICKS_PER_DAY;
    if (u === undefined) return undefined;
    return sign * decimalTimes(unit[1]!, u);
  }
  return undefined;
}

/** Kusto's display form of a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t %= TICKS_PER_DAY;
  const h = t / 36_000_000_000n;
  t %= 36_000_000_000n;
  const m = t / 600_000_000n;
  t %= 600_000_000n;
  const s = t / TICKS_PER_SECOND;
  const frac = t % TICKS_PER_SECOND;
  const pad = (x: bigint) => x.toString().padStart(2, '0');
  let out = `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
  if (frac > 0n) out += '.' + frac.toString().padStart(7, '0');
  return out;
}

/** ISO 8601 UTC with `Z`; fraction (up to 7 digits, trailing zeros trimmed) only when non-zero. */
export function formatDatetime(ticks: bigint): string {
  const ms = ticks / TICKS_PER_MS - (ticks % TICKS_PER_MS < 0n ? 1n : 0n);
  const sub = ticks - ms * TICKS_PER_MS; // 0..9999 ticks below the millisecond
  const d = new Date(Number(ms));
  const iso = d.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  const base = iso.slice(0, 19);
  const frac = (iso.slice(20, 23) + sub.toString().padStart(4, '0')).replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}
