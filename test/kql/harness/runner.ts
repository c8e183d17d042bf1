/**
 * Runs one `.kqltest` record: loads the fixtures in force, runs the KQL through the engine
 * adapter, and returns undefined on success or a failure message naming `file:line`, the dialect,
 * the query, expected vs actual and, when the compiler exposes it, the generated SQL.
 */
import { fileURLToPath } from 'node:url';
import { lineCol, renderDiagnostics, type Diagnostic } from '../../../src/kql/diagnostics.js';
import type { SchemaCatalog } from '../../../src/schema/index.js';
import type { Store } from '../../../src/store/store.js';
import { generatedSql, runQuery, type Dialect } from '../../conformance/engine-adapter.js';
import { compareColumns, compareRows, renderActualTable, renderTable } from './compare.js';
import { applyFixtures, type Fixture } from './fixtures.js';
import type { ErrorRecord, KqlTestRecord, QueryRecord } from './format.js';

/** `now()` for every record, so time-relative queries are reproducible. */
export const HARNESS_NOW = new Date('2025-03-15T12:00:00Z');

/** Local copies of the URLs `externaldata` records name (looked up by file name, see src/engine/externaldata.ts). */
export const HARNESS_EXTERNALDATA_DIR = fileURLToPath(new URL('../fixtures/externaldata', import.meta.url));

export interface FileContext {
  path: string;
  store: Store;
  schema: SchemaCatalog;
  /** Which fixture each table currently holds. */
  loaded: Map<string, Fixture>;
}

/** Whether the record runs on `dialect` (skipif/onlyif). */
export function runsOn(rec: KqlTestRecord, dialect: Dialect): boolean {
  const only = rec.conditions.filter((c) => c.kind === 'onlyif');
  if (only.length > 0 && !only.some((c) => c.dialect === dialect)) return false;
  return !rec.conditions.some((c) => c.kind === 'skipif' && c.dialect === dialect);
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

async function sqlSection(kql: string, schema: SchemaCatalog, ran?: string): Promise<string[]> {
  const sql = ran ?? (await generatedSql(kql, schema));
  return sql ? ['generated SQL:', indent(sql)] : ['generated SQL: (not available from the compiler)'];
}

export async function runRecord(
  ctx: FileContext,
  rec: KqlTestRecord,
  dialect: Dialect,
): Promise<string | undefined> {
  await applyFixtures(ctx.store, ctx.schema, rec.fixtures, ctx.loaded);
  const problem =
    rec.kind === 'query' ? await checkQuery(ctx, rec, dialect) : await checkError(ctx, rec, dialect);
  if (problem === undefined) return undefined;
  return [
    `${ctx.path}:${rec.line} [${dialect}] ${problem.headline}`,
    'query:',
    indent(rec.kql),
    ...problem.details,
    ...(await sqlSection(rec.kql, ctx.schema, problem.sql)),
  ].join('\n');
}

interface Problem {
  headline: string;
  details: string[];
  /** The SQL that ran, when the engine reported it. */
  sql?: string;
}

function expectedTable(rec: QueryRecord): string {
  return renderTable(
    rec.columns.map((c) => `${c.name}:${c.type}`).join('\t'),
    rec.rows.map((r) => r.map((c) => c.text)),
  );
}

async function checkQuery(
  ctx: FileContext,
  rec: QueryRecord,
  dialect: Dialect,
): Promise<Problem | undefined> {
  const outcome = await runQuery(ctx.store, rec.kql, {
    now: HARNESS_NOW,
    source: `${ctx.path}:${rec.kqlLine}`,
    dialect,
    externalDataDir: HARNESS_EXTERNALDATA_DIR,
  });
  const expected = ['expected:', expectedTable(rec)];
  if (outcome.kind === 'compile-error') {
    return {
      headline: 'compilation failed',
      details: [...expected, 'diagnostics:', indent(renderDiagnostics(rec.kql, outcome.diagnostics))],
    };
  }
  if (outcome.kind === 'error') {
    return {
      headline: `engine error${outcome.code ? ` ${outcome.code}` : ''}: ${outcome.message}`,
      details: expected,
    };
  }
  const diff =
    compareColumns(rec.columns, outcome.result.columns) ?? compareRows(rec.rows, outcome.result, rec.ordered);
  if (diff === undefined) return undefined;
  const p: Problem = {
    headline: diff,
    details: [
      ...expected,
      `actual${rec.ordered ? '' : ' (unordered comparison)'}:`,
      renderActualTable(outcome.result),
    ],
  };
  if (outcome.sql) p.sql = outcome.sql;
  return p;
}

function matchesError(rec: ErrorRecord, d: Diagnostic): boolean {
  if (d.code !== rec.code || d.severity !== 'error') return false;
  if (rec.at) {
    const p = lineCol(rec.kql, d.span.start);
    if (p.line !== rec.at.line || p.col !== rec.at.col) return false;
  }
  return rec.message ? rec.message.test(d.message) : true;
}

async function checkError(
  ctx: FileContext,
  rec: ErrorRecord,
  dialect: Dialect,
): Promise<Problem | undefined> {
  const want = `${rec.code}${rec.at ? ` at ${rec.at.line}:${rec.at.col}` : ''}${rec.message ? ` matching /${rec.message.source}/` : ''}`;
  const outcome = await runQuery(ctx.store, rec.kql, {
    now: HARNESS_NOW,
    source: `${ctx.path}:${rec.kqlLine}`,
    dialect,
    externalDataDir: HARNESS_EXTERNALDATA_DIR,
  });
  if (outcome.kind === 'ok') {
    const p: Problem = {
      headline: `expected error ${want}, but the query ran`,
      details: ['actual:', renderActualTable(outcome.result)],
    };
    if (outcome.sql) p.sql = outcome.sql;
    return p;
  }
  if (outcome.kind === 'error') {
    return {
      headline: `expected error ${want}, got engine error${outcome.code ? ` ${outcome.code}` : ''}: ${outcome.message}`,
      details: [],
    };
  }
  if (outcome.diagnostics.some((d) => matchesError(rec, d))) return undefined;
  return {
    headline: `expected error ${want}`,
    details: ['diagnostics:', indent(renderDiagnostics(rec.kql, outcome.diagnostics))],
  };
}
