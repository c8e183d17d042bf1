import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';

/** Hunting queries often narrow a table under its own name; the let's value reads the table. */
describe('a let named after a table', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await store.run(
      `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, FileName, ReportId) VALUES
       (TIMESTAMP_NS '2026-01-01 00:00:00', 'a', 'AnyDesk.exe', 1),
       (TIMESTAMP_NS '2026-01-01 00:00:00', 'b', 'notepad.exe', 2)`,
    );
  });
  afterAll(() => store.close());

  it('reads the table, not itself', async () => {
    const r = await runKql(
      store,
      `let DeviceProcessEvents = DeviceProcessEvents | where FileName has 'anydesk.exe';
       DeviceProcessEvents | project DeviceId`,
    );
    expect(r.rows).toEqual([['a']]);
  });
});
