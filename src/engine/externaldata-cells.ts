/**
 * One raw externaldata cell → a typed IR constant, the way Kusto converts ingested text: a value
 * that does not parse as the column's type becomes null (a string column gets the text as is;
 * strings are never null, so a missing field is "").
 */
import type { ConstValue, IrExpr, JsonLike } from '../sql/ir/expr.js';
import type { KqlScalarType } from '../schema/index.js';
import { parseDatetimeText, parseTimespanText } from '../kql/semantics/literals.js';
import type { RawCell } from './externaldata-formats.js';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function cellConst(raw: RawCell, type: KqlScalarType): IrExpr {
  return { kind: 'const', type, value: convert(raw, type) };
}

function text(raw: RawCell): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function convert(raw: RawCell, type: KqlScalarType): ConstValue {
  if (type === 'string') return text(raw) ?? '';
  if (type === 'dynamic') {
    if (raw === undefined) return null;
    if (typeof raw !== 'string') return raw;
    try {
      return JSON.parse(raw) as JsonLike;
    } catch {
      return raw.length === 0 ? null : raw;
    }
  }
  if (typeof raw === 'number' && (type === 'real' || type === 'decimal')) return raw;
  if (typeof raw === 'boolean' && type === 'bool') return raw;
  const t = text(raw)?.trim();
  if (t === undefined || t.length === 0) return null;
  switch (type) {
    case 'int':
    case 'long': {
      if (!/^[-+]?\d+$/.test(t)) return null;
      const v = BigInt(t);
      const [lo, hi] = type === 'int' ? [INT32_MIN, INT32_MAX] : [INT64_MIN, INT64_MAX];
      return v < lo || v > hi ? null : v;
    }
    case 'real':
    case 'decimal': {
      const v = Number(t);
      return Number.isNaN(v) && !/^nan$/i.test(t) ? null : v;
    }
    case 'bool': {
      const l = t.toLowerCase();
      return l === 'true' || l === '1' ? true : l === 'false' || l === '0' ? false : null;
    }
    case 'datetime':
      return parseDatetimeText(t) ?? null;
    case 'timespan':
      return parseTimespanText(t) ?? null;
    case 'guid':
      return GUID.test(t) ? t.toLowerCase() : null;
  }
}
