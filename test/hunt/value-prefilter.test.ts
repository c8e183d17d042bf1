import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/cli/progress.js';
import { runKql } from '../../src/engine/run.js';
import { resolveTabularLists } from '../../src/hunt/constant-lists.js';
import { executePlan } from '../../src/hunt/execute.js';
import { planHunt } from '../../src/hunt/plan.js';
import { selectRules } from '../../src/hunt/rule-set.js';
import { narrowByValues } from '../../src/hunt/value-prefilter.js';
import { forEachExpr } from '../../src/sql/ir/walk.js';
import { Store } from '../../src/store/store.js';
import { NOW, rowSet } from './helpers.js';

const fns = (rel: Parameters<typeof forEachExpr>[0]) => {
  const out = new Set<string>();
  forEachExpr(rel, (e) => {
    if (e.kind === 'call') out.add(e.fn);
  });
  return out;
};

describe('the shared scan on a column of mostly unique values', () => {
  it('keeps the needle regex there (no value list) and still equals each rule run alone', async () => {
    const store = await Store.open(':memory:');
    try {
      // 30,000 process starts with unique file names and a constant company, plus AnyDesk on two devices.
      await store.run(
        `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, DeviceName, FileName, ProcessVersionInfoCompanyName, ReportId)
         SELECT TIMESTAMP_NS '2026-06-01 10:00:00' - to_seconds(i), 'dev-' || (i % 50), 'dev-' || (i % 50) || '.local',
                'tool-' || i || '.exe', 'Contoso Ltd', i
           FROM range(30000) t(i)`,
      );
      await store.run(
        `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, DeviceName, FileName, ProcessVersionInfoCompanyName, ReportId)
         VALUES (TIMESTAMP_NS '2026-06-01 09:00:00', 'dev-1', 'dev-1.local', 'AnyDesk.exe', 'philandro Software GmbH', 40001),
                (TIMESTAMP_NS '2026-05-31 09:00:00', 'dev-2', 'dev-2.local', 'anydesk.exe', 'AnyDesk Software GmbH', 40002)`,
      );
      const rules = (await selectRules(store, ['rmm-pack'], true)).rules;
      const plan = await planHunt(rules, {
        schema: store.schema,
        now: NOW,
        resolve: (r) => resolveTabularLists(store, r),
      });
      const process = plan.groups.find((g) => g.table === 'DeviceProcessEvents')!;
      const narrowed = await narrowByValues(store, process.stageRel);
      // FileName is mostly unique: its regexes stay; the company column repeats: it becomes a value list.
      expect(fns(narrowed)).toContain('matches_regex');
      expect(fns(narrowed)).toContain('in');

      const { outcomes } = await executePlan(store, plan, silentProgress);
      let hits = 0;
      for (const o of outcomes.filter((x) => x.table === 'DeviceProcessEvents')) {
        const alone = await runKql(store, o.rule.rule.query, { now: NOW });
        expect(rowSet(o.rows), o.rule.rule.name).toEqual(rowSet(alone.rows));
        hits += alone.rows.length;
      }
      expect(hits).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
