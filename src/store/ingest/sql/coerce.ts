import type { KqlScalarType } from '../../../schema/index.js';
import { sqlString } from './literals.js';

/**
 * How a source value (always VARCHAR text here: json_transform renders numbers, booleans and nested
 * JSON as text, CSV cells are text) becomes a value of the column's KQL type, in DuckDB SQL.
 *
 * Every expression is NULL exactly when the value cannot be coerced, so the pass can tell "absent"
 * (source NULL) from "not coercible" (source not NULL, result NULL) and reject the row with a reason.
 */

/** Text formats tried after DuckDB's own ISO-8601 cast (US-locale exports and the portal's display form). */
const DATETIME_FORMATS = [
  '%m/%d/%Y %I:%M:%S %p',
  '%m/%d/%Y %I:%M:%S.%f %p',
  '%m/%d/%Y, %I:%M:%S %p',
  '%m/%d/%Y, %I:%M:%S.%f %p',
  '%b %d, %Y %I:%M:%S %p',
  '%b %d, %Y %I:%M:%S.%f %p',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
];

/**
 * Numeric datetimes are Unix epoch; the unit is told by magnitude (s, ms, µs, ns). Integers are
 * scaled in integer arithmetic (exact to the nanosecond); fractions go through DOUBLE.
 */
function epochToTimestampNs(s: string): string {
  const i = `TRY_CAST(${s} AS BIGINT)`;
  const d = `TRY_CAST(${s} AS DOUBLE)`;
  const scaled = (x: string, exact: boolean) =>
    `CASE WHEN abs(${x}) < 1e11 THEN ${exact ? `${x} * 1000000000` : `TRY_CAST(round(${x} * 1e9) AS BIGINT)`} ` +
    `WHEN abs(${x}) < 1e14 THEN ${exact ? `${x} * 1000000` : `TRY_CAST(round(${x} * 1e6) AS BIGINT)`} ` +
    `WHEN abs(${x}) < 1e17 THEN ${exact ? `${x} * 1000` : `TRY_CAST(round(${x} * 1e3) AS BIGINT)`} ` +
    `ELSE ${exact ? x : `TRY_CAST(${x} AS BIGINT)`} END`;
  return (
    `CASE WHEN regexp_full_match(${s}, '-?[0-9]+') THEN make_timestamp_ns(${scaled(i, true)}) ` +
    `WHEN regexp_full_match(${s}, '-?[0-9]+\\.[0-9]+([eE][+-]?[0-9]+)?|-?[0-9]+[eE][+-]?[0-9]+') THEN make_timestamp_ns(${scaled(d, false)}) END`
  );
}

/** Kusto timespan text `[-][d.]hh:mm:ss[.fffffff]` or a number of 100 ns ticks → BIGINT ticks. */
function timespanTicks(s: string): string {
  const re = sqlString('^(-)?(?:([0-9]+)\\.)?([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,7}))?$');
  const g = (n: number) => `regexp_extract(${s}, ${re}, ${n})`;
  const frac = `CAST(rpad(${g(6)}, 7, '0') AS BIGINT)`;
  const total =
    `(COALESCE(TRY_CAST(NULLIF(${g(2)}, '') AS BIGINT), 0) * 864000000000 + ` +
    `CAST(${g(3)} AS BIGINT) * 36000000000 + CAST(${g(4)} AS BIGINT) * 600000000 + ` +
    `CAST(${g(5)} AS BIGINT) * 10000000 + ${frac})`;
  return (
    `CASE WHEN regexp_full_match(${s}, '-?[0-9]+') THEN TRY_CAST(${s} AS BIGINT) ` +
    `WHEN regexp_matches(${s}, ${re}) THEN CASE WHEN ${g(1)} = '-' THEN -${total} ELSE ${total} END END`
  );
}

function boolAsNumber(s: string): string {
  return `CASE ${s} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`;
}

/**
 * The coerced value, first try. `s` must already be NULL for absent values; for non-string types the
 * caller passes NULLIF(trim(x), '') because an empty cell (CSV, Sentinel exports) means "no value".
 */
export function coerceSql(type: KqlScalarType, s: string): string {
  switch (type) {
    case 'string':
      return `COALESCE(${s}, '')`;
    case 'bool':
      return `TRY_CAST(${s} AS BOOLEAN)`;
    // JSON true/false in a number column count as 1/0 (as a typed JSON read would have it).
    case 'int':
      return `COALESCE(TRY_CAST(${s} AS INTEGER), ${boolAsNumber(s)})`;
    case 'long':
      return `COALESCE(TRY_CAST(${s} AS BIGINT), ${boolAsNumber(s)})`;
    case 'real':
    case 'decimal':
      return `COALESCE(TRY_CAST(${s} AS DOUBLE), ${boolAsNumber(s)})`;
    case 'guid':
      return `TRY_CAST(${s} AS UUID)`;
    case 'timespan':
      return timespanTicks(s);
    case 'dynamic':
      // JSON-valued columns arrive as JSON text inside a string (streaming API) or as nested JSON;
      // both are text here. Text that is not JSON is kept as a JSON string.
      return `CASE WHEN json_valid(${s}) THEN CAST(${s} AS JSON) ELSE to_json(${s}) END`;
    case 'datetime':
      // ISO-8601 in all its common shapes (7 fractional digits, Z or offset, space or T).
      return `TRY_CAST(${s} AS TIMESTAMP_NS)`;
  }
}

/**
 * A second try for values the first one could not coerce, evaluated only for those rows:
 * datetimes in US-locale/portal text or as Unix epoch numbers. Undefined for types without one.
 */
export function fallbackSql(type: KqlScalarType, s: string): string | undefined {
  if (type !== 'datetime') return undefined;
  const fmts = `[${DATETIME_FORMATS.map(sqlString).join(', ')}]`;
  return `COALESCE(CAST(try_strptime(${s}, ${fmts}) AS TIMESTAMP_NS), ${epochToTimestampNs(s)})`;
}

/**
 * True when a present value means "no value" for this type, so it becomes NULL instead of a reject:
 * .NET's DateTime.MinValue (0001-01-01T00:00:00), which Defender exports use for unset datetimes and
 * which TIMESTAMP_NS cannot hold anyway. Only consulted for values the cast rejected.
 */
export function unsetSentinelSql(type: KqlScalarType, s: string): string | undefined {
  if (type !== 'datetime') return undefined;
  return `starts_with(${s}, '0001-01-01')`;
}

export function typeLabel(type: KqlScalarType): string {
  return type === 'bool' ? 'boolean' : type;
}
