/**
 * Result cells as comparable values. Both sides of a comparison are turned into a canonical value
 * of the column's KQL type — the expected side from its written text, the actual side from the
 * engine's JSON cell form (src/engine/types.ts) — and compared by value, never by spelling:
 * reals within a relative tolerance, dynamic bags regardless of key order, datetimes and
 * timespans by instant/duration. Rendering back to text is for failure messages only.
 */
import type { KqlCell, JsonValue } from '../../../src/engine/types.js';
import type { KqlScalarType } from '../../../src/schema/index.js';

/** A cell reduced to what KQL means by it; which variant applies is decided by the column type. */
export type Canon =
  | { t: 'null' }
  | { t: 'string'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'real'; v: number }
  | { t: 'datetime'; v: string }
  | { t: 'timespan'; v: bigint }
  | { t: 'dynamic'; v: JsonValue }
  | { t: 'guid'; v: string };

export const NULL: Canon = { t: 'null' };

/** Relative tolerance for reals (STYLE.md section 3). */
export const REAL_TOLERANCE = 1e-9;

export class CellError extends Error {}

// ---- datetime and timespan text ---------------------------------------------------------------

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** `2025-03-01T10:00:00.1200000Z` → `2025-03-01T10:00:00.12Z`; undefined if not ISO UTC. */
export function canonicalDatetime(text: string): string | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [, date, time, frac] = m;
  if (!validDate(date!) || !validTime(time!)) return undefined;
  const f = (frac ?? '').replace(/0+$/, '');
  return `${date}T${time}${f ? `.${f}` : ''}Z`;
}

function validDate(d: string): boolean {
  const [y, mo, da] = d.split('-').map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || da < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return da <= days[mo - 1]!;
}

function validTime(t: string): boolean {
  const [h, mi, s] = t.split(':').map(Number) as [number, number, number];
  return h < 24 && mi < 60 && s < 60;
}

const TICKS_PER_SECOND = 10_000_000n;
const TICKS_PER_DAY = 86_400n * TICKS_PER_SECOND;
const TIMESPAN_RE = /^(-)?(?:(\d+)\.)?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** `[-][d.]hh:mm:ss[.fffffff]` → 100 ns ticks; undefined if malformed. */
export function timespanTicks(text: string): bigint | undefined {
  const m = TIMESPAN_RE.exec(text);
  if (!m) return undefined;
  const [, neg, d, h, mi, s, f] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const secs = BigInt(d ?? '0') * 86_400n + BigInt(h!) * 3600n + BigInt(mi!) * 60n + BigInt(s!);
  const ticks = secs * TICKS_PER_SECOND + BigInt((f ?? '').padEnd(7, '0'));
  return neg ? -ticks : ticks;
}

export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t %= TICKS_PER_DAY;
  const secs = t / TICKS_PER_SECOND;
  const frac = (t % TICKS_PER_SECOND).toString().padStart(7, '0').replace(/0+$/, '');
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  const hms = `${two(secs / 3600n)}:${two((secs / 60n) % 60n)}:${two(secs % 60n)}`;
  return `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${hms}${frac ? `.${frac}` : ''}`;
}

// ---- the actual side: engine JSON cells ------------------------------------------------------

function parseRealText(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : undefined;
}

/** The engine's JSON cell as a canonical value of `type`; throws CellError if it is not one. */
export function canonActual(cell: KqlCell, type: KqlScalarType): Canon {
  if (cell === null) return NULL;
  const bad = (): never => {
    throw new CellError(`${JSON.stringify(cell)} is not a ${type} cell`);
  };
  switch (type) {
    case 'string':
      return typeof cell === 'string' ? { t: 'string', v: cell } : bad();
    case 'guid':
      return typeof cell === 'string' ? { t: 'guid', v: cell.toLowerCase() } : bad();
    case 'bool':
      return typeof cell === 'boolean' ? { t: 'bool', v: cell } : bad();
    case 'int':
    case 'long':
      if (typeof cell === 'number' && Number.isInteger(cell)) return { t: 'int', v: BigInt(cell) };
      // The JSON form uses a decimal string only beyond ±2^53 (src/engine/types.ts).
      if (typeof cell === 'string' && /^-?\d+$/.test(cell)) {
        const v = BigInt(cell);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
          return { t: 'int', v };
      }
      return bad();
    case 'real':
    case 'decimal': {
      if (typeof cell === 'number') return { t: 'real', v: cell };
      const v = typeof cell === 'string' ? parseRealText(cell) : undefined;
      return v === undefined ? bad() : { t: 'real', v };
    }
    case 'datetime': {
      const v = typeof cell === 'string' ? canonicalDatetime(cell) : undefined;
      return v === undefined ? bad() : { t: 'datetime', v };
    }
    case 'timespan': {
      const v = typeof cell === 'string' ? timespanTicks(cell) : undefined;
      return v === undefined ? bad() : { t: 'timespan', v };
    }
    case 'dynamic':
      return { t: 'dynamic', v: cell };
  }
}

// ---- the expected side: .kqltest cell text ----------------------------------------------------

/** Backslash escapes in string cells: \\ \t \n \r \uXXXX (write the string "null" as \u006eull). */
export function unescapeCell(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (all, e: string) => {
    if (e === '\\') return '\\';
    if (e === 't') return '\t';
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    throw new CellError(`unknown escape ${all} (use \\\\ for a backslash)`);
  });
}

export function escapeCell(s: string): string {
  const body = s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (body === 'null') return '\\u006eull';
  if (body === '(empty)') return '\\u0028empty)';
  return body === '' ? '(empty)' : body;
}

/** A `.kqltest` cell (STYLE.md section 3) as a canonical value of `type`; throws CellError. */
export function canonExpected(text: string, type: KqlScalarType): Canon {
  const bad = (what: string): never => {
    throw new CellError(`'${text}' is not a ${type} cell: ${what}`);
  };
  if (text === 'null')
    return type === 'string' ? bad('KQL strings are never null; write (empty) for ""') : NULL;
  switch (type) {
    case 'string':
      return { t: 'string', v: text === '(empty)' ? '' : unescapeCell(text) };
    case 'guid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
        ? { t: 'guid', v: text.toLowerCase() }
        : bad('expected a guid');
    case 'bool':
      return text === 'true' || text === 'false'
        ? { t: 'bool', v: text === 'true' }
        : bad('expected true or false');
    case 'int':
    case 'long':
      return /^-?\d+$/.test(text) ? { t: 'int', v: BigInt(text) } : bad('expected an integer');
    case 'real':
    case 'decimal': {
      const v = parseRealText(text);
      return v === undefined ? bad('expected a number, NaN or ±Infinity') : { t: 'real', v };
    }
    case 'datetime': {
      const v = canonicalDatetime(text);
      return v === undefined ? bad('expected ISO 8601 UTC like 2025-03-01T10:00:00Z') : { t: 'datetime', v };
    }
    case 'timespan': {
      const v = timespanTicks(text);
      return v === undefined ? bad('expected [-][d.]hh:mm:ss[.fffffff]') : { t: 'timespan', v };
    }
    case 'dynamic':
      try {
        return { t: 'dynamic', v: JSON.parse(text) as JsonValue };
      } catch {
        return bad('expected JSON');
      }
  }
}

// ---- comparing and rendering ------------------------------------------------------------------

export function realsEqual(a: number, b: number, tolerance = REAL_TOLERANCE): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** JSON equality with property bags compared regardless of key order (KQL does not keep it). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!))
    );
  }
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!))
  );
}

export function canonEqual(a: Canon, b: Canon): boolean {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'null':
      return true;
    case 'real':
      return realsEqual(a.v, (b as { v: number }).v);
    case 'dynamic':
      return jsonEqual(a.v, (b as { v: JsonValue }).v);
    default:
      return a.v === (b as { v: unknown }).v;
  }
}

/** Keys sorted, so two equal bags render the same in a diff. */
function stableJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(v[k]!)}`)
    .join(',')}}`;
}

/** The `.kqltest` spelling of a canonical value. */
export function renderCanon(c: Canon): string {
  switch (c.t) {
    case 'null':
      return 'null';
    case 'string':
      return escapeCell(c.v);
    case 'bool':
      return String(c.v);
    case 'int':
      return c.v.toString();
    case 'real':
      return String(c.v);
    case 'timespan':
      return formatTimespan(c.v);
    case 'dynamic':
      return stableJson(c.v);
    default:
      return c.v;
  }
}

/** An actual cell for display: canonical spelling, or the raw JSON marked as ill-typed. */
export function renderActual(cell: KqlCell, type: KqlScalarType): string {
  try {
    return renderCanon(canonActual(cell, type));
  } catch {
    return `‹ill-typed ${JSON.stringify(cell)}›`;
  }
}
