import { diag, hasErrors, type Diagnostic, type Span } from '../kql/diagnostics.js';
import { parse } from '../kql/syntax/parser.js';
import type { QueryBody } from '../kql/syntax/ast.js';
import { bind } from '../kql/semantics/binder.js';
import type { BagKeyRequest, ChartHint } from '../kql/semantics/scope.js';
import type { SchemaCatalog, KqlScalarType } from '../schema/index.js';
import type { Rel } from './ir/nodes.js';
import { lowerRel } from './lower.js';
import { SqlPrinter } from './ast/printer.js';
import type { SqlQuery } from './ast/nodes.js';
import { UnsupportedFeature, type Dialect } from './dialects/dialect.js';
import { getDialect } from './dialects/registry.js';

export interface CompileOptions {
  schema: SchemaCatalog;
  dialect?: Dialect | string;
  /** `now()` for the query; defaults to the current time. */
  now?: Date;
  /** bag_unpack keys found in the data (from an earlier result's bagKeyRequests). */
  bagKeys?: Record<number, string[]>;
}

/** Every stage's output is plain data, so `socfeed compile --emit …` and tests can inspect any of them. */
export interface CompileResult {
  diagnostics: Diagnostic[];
  ast?: QueryBody;
  rel?: Rel;
  columns?: { name: string; type: KqlScalarType }[];
  sqlTree?: SqlQuery;
  sql?: string;
  chart?: ChartHint;
  /** bag_unpack calls whose columns come from the data: run `rel`, collect the keys, compile again with `bagKeys`. */
  bagKeyRequests?: BagKeyRequest[];
}

export function nowTicks(now: Date = new Date()): bigint {
  return BigInt(now.getTime()) * 10_000n;
}

/** Parse and bind only (no SQL): what the validator and editors need. */
export function analyzeKql(text: string, opts: CompileOptions): CompileResult {
  const parsed = parse(text);
  const result: CompileResult = { diagnostics: [...parsed.diagnostics], ast: parsed.ast };
  if (hasErrors(parsed.diagnostics)) return result;
  try {
    const bound = bind(parsed.ast, {
      schema: opts.schema,
      nowTicks: nowTicks(opts.now),
      ...(opts.bagKeys ? { bagKeys: opts.bagKeys } : {}),
    });
    result.diagnostics.push(...bound.diagnostics);
    if (bound.bagKeyRequests) result.bagKeyRequests = bound.bagKeyRequests;
    if (bound.rel && !hasErrors(bound.diagnostics)) {
      result.rel = bound.rel;
      result.columns = bound.rel.cols.map((c) => ({ name: c.name, type: c.type }));
    }
    if (bound.chart) result.chart = bound.chart;
  } catch (e) {
    result.diagnostics.push(internalError(e, text));
  }
  return result;
}

/** KQL text → SQL for one dialect, with the result schema and every diagnostic. Never throws. */
export function compileKql(text: string, opts: CompileOptions): CompileResult {
  const result = analyzeKql(text, opts);
  if (!result.rel || hasErrors(result.diagnostics)) return result;
  const dialect =
    typeof opts.dialect === 'string' || opts.dialect === undefined
      ? getDialect(opts.dialect ?? 'duckdb')
      : opts.dialect;
  const lowered = lowerToSql(result.rel, dialect, text);
  result.diagnostics.push(...lowered.diagnostics);
  if (lowered.sqlTree) {
    result.sqlTree = lowered.sqlTree;
    result.sql = lowered.sql!;
  }
  return result;
}

/** IR → SQL text; unsupported features become SF3xx diagnostics instead of exceptions. */
export function lowerToSql(
  rel: Rel,
  dialect: Dialect,
  text = '',
): { sqlTree?: SqlQuery; sql?: string; diagnostics: Diagnostic[] } {
  try {
    const sqlTree = lowerRel(rel, dialect);
    const sql = new SqlPrinter(dialect).query(sqlTree);
    return { sqlTree, sql, diagnostics: [] };
  } catch (e) {
    if (e instanceof UnsupportedFeature) {
      const span: Span = e.span ?? { start: 0, end: Math.min(text.length, 1) };
      return { diagnostics: [diag(e.code, e.message, span)] };
    }
    return { diagnostics: [internalError(e, text)] };
  }
}

function internalError(e: unknown, text: string): Diagnostic {
  const message = (e as Error)?.message ?? String(e);
  return diag(
    'SF900',
    `internal error (a bug in socfeed; please report it): ${message.replace(/^SF900: /, '')}`,
    { start: 0, end: Math.min(text.length, 1) },
  );
}
