import {
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { KqlScalarType } from '../schema/index.js';
import { formatDatetime, formatTimespan } from '../kql/semantics/literals.js';
import type { JsonValue, KqlCell } from './types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toBigInt(v: DuckDBValue): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (v instanceof DuckDBDecimalValue) return v.value / 10n ** BigInt(v.scale);
  return undefined;
}

function toNumber(v: DuckDBValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBDecimalValue) return Number(v.value) / 10 ** v.scale;
  return Number(String(v));
}

/** A DuckDB value read back as the KQL type the binder gave the column, in its JSON form. */
export function decodeCell(v: DuckDBValue, type: KqlScalarType): KqlCell {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return String(v);
    case 'bool':
      return typeof v === 'boolean' ? v : Boolean(v);
    case 'int':
    case 'long': {
      const b = toBigInt(v);
      if (b === undefined) return null;
      return b > MAX_SAFE || b < -MAX_SAFE ? b.toString() : Number(b);
    }
    case 'real':
    case 'decimal': {
      const n = toNumber(v);
      if (Number.isNaN(n)) return 'NaN';
      if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
      return n;
    }
    case 'datetime': {
      if (v instanceof DuckDBTimestampNanosecondsValue) return formatDatetime(v.nanos / 100n);
      if (v instanceof DuckDBTimestampValue) return formatDatetime(v.micros * 10n);
      return String(v);
    }
    case 'timespan': {
      const b = toBigInt(v);
      if (b !== undefined) return formatTimespan(b);
      if (v instanceof DuckDBIntervalValue)
        return formatTimespan((BigInt(v.days) * 86_400_000_000n + v.micros) * 10n);
      return String(v);
    }
    case 'guid':
      return String(v);
    case 'dynamic': {
      const text = String(v);
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return text;
      }
    }
  }
}
