// Vitest wrapper of the documented behaviour suite (doc-examples.ts): prints the pass counts,
// writes every failure to artifacts/conformance/doc-{examples,derived}.txt, enforces thresholds.json.
import { afterAll, describe, expect, it } from 'vitest';
import { docReport, loadDocOverrides, runDocSuite } from './doc-examples.js';
import { IsolatedEngine } from './isolated-engine.js';
import { isDocExample } from './doc-normalise.js';
import { meetsMinimum, publishSummary, threshold, writeReport } from './report.js';
import { DOC_DERIVED_FILE, DOC_EXAMPLES_FILE, missingData, readJsonl } from './shared-data.js';

const missing = missingData(DOC_EXAMPLES_FILE) ?? missingData(DOC_DERIVED_FILE);
if (missing) console.warn(`doc examples suite skipped: ${missing}`);

describe.skipIf(missing !== undefined)('documented behaviour', () => {
  const engine = new IsolatedEngine();
  afterAll(() => engine.close());

  const suites = [
    { label: 'doc-examples', file: DOC_EXAMPLES_FILE },
    { label: 'doc-derived', file: DOC_DERIVED_FILE },
  ];
  for (const s of suites) {
    it(s.label, async (ctx) => {
      const examples = readJsonl(s.file, isDocExample);
      const t = threshold(s.label);
      const result = await runDocSuite(s.label, (kql, o) => engine.run(kql, o), examples, loadDocOverrides());
      const lines = docReport(result, t, s.file);
      const path = writeReport(s.label, lines);
      publishSummary(ctx, [lines[0]!]);
      expect(meetsMinimum(result.pass, result.total, t), `below the minimum: ${lines[0]}; see ${path}`).toBe(
        true,
      );
    });
  }
});
