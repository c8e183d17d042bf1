/**
 * Fixture rows: JSON objects checked against the table's schema, then inserted into the store's
 * table with bound parameters (one `INSERT … VALUES (CAST(? AS type), …)` per row; identifiers
 * come from the schema and are quoted by the store's own DDL helper, values are never spliced).
 * A column left out gets "" for strings (KQL strings are never null) and null otherwise.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnSchema, SchemaCatalog, TableSchema } from '../../../src/schema/index.js';
import type { Store } from '../../../src/store/store.js';
import { DUCKDB_STORAGE_TYPE, quoteIdentDuckdb } from '../../../src/sql/dialects/duckdb/ddl.js';
import { closestMatch } from '../../../src/util/suggest.js';
import { canonicalDatetime, timespanTicks } from './cells.js';

export class FixtureError extends Error {}

/** One fixture declaration; its identity tells the runner whether a table must be reloaded. */
export interface Fixture {
  table: string;
  line: number;
  /** Bound values per row, in the table's column order. */
  rows: DuckDBValue[][];
}

export function fixtureTable(schema: SchemaCatalog, name: string): TableSchema {
  const t = schema.table(name);
  if (!t) {
    const hint = closestMatch(name, schema.tableNames());
    throw new FixtureError(`unknown table '${name}'${hint ? `; did you mean '${hint}'?` : ''}`);
  }
  return t;
}

/**
 * The parameter for one value, matching how src/sql/dialects/duckdb/ddl.ts stores each KQL type
 * (datetime TIMESTAMP_NS, timespan BIGINT ticks, dynamic JSON, guid UUID).
 */
function toParam(col: ColumnSchema, v: unknown): DuckDBValue {
  const bad = (what: string): never => {
    throw new FixtureError(`column ${col.name} (${col.type}): ${what}, got ${JSON.stringify(v)}`);
  };
  if (v === undefined) return col.type === 'string' ? '' : null;
  if (v === null)
    return col.type === 'string' ? bad('strings are never null in KQL; omit the column or use ""') : null;
  switch (col.type) {
    case 'string':
      return typeof v === 'string' ? v : bad('expected a JSON string');
    case 'bool':
      return typeof v === 'boolean' ? v : bad('expected true or false');
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 31
        ? String(v)
        : bad('expected a 32-bit integer');
    case 'long':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
      return typeof v === 'string' && /^-?\d+$/.test(v)
        ? v
        : bad('expected an integer (a decimal string beyond 2^53)');
    case 'real':
    case 'decimal':
      if (typeof v === 'number') return String(v);
      return v === 'NaN' || v === 'Infinity' || v === '-Infinity'
        ? v
        : bad('expected a number, "NaN" or "±Infinity"');
    case 'datetime': {
      const c = typeof v === 'string' ? canonicalDatetime(v) : undefined;
      // DuckDB's TIMESTAMP_NS cast takes `YYYY-MM-DD HH:MM:SS[.fffffffff]` without the zone letter.
      return c
        ? c.replace('T', ' ').replace(/Z$/, '')
        : bad('expected ISO 8601 UTC like "2025-03-01T10:00:00Z"');
    }
    case 'timespan': {
      const t = typeof v === 'string' ? timespanTicks(v) : undefined;
      return t !== undefined ? t.toString() : bad('expected "[-][d.]hh:mm:ss[.fffffff]"');
    }
    case 'dynamic':
      return JSON.stringify(v);
    case 'guid':
      return typeof v === 'string' && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(v)
        ? v
        : bad('expected a guid string');
  }
}

// The conversions above assume this storage layout; fail loudly if it changes.
const EXPECTED_STORAGE: Record<string, string> = {
  datetime: 'TIMESTAMP_NS',
  timespan: 'BIGINT',
  dynamic: 'JSON',
  guid: 'UUID',
};
for (const [type, storage] of Object.entries(EXPECTED_STORAGE)) {
  if (DUCKDB_STORAGE_TYPE[type as keyof typeof DUCKDB_STORAGE_TYPE] !== storage) {
    throw new Error(`test/kql/harness/fixtures.ts assumes ${type} is stored as ${storage}; update toParam()`);
  }
}

/** Parses one JSONL line into bound values for `table`; throws FixtureError naming the problem. */
export function fixtureRow(table: TableSchema, jsonText: string): DuckDBValue[] {
  let obj: unknown;
  try {
    obj = JSON.parse(jsonText);
  } catch (e) {
    throw new FixtureError(`not a JSON object: ${(e as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new FixtureError('a fixture row must be a JSON object');
  const names = new Set(table.columns.map((c) => c.name));
  for (const key of Object.keys(obj)) {
    if (!names.has(key)) {
      const hint = closestMatch(key, names);
      throw new FixtureError(
        `${table.name} has no column '${key}'${hint ? `; did you mean '${hint}'?` : ''}`,
      );
    }
  }
  const rec = obj as Record<string, unknown>;
  return table.columns.map((c) => toParam(c, rec[c.name]));
}

function insertSql(table: TableSchema): string {
  const cols = table.columns.map((c) => quoteIdentDuckdb(c.name)).join(', ');
  const values = table.columns.map((c) => `CAST(? AS ${DUCKDB_STORAGE_TYPE[c.type]})`).join(', ');
  return `INSERT INTO ${quoteIdentDuckdb(table.name)} (${cols}) VALUES (${values})`;
}

/** Replaces the rows of each table whose fixture differs from what `loaded` says is there. */
export async function applyFixtures(
  store: Store,
  schema: SchemaCatalog,
  wanted: ReadonlyMap<string, Fixture>,
  loaded: Map<string, Fixture>,
): Promise<void> {
  const tables = new Set([...wanted.keys(), ...loaded.keys()]);
  const stale = [...tables].filter((t) => wanted.get(t) !== loaded.get(t));
  if (stale.length === 0) return;
  await store.transaction(async () => {
    for (const name of stale) {
      const table = fixtureTable(schema, name);
      await store.run(`DELETE FROM ${quoteIdentDuckdb(table.name)}`);
      const f = wanted.get(name);
      if (f) for (const row of f.rows) await store.run(insertSql(table), row);
    }
  });
  for (const name of stale) {
    const f = wanted.get(name);
    if (f) loaded.set(name, f);
    else loaded.delete(name);
  }
}
