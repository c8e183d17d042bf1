/**
 * Checks the oracle itself against the corpus labels (syntax_ok, semantic_ok, produced with
 * Microsoft's parser by the corpus builder). Syntax must agree completely: it does not depend on a
 * schema. Semantic agreement depends on the schema the labeller used, which is not ours (it has
 * e.g. AADSignInEventsBeta, and TimeGenerated on Defender tables), so it is reported, not enforced:
 * once against our schema as is, once with our TimeGenerated alias columns.
 */
import { describeOracleError, type OracleCheck } from '../oracle/kusto-oracle.js';
import type { CorpusRecord } from './corpus.js';
import { oneLine, summaryLine, type Threshold } from './report.js';

export interface LabelsResult {
  total: number;
  syntaxAgree: number;
  strictAgree: number;
  aliasAgree: number;
  syntaxDisagreements: string[];
  /** Label vs oracle (aliases on), with the oracle's first error. */
  semanticDisagreements: string[];
  /** Causes of semantic disagreement, `KS142 'TimeGenerated'`-style keys with counts. */
  causes: Map<string, number>;
}

function causeKey(message: string, code: string): string {
  const name = /'([^']+)'/.exec(message);
  return name ? `${code} '${name[1]}'` : `${code} ${message.slice(0, 60)}`;
}

export function runOracleLabels(
  records: readonly CorpusRecord[],
  check: (r: CorpusRecord) => OracleCheck,
): LabelsResult {
  const out: LabelsResult = {
    total: records.length,
    syntaxAgree: 0,
    strictAgree: 0,
    aliasAgree: 0,
    syntaxDisagreements: [],
    semanticDisagreements: [],
    causes: new Map(),
  };
  for (const r of records) {
    const c = check(r);
    const a = c.analysis;
    if (a.syntaxOk === r.syntax_ok) out.syntaxAgree++;
    else
      out.syntaxDisagreements.push(
        `${r.id}: label syntax_ok=${r.syntax_ok}, oracle ${a.syntaxOk ? 'accepts' : `rejects: ${oneLine(describeOracleError(a.syntaxDiagnostics, r.query))}`}`,
      );
    if (a.ok === r.semantic_ok) out.strictAgree++;
    if (c.okWithAliases === r.semantic_ok) {
      out.aliasAgree++;
      continue;
    }
    const err = c.aliasDiagnostics.find((d) => d.severity === 'error');
    const key = err ? causeKey(err.message, err.code) : 'oracle accepts, label says semantic error';
    out.causes.set(key, (out.causes.get(key) ?? 0) + 1);
    out.semanticDisagreements.push(
      `${r.id}: label semantic_ok=${r.semantic_ok}, oracle ${c.okWithAliases ? 'accepts' : `rejects: ${oneLine(describeOracleError(c.aliasDiagnostics, r.query))}`}`,
    );
  }
  return out;
}

export function labelsReport(r: LabelsResult, tSyntax: Threshold): { summary: string[]; lines: string[] } {
  const summary = [
    summaryLine('oracle-syntax-labels', r.syntaxAgree, r.total, tSyntax),
    `${summaryLine('oracle-semantic-labels', r.aliasAgree, r.total)} (our schema + TimeGenerated alias; ${r.strictAgree}/${r.total} without the alias; informational)`,
  ];
  const causes = [...r.causes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`);
  const lines = [
    ...summary,
    '',
    `syntax disagreements (${r.syntaxDisagreements.length}):`,
    ...r.syntaxDisagreements,
    '',
    'semantic disagreements by cause (schema differences between the labeller and us):',
    ...causes,
    '',
    `every semantic disagreement (${r.semanticDisagreements.length}):`,
    ...r.semanticDisagreements,
  ];
  return { summary, lines };
}
