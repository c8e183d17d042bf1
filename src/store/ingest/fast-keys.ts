import type { TableSchema } from '../../schema/index.js';
import { KeyClassifier } from './key-classes.js';
import { isCapturableKey } from './sql/literals.js';
import type { RecordShape } from './sql/pass-spec.js';

/**
 * The fast path's key set K from a sample record's keys, or undefined when that record's shape
 * cannot be read on the fast path: every key must be a column or an extra we can name (no other
 * spellings, no routing keys), keys unique, and Timestamp among them when the table has one.
 * `extras` are the members of K that are not columns.
 */
export function fastKeysOf(
  table: TableSchema,
  shape: RecordShape,
  keys: readonly string[],
  defaultTable: string | undefined,
): { keys: string[]; extras: string[] } | undefined {
  // Flat rows are routed by Type or --table; only the --table case is a fixed table.
  if (shape === 'flat' && defaultTable !== table.name) return undefined;
  if (new Set(keys).size !== keys.length) return undefined;
  if (table.columns.some((c) => c.name === 'Timestamp') && !keys.includes('Timestamp')) return undefined;
  const classifier = new KeyClassifier(table, shape);
  const extras: string[] = [];
  for (const k of keys) {
    const c = classifier.classify(k);
    if (c.kind === 'column') continue;
    if (c.kind !== 'extra' || !isCapturableKey(k)) return undefined;
    extras.push(k);
  }
  return { keys: [...keys], extras };
}

/** The row keys of a sample record (JSON text), or undefined when it cannot be read. */
export function sampleKeys(
  sample: Uint8Array | string | undefined,
  shape: RecordShape,
): string[] | undefined {
  if (sample === undefined) return undefined;
  try {
    const o = JSON.parse(
      typeof sample === 'string' ? sample : Buffer.from(sample).toString('utf8'),
    ) as Record<string, unknown>;
    const row = shape === 'envelope' ? o['properties'] : o;
    return row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : undefined;
  } catch {
    return undefined;
  }
}
