import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';

/**
 * `has_any ((T | distinct X))` runs T first and inlines its values, so the term test is one regex
 * (with its LIKE prefilter) rather than a correlated EXISTS calling a macro per needle per row.
 */
describe('tabular has_any arguments become constant lists', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await store.run(
      `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, FileName, ReportId) VALUES
       (TIMESTAMP_NS '2026-01-01 00:00:00', 'a', 'AnyDesk.exe', 1),
       (TIMESTAMP_NS '2026-01-01 00:00:00', 'b', 'anydeskx.exe', 2),
       (TIMESTAMP_NS '2026-01-01 00:00:00', 'c', 'tv-teamviewer.exe', 3)`,
    );
  });
  afterAll(() => store.close());

  it('inlines every list, including two in one query, and keeps whole-term semantics', async () => {
    const r = await runKql(
      store,
      `let A = datatable(x:string)['anydesk']; let B = datatable(y:string)['teamviewer'];
       DeviceProcessEvents | where FileName has_any ((A | distinct x)) or FileName has_any ((B | distinct y))
       | project DeviceId | order by DeviceId asc`,
    );
    expect(r.rows).toEqual([['a'], ['c']]);
    expect(r.sql).not.toContain('socfeed_has(');
    expect(r.sql).not.toContain('EXISTS');
    expect(r.sql).toContain("ILIKE '%teamviewer%'");
  });

  it('splits a long has_any list into several alternations, each within the fast RE2 automaton', async () => {
    const needles = Array.from({ length: 2000 }, (_, i) => `tool${i}`);
    needles[1999] = 'teamviewer';
    const list = needles.map((n) => `'${n}'`).join(', ');
    const r = await runKql(
      store,
      `DeviceProcessEvents | where FileName has_any (${list}) | project DeviceId | order by DeviceId asc`,
    );
    expect(r.rows).toEqual([['c']]);
    expect(r.sql.match(/regexp_matches\(/g)?.length).toBe(3);
  });
});
