import type { KqlScalarType } from '../../schema/index.js';
import { formatDatetime, formatTimespan } from '../../kql/semantics/literals.js';
import type { JsonValue, KqlCell } from '../types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** ClickHouse DateTime64 text (UTC, any precision) → 100 ns ticks. */
export function chDatetimeTicks(text: string): bigint | undefined {
  const m = DT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return BigInt(ms) * 10_000n + BigInt((frac + '0000000').slice(0, 7));
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) return BigInt(Math.trunc(Number(v)));
  return undefined;
}

/**
 * A ClickHouse JSONCompact cell read back as the KQL type the binder gave the column, in the same
 * JSON form the DuckDB engine produces (see src/engine/types.ts), so results compare cell by cell.
 */
export function decodeChCell(v: unknown, type: KqlScalarType): KqlCell {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'bool':
      return v === true || v === 1 || v === '1' || v === 'true';
    case 'int':
    case 'long': {
      const b = toBigInt(v);
      if (b === undefined) return null;
      return b > MAX_SAFE || b < -MAX_SAFE ? b.toString() : Number(b);
    }
    case 'real':
    case 'decimal': {
      if (v === 'nan' || v === '-nan') return 'NaN';
      if (v === 'inf' || v === '+inf') return 'Infinity';
      if (v === '-inf') return '-Infinity';
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isNaN(n) ? 'NaN' : n;
    }
    case 'datetime': {
      const t = typeof v === 'string' ? chDatetimeTicks(v) : undefined;
      return t === undefined ? String(v) : formatDatetime(t);
    }
    case 'timespan': {
      const b = toBigInt(v);
      return b === undefined ? String(v) : formatTimespan(b);
    }
    case 'guid':
      return String(v);
    case 'dynamic': {
      if (typeof v !== 'string') return v as JsonValue;
      try {
        return JSON.parse(v) as JsonValue;
      } catch {
        return v;
      }
    }
  }
}
