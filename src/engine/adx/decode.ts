import type { KqlScalarType } from '../../schema/index.js';
import { isKqlScalarType } from '../../schema/index.js';
import {
  formatDatetime,
  formatTimespan,
  parseDatetimeText,
  parseTimespanText,
} from '../../kql/semantics/literals.js';
import type { JsonValue, KqlCell } from '../types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A column type as ADX reports it (`long`, or `System.Int64` in v1 responses) → KQL type. */
export function adxColumnType(t: string | null | undefined): KqlScalarType {
  const name = (t ?? 'string').toLowerCase();
  const dotnet: Record<string, KqlScalarType> = {
    'system.string': 'string',
    'system.int64': 'long',
    'system.int32': 'int',
    'system.double': 'real',
    'system.boolean': 'bool',
    'system.sbyte': 'bool',
    'system.datetime': 'datetime',
    'system.timespan': 'timespan',
    'system.guid': 'guid',
    'system.object': 'dynamic',
    'system.data.sqltypes.sqldecimal': 'decimal',
  };
  if (dotnet[name]) return dotnet[name]!;
  if (name === 'boolean') return 'bool';
  if (name === 'double') return 'real';
  if (name === 'uniqueid') return 'guid';
  return isKqlScalarType(name) ? name : 'string';
}

/** A raw cell of an ADX v2 result (JSON as sent) → the KQL JSON form every socfeed engine returns. */
export function decodeAdxCell(v: unknown, type: KqlScalarType): KqlCell {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
    case 'guid':
      return String(v);
    case 'bool':
      return v === true || v === 1 || v === 'true' || v === 'True';
    case 'int':
    case 'long': {
      const b =
        typeof v === 'number'
          ? BigInt(Math.trunc(v))
          : /^-?\d+$/.test(String(v))
            ? BigInt(String(v))
            : undefined;
      if (b === undefined) return null;
      return b > MAX_SAFE || b < -MAX_SAFE ? b.toString() : Number(b);
    }
    case 'real':
    case 'decimal':
      if (typeof v === 'number') return v;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return v;
      return Number(v);
    case 'datetime': {
      const t = parseDatetimeText(String(v));
      return t === undefined ? String(v) : formatDatetime(t);
    }
    case 'timespan': {
      const t = parseTimespanText(String(v));
      return t === undefined ? String(v) : formatTimespan(t);
    }
    case 'dynamic':
      if (typeof v === 'string') {
        try {
          return JSON.parse(v) as JsonValue;
        } catch {
          return v;
        }
      }
      return v as JsonValue;
  }
}
