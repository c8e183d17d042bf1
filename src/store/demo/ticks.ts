/**
 * Time in Kusto's unit: 100 ns ticks, here counted from the Unix epoch. Absolute instants are
 * bigint (epoch ticks exceed 2^53); offsets inside a generated period (at most a year, ~3e14
 * ticks) are plain integers, which keeps the per-event arithmetic cheap.
 */
export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60 * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 instant with up to 7 fractional digits (`2026-06-01T12:00:00.1234567Z`).
 * Without a zone designator the time is UTC, as every KQL datetime is. Returns undefined when the
 * text is not such an instant or names an impossible date (Feb 30).
 */
export function parseIsoTicks(text: string): bigint | undefined {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  // Date.UTC silently rolls over (month 13, hour 25); reject instead of guessing.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== Number(h) ||
    back.getUTCMinutes() !== Number(mi) ||
    back.getUTCSeconds() !== Number(s)
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const fracTicks = BigInt(frac.padEnd(7, '0'));
  return BigInt(ms - offsetMinutes * 60_000) * BigInt(TICKS_PER_MS) + fracTicks;
}

/** `2026-06-01T12:00:00.1234567Z`: always 7 fractional digits, as Defender exports datetimes. */
export function formatIsoTicks(ticks: bigint): string {
  const perMs = BigInt(TICKS_PER_MS);
  let ms = ticks / perMs;
  let rest = ticks % perMs;
  if (rest < 0n) {
    rest += perMs;
    ms -= 1n;
  }
  const iso = new Date(Number(ms)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${rest.toString().padStart(4, '0')}Z`;
}

export function currentTicks(): bigint {
  return BigInt(Date.now()) * BigInt(TICKS_PER_MS);
}

/** TIMESTAMP_NS stores nanoseconds. */
export function ticksToNanos(ticks: bigint): bigint {
  return ticks * 100n;
}

/**
 * The generated period `[now - days, now]`. Event times inside it are integer tick offsets from
 * `start`; `at(offset)` turns one back into an absolute instant.
 */
export class Period {
  readonly start: bigint;
  readonly span: number;

  constructor(
    readonly now: bigint,
    readonly days: number,
  ) {
    this.span = days * TICKS_PER_DAY;
    this.start = now - BigInt(this.span);
  }

  at(offset: number): bigint {
    return this.start + BigInt(Math.round(offset));
  }

  /** Offset of `now - duration` (e.g. the start of a rule's `now(-5d)` window). */
  before(durationTicks: number): number {
    return this.span - durationTicks;
  }

  contains(offset: number): boolean {
    return offset >= 0 && offset <= this.span;
  }

  /** Offsets of the UTC midnights from the day containing `start` up to `now`. */
  midnights(): number[] {
    const perDay = BigInt(TICKS_PER_DAY);
    let first = this.start - (((this.start % perDay) + perDay) % perDay);
    const out: number[] = [];
    while (first <= this.now) {
      out.push(Number(first - this.start));
      first += perDay;
    }
    return out;
  }

  /** 0 = Sunday … 6 = Saturday, for the UTC day containing `offset`. */
  weekday(offset: number): number {
    const ms = this.at(offset) / BigInt(TICKS_PER_MS);
    return new Date(Number(ms)).getUTCDay();
  }
}
