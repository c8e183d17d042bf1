// Vitest wrapper of the execution suite (execution.ts): runs every in-scope corpus block, prints
// the buckets, writes every defect and unsupported feature to artifacts/conformance/execution.txt,
// enforces thresholds.json.
import { afterAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { blockTables, loadCorpus, type CorpusRecord } from './corpus.js';
import { executionReport, runExecution } from './execution.js';
import { IsolatedEngine } from './isolated-engine.js';
import { meetsMinimum, publishSummary, threshold, writeReport } from './report.js';
import { CORPUS_FILE, missingData } from './shared-data.js';

const missing = missingData(CORPUS_FILE);
if (missing) console.warn(`execution suite skipped: ${missing}`);

describe.skipIf(missing !== undefined)('corpus execution', () => {
  const engine = new IsolatedEngine();
  afterAll(() => engine.close());

  it('execution', async (ctx) => {
    const t = threshold('execution');
    const result = await runExecution(
      loadCorpus(CORPUS_FILE),
      (kql, o) => engine.run(kql, o),
      defenderSchema(),
    );
    const { summary, lines } = executionReport(result, t);
    const path = writeReport('execution', lines);
    publishSummary(ctx, summary);
    const executes = result.outcomes.filter((o) => o.bucket === 'executes').length;
    expect(
      meetsMinimum(executes, result.outcomes.length, t),
      `below the minimum: ${summary[0]}; see ${path}`,
    ).toBe(true);
    // ~1,300 queries in a child process: minutes on a busy 2-core machine, well past vitest's default.
  }, 900_000);
});

describe('corpus block scope', () => {
  const record = (query: string, tables: string[] = []): CorpusRecord => ({
    id: 'r',
    source: 's',
    path: 'p',
    title: 't',
    query,
    tables,
    syntax_ok: true,
    semantic_ok: true,
  });
  const block = (r: CorpusRecord) => ({ id: 'r#b1', record: r, text: r.query, firstLine: 1, lastLine: 1 });
  const known = new Set(['SigninLogs', 'DeviceEvents']);

  it('counts a table named only as an argument of a function that calls table()', () => {
    const r = record('let f = (t:string) { table(t) | take 1 };\nf("SigninLogs")');
    expect(blockTables(block(r), known)).toEqual(['SigninLogs']);
  });

  it('ignores string literals that name no known table, and literals when table() is not called', () => {
    expect(blockTables(block(record('let f = (t:string) { table(t) };\nf("nothing")')), known)).toEqual([]);
    expect(
      blockTables(block(record('DeviceEvents | where A == "SigninLogs"', ['DeviceEvents'])), known),
    ).toEqual(['DeviceEvents']);
  });
});
