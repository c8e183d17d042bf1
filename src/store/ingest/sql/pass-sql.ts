import type { ColumnSchema, TableSchema } from '../../../schema/index.js';
import { extrasObjectSql, mergedAdditionalFieldsSql } from './additional-fields.js';
import { coerceSql, fallbackSql, typeLabel, unsetSentinelSql } from './coerce.js';
import { fastParseSql, fastPredicateSql, type FastSpec } from './fast-insert-sql.js';
import { Layout } from './layout.js';
import { ident, sqlString, sqlStringList } from './literals.js';
import { PASS_TABLE, REASONS, ROUTING_KEYS, type PassSpec } from './pass-spec.js';
import { stageRowsSql } from './stage-sql.js';

export * from './pass-spec.js';

/*
 * The general pass over staged records for one table, as a single CREATE TABLE AS: every key read
 * as text by one json_transform, each column coerced with TRY_CAST (fallbacks only where that
 * failed), and the pass table gets the finished row plus:
 *   _sf_reason = ''   → insert into the table
 *   _sf_reason = text → reject with that reason
 *   _sf_reason NULL   → the record belongs to another table (_sf_route), handled by a later pass
 *   _sf_keyhash       → hash of the record's key set (extras and other spellings are explained
 *                       once per key set, in JS)
 * Work only failures need (fallback formats, reason texts) sits behind CASE, so DuckDB evaluates
 * it only for those rows. Well-formed records of a known shape skip all this: fast-insert-sql.ts.
 */

function hasColumn(table: TableSchema, name: string): boolean {
  return table.columns.some((c) => c.name === name);
}

/** The source text of one column: its own key, then other spellings, then aliases. */
function sourceSql(spec: PassSpec, col: ColumnSchema, layout: Layout): string {
  const keys = [col.name, ...(spec.variants.get(col.name) ?? [])];
  // Sentinel's TimeGenerated is an alias of Timestamp; used when Timestamp itself is absent.
  for (const [alias, target] of Object.entries(spec.table.aliases)) {
    if (target === col.name && !hasColumn(spec.table, alias)) keys.push(alias);
  }
  const blankToNull = (k: string) =>
    col.type === 'string' ? `NULLIF(${layout.get(k)}, '')` : `NULLIF(trim(${layout.get(k)}), '')`;
  if (keys.length === 1) return col.type === 'string' ? layout.get(col.name) : blankToNull(col.name);
  return `COALESCE(${keys.map(blankToNull).join(', ')})`;
}

/** Every key read as text: columns, their other spellings, aliases, routing. */
function textKeys(spec: PassSpec): string[] {
  const keys = new Set<string>(spec.table.columns.map((c) => c.name));
  for (const vs of spec.variants.values()) for (const v of vs) keys.add(v);
  for (const alias of Object.keys(spec.table.aliases)) keys.add(alias);
  if (spec.shape === 'flat') for (const k of ROUTING_KEYS) keys.add(k);
  return [...keys];
}

function routeSql(spec: PassSpec, layout: Layout): string {
  switch (spec.shape) {
    case 'envelope':
      return `CASE WHEN starts_with(${layout.category()}, 'AdvancedHunting-') THEN substr(${layout.category()}, 17) END`;
    case 'flat': {
      const type = layout.get('Type');
      return `CASE WHEN list_contains(${sqlStringList(spec.knownTables)}, ${type}) THEN ${type} ELSE COALESCE($default, ${type}) END`;
    }
    case 'routed':
      return '_sf_tbl';
  }
}

function noTableReasonSql(spec: PassSpec): string {
  if (spec.shape === 'envelope') {
    const category = `COALESCE('''' || _sf_category || '''', 'missing')`;
    return `'category ' || ${category} || ': not AdvancedHunting-<Table>'`;
  }
  return sqlString(REASONS.noTable);
}

/** '' when every present value coerced (a cheap test); reason texts only for the failing rows. */
function columnReasonSql(cols: ColumnSchema[]): string {
  const ok: string[] = [];
  const failures: string[] = [];
  cols.forEach((c, i) => {
    // A present value that ended up NULL failed, unless it is the "no value" sentinel.
    const unset = unsetSentinelSql(c.type, `"s${i}"`);
    const failed = `"s${i}" IS NOT NULL AND "c${i}" IS NULL${unset ? ` AND NOT ${unset}` : ''}`;
    if (c.name === 'Timestamp') {
      ok.push(`"c${i}" IS NOT NULL`);
      failures.push(`CASE WHEN "s${i}" IS NULL OR ${unset ?? 'false'} THEN 'missing Timestamp' END`);
    }
    if (c.type === 'string' || c.type === 'dynamic') return;
    ok.push(`NOT (${failed})`);
    const label = sqlString(`${c.name}: not a ${typeLabel(c.type)}: "`);
    failures.push(`CASE WHEN ${failed} THEN ${label} || left("s${i}", 80) || '"' END`);
  });
  return ok.length
    ? `CASE WHEN ${ok.join(' AND ')} THEN '' ELSE concat_ws('; ', ${failures.join(', ')}) END`
    : `''`;
}

/** The per-row reason (see the file comment). */
function reasonSql(spec: PassSpec): string {
  const envelope = spec.shape === 'envelope';
  const cols = spec.table.columns;
  const noProperties = `_sf_keyhash = hash([]::VARCHAR[])`;
  const routedHere = envelope
    ? `CASE WHEN ${noProperties} THEN ${sqlString(REASONS.noProperties)} ELSE ${columnReasonSql(cols)} END`
    : columnReasonSql(cols);
  const noTable = envelope
    ? `CASE WHEN _sf_category IS NULL AND ${noProperties} THEN ${sqlString(REASONS.notRecord)} ELSE ${noTableReasonSql(spec)} END`
    : noTableReasonSql(spec);
  const unknownTable = `'unknown table ' || chr(39) || _sf_route || chr(39)`;
  return (
    `CASE WHEN _sf_keyhash IS NULL THEN ${sqlString(REASONS.malformed)} ` +
    `WHEN _sf_route = $table THEN ${routedHere} ` +
    `WHEN _sf_route IS NULL THEN ${noTable} ` +
    `WHEN NOT list_contains(${sqlStringList(spec.knownTables)}, _sf_route) THEN ${unknownTable} ` +
    `ELSE NULL END`
  );
}

/**
 * The pass as SQL. Parameters: $table (this table), $default (default table for flat rows, may be
 * NULL; only bound for the flat shape). With `skipFast`, records the fast path takes are left out.
 */
export function buildPassSql(
  spec: PassSpec,
  defaultTable: string | undefined,
  skipFast?: FastSpec,
): { sql: string; params: Record<string, string | null> } {
  const cols = spec.table.columns;
  const af = cols.findIndex((c) => c.name === 'AdditionalFields');
  const extras = spec.captured;
  const envelope = spec.shape === 'envelope';
  const keysPath = envelope ? `, '$.properties'` : '';

  let stage = stageRowsSql(spec.stage, spec.filter);
  if (skipFast) {
    const typed = `SELECT *, ${fastParseSql(skipFast)} AS _sf_js FROM (${stage})`;
    stage = `SELECT * EXCLUDE (_sf_js) FROM (${typed}) WHERE NOT COALESCE(${fastPredicateSql(skipFast)}, false)`;
  }
  // 1: parse every wanted key as text, extras as JSON.
  const layout = new Layout(envelope, '_sf_j');
  for (const k of extras) layout.add(k, 'JSON');
  for (const k of textKeys(spec)) layout.add(k, 'VARCHAR');
  const parsed = `SELECT *, try(json_transform(_sf_t, ${layout.structure()})) AS _sf_j FROM (${stage})`;
  // 2: routing, key set, source text per column (s0..), extras (x0..).
  const level2 = [
    '_sf_rec',
    `${routeSql(spec, layout)} AS _sf_route`,
    `CASE WHEN _sf_j IS NOT NULL THEN hash(json_keys(_sf_t${keysPath})) END AS _sf_keyhash`,
    ...(envelope ? [`${layout.category()} AS _sf_category`] : []),
    ...cols.map((c, i) => `${sourceSql(spec, c, layout)} AS "s${i}"`),
    ...extras.map((k, i) => `${layout.get(k)} AS "x${i}"`),
  ];
  // 3: first try (p0..); 4: fallbacks only where it failed (c0..).
  const level3 = `SELECT *, ${cols.map((c, i) => `${coerceSql(c.type, `"s${i}"`)} AS "p${i}"`).join(', ')} FROM (SELECT ${level2.join(', ')} FROM (${parsed}))`;
  const value = cols.map((c, i) => {
    const fb = fallbackSql(c.type, `"s${i}"`);
    if (!fb) return `"p${i}" AS "c${i}"`;
    const unset = unsetSentinelSql(c.type, `"s${i}"`);
    const second = unset ? `CASE WHEN ${unset} THEN NULL ELSE ${fb} END` : fb;
    return `CASE WHEN "p${i}" IS NULL AND "s${i}" IS NOT NULL THEN ${second} ELSE "p${i}" END AS "c${i}"`;
  });
  let level4 = `SELECT *, ${value.join(', ')} FROM (${level3})`;
  const merge = af >= 0 && extras.length > 0;
  const afText = merge ? (cols[af]!.type === 'string' ? `"c${af}"` : `CAST("c${af}" AS VARCHAR)`) : '';
  if (merge) {
    const e = extrasObjectSql(
      afText,
      extras,
      extras.map((_, i) => `"x${i}"`),
    );
    level4 = `SELECT *, ${e} AS _sf_e FROM (${level4})`;
  }
  const finals = cols.map((c, i) => {
    if (i !== af || !merge) return `"c${i}" AS ${ident(c.name)}`;
    const merged = mergedAdditionalFieldsSql(afText, '_sf_e');
    return `${c.type === 'string' ? merged : `CAST(${merged} AS JSON)`} AS ${ident(c.name)}`;
  });
  // Extras stay in the pass table, NULL when absent or empty, for the per-column counts.
  const extraOut = extras.map((_, i) => `CASE WHEN "x${i}" <> '""' THEN "x${i}" END AS "x${i}"`);
  const sql =
    `CREATE OR REPLACE TEMP TABLE ${PASS_TABLE} AS ` +
    `SELECT _sf_rec, _sf_route, _sf_keyhash, ${[...finals, ...extraOut].join(', ')}, ${reasonSql(spec)} AS _sf_reason ` +
    `FROM (${level4})`;
  const params: Record<string, string | null> = { table: spec.table.name };
  if (spec.shape === 'flat') params['default'] = defaultTable ?? null;
  return { sql, params };
}
