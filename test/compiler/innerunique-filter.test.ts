import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';

/**
 * join-innerunique.md: a filter on the left side's columns after an innerunique join applies to
 * the left rows before they are de-duplicated, so `where value == "val1.2"` keeps val1.2 joined
 * with both right rows (the documented output) instead of depending on which row the
 * de-duplication happened to keep. Conditions on the right side stay after the join.
 */
describe('filters after an innerunique join', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
  });
  afterAll(() => store.close());

  const DATA = `let t1 = datatable(key: long, value: string) [1, "val1.1", 1, "val1.2"];
    let t2 = datatable(key: long, value: string) [1, "val1.3", 1, "val1.4"];`;

  it('filters the left side before it is de-duplicated', async () => {
    const r = await runKql(
      store,
      `${DATA} t1 | join kind=innerunique t2 on key | where value == "val1.2" and value1 != "val1.4" | order by value1 asc`,
    );
    expect(r.rows).toEqual([[1, 'val1.2', 1, 'val1.3']]);
    const dedupe = r.sql.indexOf('DISTINCT ON');
    const join = r.sql.indexOf('INNER JOIN');
    const leftFilter = r.sql.indexOf("= 'val1.2'");
    const rightFilter = r.sql.indexOf("<> 'val1.4'");
    expect(dedupe).toBeGreaterThan(0);
    expect(leftFilter).toBeGreaterThan(dedupe);
    expect(leftFilter).toBeLessThan(join);
    expect(rightFilter).toBeGreaterThan(join);
  });

  it('leaves other join kinds alone', async () => {
    const r = await runKql(store, `${DATA} t1 | join kind=inner t2 on key | where value == "val1.2" | count`);
    expect(r.rows).toEqual([[2]]);
    expect(r.sql.indexOf("= 'val1.2'")).toBeGreaterThan(r.sql.indexOf('INNER JOIN'));
  });
});
