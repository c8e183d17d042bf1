// DuckDB vs ClickHouse (chdb) on every documented example; the acceptance bar is ≥99.5% identical
// among the examples DuckDB passes. Writes every difference to artifacts/conformance/clickhouse-doc-diff.txt.
import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedEngine } from '../conformance/isolated-engine.js';
import { isDocExample } from '../conformance/doc-normalise.js';
import { loadDocOverrides } from '../conformance/doc-examples.js';
import { writeReport } from '../conformance/report.js';
import { DOC_DERIVED_FILE, DOC_EXAMPLES_FILE, missingData, readJsonl } from '../conformance/shared-data.js';
import { defenderSchema } from '../../src/schema/index.js';
import { ChdbEngine, chdbSkipReason } from './harness.js';
import { diffDocExample, type DiffOutcome } from './doc-differential.js';

const skip =
  chdbSkipReason('clickhouse doc differential') ??
  missingData(DOC_EXAMPLES_FILE) ??
  missingData(DOC_DERIVED_FILE);

describe.skipIf(skip !== undefined)('documented examples: DuckDB vs ClickHouse', () => {
  const duck = new IsolatedEngine();
  let ch: ChdbEngine | undefined;
  afterAll(async () => {
    duck.close();
    await ch?.close();
  });

  it('≥99.5% of the examples DuckDB passes are identical on ClickHouse', async () => {
    ch = new ChdbEngine(defenderSchema());
    const overrides = loadDocOverrides();
    const outcomes: DiffOutcome[] = [];
    for (const file of [DOC_EXAMPLES_FILE, DOC_DERIVED_FILE]) {
      for (const ex of readJsonl(file, isDocExample)) {
        outcomes.push(
          await diffDocExample(
            (k, o) => duck.run(k, o),
            (k, o) => ch!.run(k, o),
            ex,
            overrides.get(ex.id),
          ),
        );
      }
    }
    const base = outcomes.filter((o) => o.duckPasses);
    const same = base.filter((o) => o.identical);
    const pct = (100 * same.length) / Math.max(1, base.length);
    const lines = [
      `clickhouse-doc-diff: ${same.length}/${base.length} (${pct.toFixed(1)}%) of the documented examples DuckDB passes are identical on ClickHouse (chdb); ${outcomes.length} examples in all`,
      `all examples identical (passing or not): ${outcomes.filter((o) => o.identical).length}/${outcomes.length}`,
      '',
      'differences among the examples DuckDB passes:',
      ...base.filter((o) => !o.identical).map((o) => `${o.id}: ${o.reason ?? ''}`),
      '',
      'differences among the other examples:',
      ...outcomes.filter((o) => !o.duckPasses && !o.identical).map((o) => `${o.id}: ${o.reason ?? ''}`),
    ];
    const path = writeReport('clickhouse-doc-diff', lines);
    console.log(lines[0]);
    expect(pct, `see ${path}`).toBeGreaterThanOrEqual(99.5);
  });
});
