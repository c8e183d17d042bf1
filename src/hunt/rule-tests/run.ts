import type { KqlCell } from '../../engine/types.js';
import type { Progress } from '../../cli/progress.js';
import { Store } from '../../store/store.js';
import { executePlan } from '../execute.js';
import { planHunt } from '../plan.js';
import { resolveTabularLists } from '../constant-lists.js';
import type { HuntRule } from '../rule-set.js';
import { clearTables, insertEvents, type PlacedEvent } from './load-events.js';
import { readTest, type BrokenTest, type RuleTest } from './spec.js';

export interface TestResult {
  file: string;
  name: string;
  passed: boolean;
  /** What went wrong, one line each (empty when passed). */
  failures: string[];
  positives: number;
  negatives: number;
  ms: number;
}

/** Runs the rule the way `socfeed hunt` does (plan + execute) and returns its result. */
async function runRule(
  store: Store,
  test: RuleTest,
  now: Date,
): Promise<{ columns: string[]; rows: KqlCell[][] }> {
  const rule: HuntRule = { source: 'test', rule: test.rule, label: test.rule.provenance.localPath };
  const plan = await planHunt([rule], {
    schema: store.schema,
    now,
    resolve: (r) => resolveTabularLists(store, r),
  });
  const { outcomes } = await executePlan(store, plan, { phase() {}, tick() {}, done() {} });
  const o = outcomes[0]!;
  if (o.mode === 'failed') throw new Error(o.note ?? 'the rule failed');
  return { columns: o.columns.map((c) => c.name), rows: o.rows };
}

/**
 * Each positive event must be reported and no negative one. When the result has a DeviceId column
 * (as hunting rules summarised per device do), every event has its own device, so the check is per
 * event over one run. Otherwise the positives and the negatives are run separately: the first run
 * must return rows and the second none.
 */
async function check(store: Store, test: RuleTest): Promise<string[]> {
  const now = test.now ?? new Date();
  const all = [
    ...test.positive.map((e) => ({ e, pos: true })),
    ...test.negative.map((e) => ({ e, pos: false })),
  ];
  const tables = all.map((x) => x.e.table);
  const failures: string[] = [];
  try {
    const placed = await insertEvents(
      store,
      store.schema,
      all.map((x) => x.e),
      now,
      'e',
    );
    const result = await runRule(store, test, now);
    const idx = result.columns.findIndex((c) => c === 'DeviceId');
    if (idx >= 0) {
      const seen = new Set(result.rows.map((r) => String(r[idx])));
      placed.forEach((p: PlacedEvent, i) => {
        const pos = all[i]!.pos;
        if (pos && !seen.has(p.deviceId)) failures.push(`positive event not reported: ${p.origin}`);
        if (!pos && seen.has(p.deviceId)) failures.push(`negative event reported: ${p.origin}`);
      });
      return failures;
    }
    await clearTables(store, tables);
    for (const [list, pos] of [
      [test.positive, true],
      [test.negative, false],
    ] as const) {
      if (list.length === 0) continue;
      await insertEvents(store, store.schema, list, now, pos ? 'p' : 'n');
      const r = await runRule(store, test, now);
      if (pos && r.rows.length === 0) failures.push('the positive events gave no rows');
      if (!pos && r.rows.length > 0) failures.push(`the negative events gave ${r.rows.length} rows`);
      await clearTables(store, tables);
    }
    return failures;
  } catch (e) {
    return [...failures, (e as Error).message.split('\n')[0]!];
  } finally {
    await clearTables(store, tables);
  }
}

/** Runs every test file, each over the same empty in-memory store, cleared between tests. */
export async function runRuleTests(files: string[], progress: Progress): Promise<TestResult[]> {
  const store = await Store.open(':memory:');
  const results: TestResult[] = [];
  progress.phase('rule tests', files.length);
  try {
    for (const file of files) {
      const started = performance.now();
      const test: RuleTest | BrokenTest = readTest(file);
      if (!('rule' in test)) {
        results.push({
          file,
          name: file,
          passed: false,
          failures: [`cannot read the test: ${test.message}`],
          positives: 0,
          negatives: 0,
          ms: 0,
        });
        progress.tick();
        continue;
      }
      const failures = await check(store, test);
      results.push({
        file,
        name: test.name,
        passed: failures.length === 0,
        failures,
        positives: test.positive.length,
        negatives: test.negative.length,
        ms: performance.now() - started,
      });
      progress.tick();
    }
  } finally {
    store.close();
  }
  return results;
}
