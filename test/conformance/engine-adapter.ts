/**
 * The measurement suites' only door into the engine. When the engine's API moves, change the
 * constants and the small functions here, nothing else.
 *
 * The parser and the compile function are imported dynamically by a computed specifier so this
 * file type-checks whether or not they exist yet; their shapes are checked at run time and a
 * mismatch is reported as a clear error, never guessed around.
 */
import type { Diagnostic } from '../../src/kql/diagnostics.js';
import { KqlCompileError, runKql } from '../../src/engine/run.js';
import type { KqlResult } from '../../src/engine/types.js';
import type { Store } from '../../src/store/store.js';
import { defenderSchema, type SchemaCatalog } from '../../src/schema/index.js';

// ---- the single place to change -------------------------------------------------------------

/** `parse(text): { ast, diagnostics }` (diagnostics of severity 'error' mean rejected). */
const PARSER_MODULE = '../../src/kql/syntax/parser.js';
const PARSER_EXPORT = 'parse';
/** `compileKql(kql, { schema }) → { diagnostics, columns?, sql? }`, looked up in this order. */
const COMPILER_MODULES = ['../../src/engine/run.js', '../../src/sql/compile.js'];
const COMPILER_EXPORT = 'compileKql';
/** SQL dialects the engine can run today; `.kqltest` records run on each. */
export const DIALECTS = ['duckdb'] as const;
export type Dialect = (typeof DIALECTS)[number];

// ---- types the suites use -------------------------------------------------------------------

export interface ParserOutput {
  ast: unknown;
  diagnostics: Diagnostic[];
}
export type ParseFn = (text: string) => ParserOutput;

export interface ResultColumn {
  name: string;
  type: string;
}

export interface CompileOutput {
  diagnostics: Diagnostic[];
  columns?: ResultColumn[];
  sql?: string;
}

export type Availability<T> = { available: true; value: T } | { available: false; reason: string };

export type RunOutcome =
  /** `sql`: the SQL that ran, when the engine reports it. */
  | { kind: 'ok'; result: KqlResult; sql?: string }
  | { kind: 'compile-error'; diagnostics: Diagnostic[]; message: string }
  /** Anything else thrown: runtime failure, engine bug, "not implemented". */
  | { kind: 'error'; message: string; code?: string };

// ---- loading --------------------------------------------------------------------------------

async function importIfPresent(specifier: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    // Only "this very module does not exist" means not landed yet; a module that exists but fails
    // to load (syntax error, missing dependency of its own) is a real error and must surface.
    const target = specifier.replace(/^(\.\.\/)+/, '').replace(/\.js$/, '');
    if (err.code === 'ERR_MODULE_NOT_FOUND' && (err.message ?? '').includes(target)) return undefined;
    throw e;
  }
}

let parserPromise: Promise<Availability<ParseFn>> | undefined;

export function parserAvailability(): Promise<Availability<ParseFn>> {
  parserPromise ??= (async (): Promise<Availability<ParseFn>> => {
    const mod = await importIfPresent(PARSER_MODULE);
    if (!mod) return { available: false, reason: `parser module ${PARSER_MODULE} does not exist yet` };
    const fn = mod[PARSER_EXPORT];
    if (typeof fn !== 'function') {
      return { available: false, reason: `${PARSER_MODULE} does not export a function '${PARSER_EXPORT}'` };
    }
    return { available: true, value: fn as ParseFn };
  })();
  return parserPromise;
}

/** The parser, or an error naming why it cannot be used. */
export async function loadParser(): Promise<ParseFn> {
  const p = await parserAvailability();
  if (!p.available) throw new Error(`socfeed parser not available: ${p.reason}`);
  return p.value;
}

type CompileFn = (kql: string, opts: { schema: SchemaCatalog }) => unknown;
let compilerPromise: Promise<Availability<CompileFn>> | undefined;

export function compilerAvailability(): Promise<Availability<CompileFn>> {
  compilerPromise ??= (async (): Promise<Availability<CompileFn>> => {
    for (const spec of COMPILER_MODULES) {
      const mod = await importIfPresent(spec);
      const fn = mod?.[COMPILER_EXPORT];
      if (typeof fn === 'function') return { available: true, value: fn as CompileFn };
    }
    return {
      available: false,
      reason: `no module of ${COMPILER_MODULES.join(', ')} exports ${COMPILER_EXPORT}()`,
    };
  })();
  return compilerPromise;
}

// ---- calling --------------------------------------------------------------------------------

function isDiagnosticArray(v: unknown): v is Diagnostic[] {
  return (
    Array.isArray(v) &&
    v.every((d) => typeof d === 'object' && d !== null && typeof (d as Diagnostic).code === 'string')
  );
}

function isColumnArray(v: unknown): v is ResultColumn[] {
  return (
    Array.isArray(v) &&
    v.every(
      (c) =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as ResultColumn).name === 'string' &&
        typeof (c as ResultColumn).type === 'string',
    )
  );
}

/** Checks the compile function's answer; accepts `columns` (the agreed name) or STYLE's `resultSchema`. */
function toCompileOutput(raw: unknown): CompileOutput {
  const r = raw as { diagnostics?: unknown; columns?: unknown; resultSchema?: unknown; sql?: unknown };
  if (typeof raw !== 'object' || raw === null || !isDiagnosticArray(r.diagnostics)) {
    throw new Error(`${COMPILER_EXPORT}() did not return { diagnostics: Diagnostic[] }`);
  }
  const out: CompileOutput = { diagnostics: r.diagnostics };
  const cols = r.columns ?? r.resultSchema;
  if (cols !== undefined && cols !== null) {
    if (!isColumnArray(cols))
      throw new Error(`${COMPILER_EXPORT}() returned columns that are not {name, type}[]`);
    out.columns = cols;
  }
  if (typeof r.sql === 'string') out.sql = r.sql;
  return out;
}

/**
 * Our result schema for `kql` (what the binder infers), or why it cannot be computed. An exception
 * thrown by the compiler propagates: the caller reports it as a defect.
 */
export async function ourResultSchema(
  kql: string,
  schema: SchemaCatalog = defenderSchema(),
): Promise<Availability<CompileOutput>> {
  const c = await compilerAvailability();
  if (!c.available) return { available: false, reason: c.reason };
  return { available: true, value: toCompileOutput(await c.value(kql, { schema })) };
}

/** The SQL the compiler generates for `kql`, when it can say (for failure messages only). */
export async function generatedSql(
  kql: string,
  schema: SchemaCatalog = defenderSchema(),
): Promise<string | undefined> {
  try {
    const r = await ourResultSchema(kql, schema);
    return r.available ? r.value.sql : undefined;
  } catch {
    return undefined;
  }
}

export interface RunQueryOptions {
  now: Date;
  source?: string;
  /** Reserved: runKql runs DuckDB only today; a second dialect will be selected here. */
  dialect?: Dialect;
  /** Local copies of externaldata URLs (RunOptions.externalDataDir). */
  externalDataDir?: string;
}

/**
 * Runs `kql` on `store` in this process and classifies the outcome; never throws. A runaway query
 * (say `range(1, 1000000000)` materialised in DuckDB) cannot be stopped in-process — DuckDB's
 * interrupt does not reach it and memory grows by gigabytes — so suites that run arbitrary queries
 * use IsolatedEngine (isolated-engine.ts), which runs this in a child process it can kill.
 */
export async function runQuery(store: Store, kql: string, opts: RunQueryOptions): Promise<RunOutcome> {
  return classify(
    runKql(store, kql, {
      now: opts.now,
      source: opts.source ?? '<query>',
      ...(opts.externalDataDir !== undefined ? { externalDataDir: opts.externalDataDir } : {}),
    }),
  );
}

/** How a suite runs a query: `(kql, o) => runQuery(store, kql, o)`, or IsolatedEngine.run. */
export type QueryRunner = (
  kql: string,
  opts: { now: Date; source: string; externalDataDir?: string },
) => Promise<RunOutcome>;

async function classify(pending: Promise<KqlResult>): Promise<RunOutcome> {
  try {
    const result = await pending;
    const sql = (result as KqlResult & { sql?: unknown }).sql;
    return typeof sql === 'string' ? { kind: 'ok', result, sql } : { kind: 'ok', result };
  } catch (e) {
    if (e instanceof KqlCompileError)
      return { kind: 'compile-error', diagnostics: e.diagnostics, message: e.message };
    const err = e as { message?: unknown; code?: unknown; diagnostics?: unknown };
    // A second copy of the error class (e.g. loaded through another path) still carries diagnostics.
    if (isDiagnosticArray(err.diagnostics) && err.diagnostics.length > 0) {
      return { kind: 'compile-error', diagnostics: err.diagnostics, message: String(err.message ?? '') };
    }
    const out: RunOutcome = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    if (typeof err.code === 'string') out.code = err.code;
    return out;
  }
}

/** The error diagnostics first, then the rest (a compile failure is described by its first error). */
export function firstError(diags: readonly Diagnostic[]): Diagnostic | undefined {
  return diags.find((d) => d.severity === 'error') ?? diags[0];
}
