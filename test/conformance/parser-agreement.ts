/**
 * Parser agreement with Microsoft's parser as the oracle, on every corpus record (whole text, as
 * the corpus labels are):
 *   acceptance     our parser accepts/rejects exactly what Kusto.Language's parser does;
 *   result schema  for records that bind in both (oracle: our 62 tables, no error; ours:
 *                  compileKql returns result columns), the result columns' names and KQL types
 *                  agree. Records that bind in the oracle only through our TimeGenerated alias
 *                  are counted but not compared: Kusto can only model the alias as an extra
 *                  column, which would then show up in `T | take 1` and in join renames.
 */
import { lineCol, type Diagnostic } from '../../src/kql/diagnostics.js';
import { describeOracleError, type OracleCheck, type OracleColumn } from '../oracle/kusto-oracle.js';
import type { CorpusRecord } from './corpus.js';
import { firstError, ourResultSchema, parserAvailability, type ResultColumn } from './engine-adapter.js';
import { oneLine, summaryLine, type Threshold } from './report.js';

export interface AgreementResult {
  total: number;
  agree: number;
  /** Lines `id: verdicts; ours: …; oracle: …`. */
  disagreements: string[];
  /** Disagreements where our parser's only errors are SF3xx (unsupported feature). */
  unsupportedOnly: number;
  parserUnavailable?: string;
  schema: {
    compared: number;
    agree: number;
    mismatches: string[];
    /** Records the oracle binds but our compiler rejects (not in the comparison). */
    oursRejects: string[];
    oracleBinds: number;
    /** Records the oracle binds only with the TimeGenerated alias (not compared). */
    aliasOnly: number;
    compilerUnavailable?: string;
  };
  /** Slowest parses of our parser. */
  slowest: { id: string; ms: number }[];
}

function describeOurs(text: string, d: Diagnostic | undefined): string {
  if (!d) return '(no error)';
  const p = lineCol(text, d.span.start);
  return `${d.code} ${d.message} @${p.line}:${p.col}`;
}

function columnsText(cols: readonly { name: string; type: string }[]): string {
  return cols.map((c) => `${c.name}:${c.type}`).join(', ');
}

export function compareSchemas(
  want: readonly OracleColumn[],
  ours: readonly ResultColumn[],
): string | undefined {
  const n = Math.max(want.length, ours.length);
  for (let i = 0; i < n; i++) {
    const w = want[i];
    const o = ours[i];
    if (w?.name !== o?.name || w?.type !== o?.type) {
      const show = (c: { name: string; type: string } | undefined): string =>
        c ? `${c.name}:${c.type}` : '(none)';
      return `column ${i + 1}: oracle ${show(w)}, ours ${show(o)} | oracle [${columnsText(want)}] ours [${columnsText(ours)}]`;
    }
  }
  return undefined;
}

/** `check` returns the oracle's verdicts for a record (shared with the labels check). */
export async function runParserAgreement(
  records: readonly CorpusRecord[],
  check: (r: CorpusRecord) => OracleCheck,
): Promise<AgreementResult> {
  const parser = await parserAvailability();
  const out: AgreementResult = {
    total: records.length,
    agree: 0,
    disagreements: [],
    unsupportedOnly: 0,
    schema: { compared: 0, agree: 0, mismatches: [], oursRejects: [], oracleBinds: 0, aliasOnly: 0 },
    slowest: [],
  };
  if (!parser.available) out.parserUnavailable = parser.reason;
  const times: { id: string; ms: number }[] = [];

  for (const r of records) {
    const checked = check(r);
    const oracle = checked.analysis;
    // -- acceptance --
    if (!parser.available) {
      out.disagreements.push(`${r.id}: our parser is not available (${parser.reason})`);
    } else {
      let ours: { ok: boolean; errors: Diagnostic[] } | { threw: string };
      const started = performance.now();
      try {
        const res = parser.value(r.query);
        const errors = res.diagnostics.filter((d) => d.severity === 'error');
        ours = { ok: errors.length === 0, errors };
      } catch (e) {
        ours = { threw: e instanceof Error ? e.message : String(e) };
      }
      times.push({ id: r.id, ms: performance.now() - started });
      if ('threw' in ours) {
        out.disagreements.push(
          `${r.id}: our parser THREW: ${oneLine(ours.threw)} | oracle: ${describeOracleError(oracle.syntaxDiagnostics, r.query)}`,
        );
      } else if (ours.ok === oracle.syntaxOk) {
        out.agree++;
      } else {
        // A rejection made only of SF3xx is "valid KQL we do not support" raised by the parser;
        // STYLE.md keeps SF3xx apart from syntax errors, so it is marked for the reader.
        const unsupportedOnly = !ours.ok && ours.errors.every((d) => d.code.startsWith('SF3'));
        const verdict = ours.ok
          ? 'ours accepts, oracle rejects'
          : `ours rejects${unsupportedOnly ? ' (SF3xx only: unsupported, not a syntax error)' : ''}, oracle accepts`;
        if (unsupportedOnly) out.unsupportedOnly++;
        out.disagreements.push(
          `${r.id}: ${verdict} | ours: ${oneLine(describeOurs(r.query, ours.errors[0]))} | oracle: ${oneLine(describeOracleError(oracle.syntaxDiagnostics, r.query))}`,
        );
      }
    }
    // -- result schema --
    if (checked.needsAliases) out.schema.aliasOnly++;
    if (!oracle.ok || !oracle.resultColumns) continue;
    out.schema.oracleBinds++;
    if (out.schema.compilerUnavailable) continue;
    let schema;
    try {
      schema = await ourResultSchema(r.query);
    } catch (e) {
      out.schema.oursRejects.push(
        `${r.id}: compileKql THREW: ${oneLine(e instanceof Error ? e.message : String(e))}`,
      );
      continue;
    }
    if (!schema.available) {
      out.schema.compilerUnavailable = schema.reason;
      continue;
    }
    // Columns are the binder's product; an SF3xx from SQL lowering afterwards does not void them.
    if (!schema.value.columns) {
      const err = firstError(schema.value.diagnostics);
      out.schema.oursRejects.push(
        `${r.id}: ${err ? oneLine(describeOurs(r.query, err)) : 'no result columns and no diagnostic'}`,
      );
      continue;
    }
    out.schema.compared++;
    const diff = compareSchemas(oracle.resultColumns, schema.value.columns);
    if (diff === undefined) out.schema.agree++;
    else out.schema.mismatches.push(`${r.id}: ${oneLine(diff, 600)}`);
  }
  out.slowest = times.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return out;
}

export function agreementReport(
  r: AgreementResult,
  tAccept: Threshold,
  tSchema: Threshold,
): { summary: string[]; lines: string[] } {
  const s = r.schema;
  const summary = [
    summaryLine('parser-acceptance', r.agree, r.total, tAccept) +
      (r.parserUnavailable ? ` — parser not available: ${r.parserUnavailable}` : ''),
    summaryLine('result-schema', s.agree, s.compared, tSchema) +
      ` — of ${s.oracleBinds} records the oracle binds (plus ${s.aliasOnly} only via the TimeGenerated alias, not compared), ${s.compared} bind in ours too` +
      (s.compilerUnavailable
        ? `; compiler not available: ${s.compilerUnavailable}`
        : `, ${s.oursRejects.length} rejected by ours`),
  ];
  const lines = [
    ...summary,
    '',
    'Oracle: Kusto.Language (@kusto/language-service-next) syntax diagnostics for acceptance; ParseAndAnalyze',
    "with our 62 Defender tables for result schemas. Diagnostics: 'code message @line:col'.",
    '',
    `acceptance disagreements (${r.disagreements.length}; ${r.unsupportedOnly} of them our parser's SF3xx only):`,
    ...r.disagreements,
    '',
    `result-schema mismatches (${s.mismatches.length}):`,
    ...s.mismatches,
    '',
    `records the oracle binds but ours rejects (${s.oursRejects.length}):`,
    ...s.oursRejects,
    '',
    'slowest parses (ours):',
    ...r.slowest.map((x) => `  ${x.ms.toFixed(1)} ms  ${x.id}`),
  ];
  return { summary, lines };
}
