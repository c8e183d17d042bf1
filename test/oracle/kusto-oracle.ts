/**
 * Microsoft's KQL parser and binder (Kusto.Language) as a test oracle: what it accepts, what it
 * rejects and which result schema it infers, against *our* table schema. Load cost is paid once
 * per process (~0.5 s to load, ~1.5 s for the first parse while Kusto builds its static tables);
 * warm parses of hunting-sized queries take well under a millisecond.
 */
import { createRequire } from 'node:module';
import { lineCol } from '../../src/kql/diagnostics.js';
import { defenderSchema, type SchemaCatalog } from '../../src/schema/index.js';
import {
  bridgeAnalyze,
  bridgeGlobals,
  bridgeParse,
  type BridgeDiagnostic,
  type BridgeGlobals,
  type BridgeTableInput,
} from './kusto-bridge.js';

export interface OracleDiagnostic {
  /** Kusto's code, e.g. KS006 (missing expression), KS142 (unknown name), KS204 (unknown table). */
  code: string;
  /** Kusto's severity in lower case: 'error', 'warning', 'suggestion', 'information'. */
  severity: string;
  message: string;
  /** UTF-16 offsets, end exclusive (same convention as our Span). */
  start: number;
  end: number;
}

export interface OracleParseResult {
  /** No diagnostic of severity 'error'. */
  ok: boolean;
  diagnostics: OracleDiagnostic[];
}

export interface OracleColumn {
  name: string;
  type: string;
  /** The column is a schema alias (e.g. TimeGenerated) passed through from a table unchanged. */
  alias?: true;
}

export interface OracleAnalysis extends OracleParseResult {
  /** The syntax alone is accepted (same verdict as oracleParse). */
  syntaxOk: boolean;
  syntaxDiagnostics: OracleDiagnostic[];
  /** The query's result columns, when it ends in a tabular expression. */
  resultColumns?: OracleColumn[];
}

export interface OracleOptions {
  /** Tables the binder knows; default: the 62 Defender XDR tables. */
  schema?: SchemaCatalog;
  /**
   * Expose each table's aliases (TimeGenerated → Timestamp) as extra columns, because our binder
   * accepts them. Default true. Alias columns passing through unchanged are marked `alias`.
   */
  aliases?: boolean;
}

export const ORACLE_PACKAGE = '@kusto/language-service-next';

export function oracleVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(`${ORACLE_PACKAGE}/package.json`) as { version: string }).version;
}

function convert(d: BridgeDiagnostic): OracleDiagnostic {
  return {
    code: d.code,
    severity: d.severity.toLowerCase(),
    message: d.message,
    start: d.start,
    end: d.start + d.length,
  };
}

function isError(d: OracleDiagnostic): boolean {
  return d.severity === 'error';
}

/** Syntax only (no schema): the verdict the corpus's `syntax_ok` label records. */
export function oracleParse(text: string): OracleParseResult {
  const diagnostics = bridgeParse(text).map(convert);
  return { ok: !diagnostics.some(isError), diagnostics };
}

const globalsCache = new WeakMap<SchemaCatalog, Map<boolean, BridgeGlobals>>();

function globalsFor(schema: SchemaCatalog, aliases: boolean): BridgeGlobals {
  let bySchema = globalsCache.get(schema);
  if (!bySchema) {
    bySchema = new Map();
    globalsCache.set(schema, bySchema);
  }
  let g = bySchema.get(aliases);
  if (!g) {
    const tables: BridgeTableInput[] = schema.tables.map((t) => {
      const types = new Map(t.columns.map((c) => [c.name, c.type]));
      const aliasColumns = aliases
        ? Object.entries(t.aliases).flatMap(([alias, target]) => {
            const type = types.get(target);
            return type && !types.has(alias) ? [{ name: alias, type }] : [];
          })
        : [];
      return { name: t.name, description: t.description, columns: t.columns, aliasColumns };
    });
    g = bridgeGlobals('socfeed', tables);
    bySchema.set(aliases, g);
  }
  return g;
}

/** Parse and bind against our schema: semantic verdict plus the inferred result schema. */
export function oracleAnalyze(text: string, opts: OracleOptions = {}): OracleAnalysis {
  const globals = globalsFor(opts.schema ?? defenderSchema(), opts.aliases ?? true);
  const a = bridgeAnalyze(text, globals);
  const syntaxDiagnostics = a.syntax.map(convert);
  const diagnostics = a.all.map(convert);
  const out: OracleAnalysis = {
    ok: !diagnostics.some(isError),
    diagnostics,
    syntaxOk: !syntaxDiagnostics.some(isError),
    syntaxDiagnostics,
  };
  if (a.columns) {
    out.resultColumns = a.columns.map((c) =>
      c.isAlias ? { name: c.name, type: c.type, alias: true } : { name: c.name, type: c.type },
    );
  }
  return out;
}

export interface OracleCheck {
  /** Against our schema's real columns only: its result columns are what our binder must produce. */
  analysis: OracleAnalysis;
  /** Binds once our aliases (TimeGenerated) are allowed too: what our binder must accept. */
  okWithAliases: boolean;
  /** Diagnostics of the analysis with aliases when it was needed, otherwise the strict ones. */
  aliasDiagnostics: OracleDiagnostic[];
  /** Binds only thanks to an alias. */
  needsAliases: boolean;
}

function aliasNames(schema: SchemaCatalog): string[] {
  return [...new Set(schema.tables.flatMap((t) => Object.keys(t.aliases)))];
}

/**
 * Both verdicts the suites need, paying for the second analysis only when it can differ: with
 * alias columns a query can only newly bind if it failed without them and names an alias.
 */
export function oracleCheck(text: string, schema: SchemaCatalog = defenderSchema()): OracleCheck {
  const analysis = oracleAnalyze(text, { schema, aliases: false });
  const names = aliasNames(schema);
  if (analysis.ok || names.length === 0 || !new RegExp(`\\b(${names.join('|')})\\b`).test(text)) {
    return {
      analysis,
      okWithAliases: analysis.ok,
      aliasDiagnostics: analysis.diagnostics,
      needsAliases: false,
    };
  }
  const aliased = oracleAnalyze(text, { schema, aliases: true });
  return {
    analysis,
    okWithAliases: aliased.ok,
    aliasDiagnostics: aliased.diagnostics,
    needsAliases: aliased.ok,
  };
}

/** First error diagnostic as `KS006 Missing expression @3:14` (line:col in `text`), for one-line reports. */
export function describeOracleError(diags: readonly OracleDiagnostic[], text: string): string {
  const d = diags.find(isError);
  if (!d) return '(no error)';
  const p = lineCol(text, d.start);
  return `${d.code} ${d.message} @${p.line}:${p.col}`;
}
