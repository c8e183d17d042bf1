// Vitest wrapper of task 3: the oracle checked against the corpus labels (oracle-labels.ts), then
// our parser and binder against the oracle (parser-agreement.ts). One oracle analysis per record
// serves both. Reports: artifacts/conformance/{oracle-labels,parser-agreement}.txt.
import { describe, expect, it } from 'vitest';
import { oracleCheck, type OracleCheck } from '../oracle/kusto-oracle.js';
import { loadCorpus, type CorpusRecord } from './corpus.js';
import { labelsReport, runOracleLabels } from './oracle-labels.js';
import { agreementReport, runParserAgreement } from './parser-agreement.js';
import { meetsMinimum, publishSummary, threshold, writeReport } from './report.js';
import { CORPUS_FILE, missingData } from './shared-data.js';

const missing = missingData(CORPUS_FILE);
if (missing) console.warn(`parser agreement suite skipped: ${missing}`);

describe.skipIf(missing !== undefined)('parser agreement with Kusto.Language', () => {
  const records = missing ? [] : loadCorpus(CORPUS_FILE);
  const checks = new Map<string, OracleCheck>();
  const check = (r: CorpusRecord): OracleCheck => {
    let c = checks.get(r.id);
    if (!c) checks.set(r.id, (c = oracleCheck(r.query)));
    return c;
  };

  it('oracle-labels', (ctx) => {
    const t = threshold('oracle-syntax-labels');
    const result = runOracleLabels(records, check);
    const { summary, lines } = labelsReport(result, t);
    const path = writeReport('oracle-labels', lines);
    publishSummary(ctx, summary);
    expect(
      meetsMinimum(result.syntaxAgree, result.total, t),
      `below the minimum: ${summary[0]}; see ${path}`,
    ).toBe(true);
    // Analysing 1,352 queries with the oracle: over a minute on a busy 2-core machine.
  }, 600_000);

  it('parser-agreement', async (ctx) => {
    const tAccept = threshold('parser-acceptance');
    const tSchema = threshold('result-schema');
    const result = await runParserAgreement(records, check);
    const { summary, lines } = agreementReport(result, tAccept, tSchema);
    const path = writeReport('parser-agreement', lines);
    publishSummary(ctx, summary);
    expect(
      meetsMinimum(result.agree, result.total, tAccept),
      `below the minimum: ${summary[0]}; see ${path}`,
    ).toBe(true);
    expect(
      meetsMinimum(result.schema.agree, result.schema.compared, tSchema),
      `below the minimum: ${summary[1]}; see ${path}`,
    ).toBe(true);
  }, 600_000);
});
