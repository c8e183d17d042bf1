import type { KqlScalarType } from '../schema/index.js';
import type { Diagnostic } from '../kql/diagnostics.js';

export interface KqlColumn {
  name: string;
  type: KqlScalarType;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A result cell in its JSON form (what `socfeed query --format json` prints):
 * bool → boolean; int/long → number (a decimal string beyond ±2^53); real → number
 * ("NaN", "Infinity", "-Infinity" as strings); datetime → ISO 8601 UTC ending in `Z`
 * (fraction only if non-zero, up to 7 digits); timespan → `[-][d.]hh:mm:ss[.fffffff]`;
 * string and guid → string; dynamic → the JSON value itself. null is null.
 */
export type KqlCell = JsonValue;

export interface KqlResult {
  columns: KqlColumn[];
  rows: KqlCell[][];
  /** Set when the query ends in `render`: the chart the user asked for. */
  chart?: { kind: string; properties: Record<string, JsonValue> };
  warnings: Diagnostic[];
}
