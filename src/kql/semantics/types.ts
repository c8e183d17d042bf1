import { isKqlScalarType, type KqlScalarType } from '../../schema/index.js';

export type { KqlScalarType };

const NUMERIC_RANK: Partial<Record<KqlScalarType, number>> = { int: 1, long: 2, decimal: 3, real: 4 };

export function isNumeric(t: KqlScalarType): boolean {
  return NUMERIC_RANK[t] !== undefined;
}

export function isIntegral(t: KqlScalarType): boolean {
  return t === 'int' || t === 'long';
}

/** The common type of two numeric types (int < long < decimal < real), or undefined. */
export function promoteNumeric(a: KqlScalarType, b: KqlScalarType): KqlScalarType | undefined {
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra === undefined || rb === undefined) return undefined;
  return ra >= rb ? a : b;
}

/**
 * The type two branches (iff, case, coalesce, union of a column) share: identical types, numeric
 * promotion, or dynamic absorbing anything. Undefined when they do not mix.
 */
export function commonType(a: KqlScalarType, b: KqlScalarType): KqlScalarType | undefined {
  if (a === b) return a;
  const n = promoteNumeric(a, b);
  if (n) return n;
  if (a === 'dynamic' || b === 'dynamic') return 'dynamic';
  return undefined;
}

/** Type names accepted in schemas, casts and `typeof()`, with Kusto's synonyms. */
export function parseTypeName(name: string): KqlScalarType | undefined {
  const n = name.toLowerCase();
  const synonyms: Record<string, KqlScalarType> = {
    boolean: 'bool',
    double: 'real',
    date: 'datetime',
    time: 'timespan',
    uuid: 'guid',
    uniqueid: 'guid',
    int32: 'int',
    int64: 'long',
    object: 'dynamic',
  };
  if (synonyms[n]) return synonyms[n];
  return isKqlScalarType(n) ? n : undefined;
}

/** The to*() function that converts a value to each type (Kusto's explicit conversions). */
export const CONVERSION_FUNCTION: Readonly<Record<KqlScalarType, string>> = {
  string: 'tostring',
  long: 'tolong',
  int: 'toint',
  real: 'todouble',
  decimal: 'todecimal',
  bool: 'tobool',
  datetime: 'todatetime',
  timespan: 'totimespan',
  guid: 'toguid',
  dynamic: 'todynamic',
};
