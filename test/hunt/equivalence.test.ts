import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/cli/progress.js';
import { runKql } from '../../src/engine/run.js';
import { resolveTabularLists } from '../../src/hunt/constant-lists.js';
import { executePlan } from '../../src/hunt/execute.js';
import { planHunt } from '../../src/hunt/plan.js';
import { selectRules, type HuntRule } from '../../src/hunt/rule-set.js';
import { Store } from '../../src/store/store.js';
import { generateInto } from '../demo/helpers.js';
import { NOW, rowSet, tempDir } from './helpers.js';
import { listTestFiles, readTest, type RuleTest } from '../../src/hunt/rule-tests/spec.js';
import { insertEvents } from '../../src/hunt/rule-tests/load-events.js';
import { join } from 'node:path';

/**
 * The requirement: running the whole RMM pack fused gives each rule exactly the rows it
 * gives when run alone through the public engine API (runKql), over the demo estate.
 */
describe('fused hunt equals each rule run alone', () => {
  let store: Store;
  let rules: HuntRule[];

  beforeAll(async () => {
    const { path } = await generateInto(tempDir(), 'estate');
    store = await Store.open(path);
    rules = (await selectRules(store, ['rmm-pack'], true)).rules;
  });
  afterAll(() => store?.close());

  it('fuses nearly the whole pack into one scan per table', async () => {
    const plan = await planHunt(rules, {
      schema: store.schema,
      now: NOW,
      resolve: (r) => resolveTabularLists(store, r),
    });
    expect(plan.failed).toEqual([]);
    expect(plan.groups.map((g) => g.table)).toEqual([
      'DeviceFileCertificateInfo',
      'DeviceNetworkEvents',
      'DeviceProcessEvents',
    ]);
    const fused = plan.groups.reduce((n, g) => n + g.members.length, 0);
    expect(fused).toBe(rules.length);
    expect(plan.alone).toEqual([]);
  });

  it('gives every rule of the pack the same rows as runKql', async () => {
    const plan = await planHunt(rules, {
      schema: store.schema,
      now: NOW,
      resolve: (r) => resolveTabularLists(store, r),
    });
    const { outcomes } = await executePlan(store, plan, silentProgress);
    expect(outcomes).toHaveLength(rules.length);
    let withRows = 0;
    for (const o of outcomes) {
      expect(o.mode, o.rule.rule.name).toBe('fused');
      const alone = await runKql(store, o.rule.rule.query, { now: NOW });
      expect(o.columns, o.rule.rule.name).toEqual(alone.columns);
      expect(rowSet(o.rows), o.rule.rule.name).toEqual(rowSet(alone.rows));
      if (alone.rows.length > 0) withRows++;
    }
    // The comparison means something only if rules do find rows on the demo estate.
    expect(withRows).toBeGreaterThanOrEqual(12);
  });

  it('gives the same rows with fusion off', async () => {
    const opts = {
      schema: store.schema,
      now: NOW,
      resolve: (r: Parameters<typeof resolveTabularLists>[1]) => resolveTabularLists(store, r),
    };
    const fused = await executePlan(store, await planHunt(rules, opts), silentProgress);
    const plain = await executePlan(
      store,
      await planHunt(rules, { ...opts, noFusion: true }),
      silentProgress,
    );
    const by = (x: typeof fused) => new Map(x.outcomes.map((o) => [o.rule.rule.id, rowSet(o.rows)]));
    expect(by(fused)).toEqual(by(plain));
  });
});

/**
 * The same comparison over every fixture event the pack ships (positives and near misses of all
 * 587 rules in one store), where every rule has rows to report and near misses to reject.
 */
describe('fused hunt equals each rule run alone, over all pack fixtures', () => {
  it('gives every rule the same rows as runKql', async () => {
    const store = await Store.open(':memory:');
    try {
      const tests = listTestFiles([
        join(import.meta.dirname, '..', '..', 'data', 'rules', 'rmm-pack-fixtures'),
      ]).map((f) => readTest(f) as RuleTest);
      await insertEvents(
        store,
        store.schema,
        tests.flatMap((t) => [...t.positive, ...t.negative]),
        NOW,
        'fx',
      );
      const rules = (await selectRules(store, ['rmm-pack'], true)).rules;
      const plan = await planHunt(rules, {
        schema: store.schema,
        now: NOW,
        resolve: (r) => resolveTabularLists(store, r),
      });
      const { outcomes } = await executePlan(store, plan, silentProgress);
      expect(outcomes.filter((o) => o.mode !== 'fused')).toEqual([]);
      for (const o of outcomes) {
        const alone = await runKql(store, o.rule.rule.query, { now: NOW });
        expect(rowSet(o.rows), o.rule.rule.name).toEqual(rowSet(alone.rows));
        expect(alone.rows.length, o.rule.rule.name).toBeGreaterThan(0);
      }
    } finally {
      store.close();
    }
  });
});
