// Vitest wrapper of the execution suite (execution.ts): runs every in-scope corpus block, prints
// the buckets, writes every defect and unsupported feature to artifacts/conformance/execution.txt,
// enforces thresholds.json.
import { afterAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { loadCorpus } from './corpus.js';
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
