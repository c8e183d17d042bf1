import type { KqlScalarType, TableSchema } from '../../../schema/index.js';
import { DUCKDB_STORAGE_TYPE, INGESTION_TIME_COLUMN } from '../../../sql/dialects/duckdb/ddl.js';
import { extrasObjectSql, mergedAdditionalFieldsSql } from './additional-fields.js';
import { Layout } from './layout.js';
import { ident } from './literals.js';
import type { PassFilter, RecordShape } from './pass-spec.js';
import { stageRowsSql } from './stage-sql.js';

/*
 * The fast path: records that have exactly the file's usual keys (K: columns and captured extras,
 * learned from the data) and values of the right types are parsed once by a typed
 * json_transform_strict and inserted straight into the table — no per-value text, casts, reasons
 * or intermediate table. Everything else is left to the general pass (pass-sql.ts), which skips
 * exactly the records this predicate accepts.
 */

export interface FastSpec {
  table: TableSchema;
  shape: RecordShape;
  /** K: the exact key set, in the order of a sample record. */
  keys: readonly string[];
  /** The members of K that are extras (read as JSON, merged into AdditionalFields). */
  extras: readonly string[];
  /**
   * Where the records come from: rows of a stage table, or — for a plain JSON-lines file — the
   * file itself, read and split by DuckDB in parallel (the caller then verifies that every record
   * was taken, and falls back to staging otherwise).
   */
  source: { stage: string; filter: PassFilter } | { file: string };
}

/** The type a column is read as (JSON-valued columns still arrive as text). */
function fastType(t: KqlScalarType): string {
  return t === 'dynamic' || t === 'string' ? 'VARCHAR' : DUCKDB_STORAGE_TYPE[t];
}

function layoutOf(spec: FastSpec): Layout {
  const layout = new Layout(spec.shape === 'envelope', '_sf_js');
  for (const k of spec.keys) {
    const col = spec.table.columns.find((c) => c.name === k);
    layout.add(k, col ? fastType(col.type) : 'JSON');
  }
  return layout;
}

/** `_sf_js`: the typed parse, NULL when any value does not convert (or a key of K is missing). */
export function fastParseSql(spec: FastSpec): string {
  return `try(json_transform_strict(_sf_t, ${layoutOf(spec).structure()}))`;
}

/** True for the records the fast path takes (over `_sf_t` and `_sf_js`). */
export function fastPredicateSql(spec: FastSpec): string {
  const layout = layoutOf(spec);
  const keysPath = spec.shape === 'envelope' ? `, '$.properties'` : '';
  const parts = [`len(json_keys(_sf_t${keysPath})) = ${spec.keys.length}`];
  if (spec.shape === 'envelope') parts.push(`${layout.category()} = 'AdvancedHunting-' || $table`);
  if (spec.keys.includes('Timestamp')) parts.push(`${layout.get('Timestamp')} IS NOT NULL`);
  // Extras must carry a value, so that "rows with a value" is simply the number of rows inserted.
  for (const k of spec.extras) parts.push(`${layout.get(k)} IS NOT NULL AND ${layout.get(k)} <> '""'`);
  // json_keys only runs on rows the typed parse accepted (it would throw on malformed JSON).
  return `CASE WHEN _sf_js IS NULL THEN false ELSE ${parts.join(' AND ')} END`;
}

/** INSERT of the fast-path records; its row count is the number of records it took. */
export function buildFastInsertSql(
  spec: FastSpec,
  ingestTime: string,
): { sql: string; params: Record<string, string> } {
  const layout = layoutOf(spec);
  const cols = spec.table.columns;
  const keys = new Set(spec.keys);
  const value = (name: string, type: KqlScalarType): string => {
    if (!keys.has(name)) return type === 'string' ? `''` : 'NULL';
    const v = layout.get(name);
    if (type === 'string') return `COALESCE(${v}, '')`;
    if (type === 'dynamic')
      return `CASE WHEN json_valid(${v}) THEN CAST(${v} AS JSON) ELSE to_json(${v}) END`;
    return v;
  };
  const selected = cols.map((c, i) => `${value(c.name, c.type)} AS "c${i}"`);
  const extras = spec.extras.map((k, i) => `${layout.get(k)} AS "x${i}"`);
  const records =
    'file' in spec.source
      ? `SELECT json AS _sf_t FROM read_json_objects($path, format = 'newline_delimited')`
      : stageRowsSql(spec.source.stage, spec.source.filter);
  const rows = `SELECT ${[...selected, ...extras].join(', ')} FROM (SELECT _sf_t, ${fastParseSql(spec)} AS _sf_js FROM (${records})) WHERE ${fastPredicateSql(spec)}`;
  const af = cols.findIndex((c) => c.name === 'AdditionalFields');
  const merge = af >= 0 && spec.extras.length > 0;
  const afText = merge ? (cols[af]!.type === 'string' ? `"c${af}"` : `CAST("c${af}" AS VARCHAR)`) : '';
  const extrasObject = merge
    ? extrasObjectSql(
        afText,
        spec.extras,
        spec.extras.map((_, j) => `"x${j}"`),
      )
    : '';
  const withExtras = merge ? `SELECT *, ${extrasObject} AS _sf_e FROM (${rows})` : rows;
  const finals = cols.map((c, i) => {
    if (i !== af || !merge) return `"c${i}"`;
    const merged = mergedAdditionalFieldsSql(afText, '_sf_e');
    return c.type === 'string' ? merged : `CAST(${merged} AS JSON)`;
  });
  const target = [...cols.map((c) => ident(c.name)), ident(INGESTION_TIME_COLUMN)].join(', ');
  const sql = `INSERT INTO ${ident(spec.table.name)} (${target}) SELECT ${finals.join(', ')}, CAST($now AS TIMESTAMP_NS) FROM (${withExtras})`;
  // DuckDB refuses values for parameters a statement does not use.
  const params: Record<string, string> = { now: ingestTime };
  if ('file' in spec.source) params['path'] = spec.source.file;
  if (spec.shape === 'envelope' || ('filter' in spec.source && spec.source.filter.kind !== 'unrouted'))
    params['table'] = spec.table.name;
  return { sql, params };
}
