import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';

/**
 * Sentinel's copies of the Defender tables carry a real TimeGenerated column; socfeed exposes it as
 * an alias of Timestamp (schema/index.ts). Operators that name columns must treat it as the real
 * column a Sentinel user sees. (Not a .kqltest: the oracle check there binds without aliases.)
 */
let store: Store;
const NOW = new Date('2025-03-15T12:00:00Z');

beforeAll(async () => {
  store = await Store.open(':memory:');
  await store.run(
    "INSERT INTO DeviceProcessEvents (Timestamp, DeviceName, FileName) VALUES ('2025-03-01 10:00:00', 'ws-01', 'a.exe'), ('2025-03-01 10:00:30', 'ws-01', 'b.exe')",
  );
});
afterAll(() => store.close());

describe('TimeGenerated alias', () => {
  it('project-reorder puts it first as a column holding Timestamp', async () => {
    const r = await runKql(
      store,
      'DeviceProcessEvents | where FileName == "a.exe" | project DeviceName, Timestamp | project-reorder TimeGenerated, DeviceName',
      { now: NOW },
    );
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'TimeGenerated:datetime',
      'DeviceName:string',
      'Timestamp:datetime',
    ]);
    expect(r.rows).toEqual([['2025-03-01T10:00:00Z', 'ws-01', '2025-03-01T10:00:00Z']]);
  });

  it('project-rename turns it into a named column', async () => {
    const r = await runKql(
      store,
      'DeviceProcessEvents | where FileName == "a.exe" | project FileName, Timestamp | project-rename When = TimeGenerated',
      { now: NOW },
    );
    expect(r.columns.map((c) => c.name)).toEqual(['FileName', 'Timestamp', 'When']);
    expect(r.rows).toEqual([['a.exe', '2025-03-01T10:00:00Z', '2025-03-01T10:00:00Z']]);
  });

  it('after a join, TimeGenerated1 is the right side time (Timestamp1)', async () => {
    const q = `DeviceProcessEvents | where FileName == "a.exe" | project DeviceName, Timestamp
| join kind=inner (DeviceProcessEvents | where FileName == "b.exe" | project DeviceName, Timestamp) on DeviceName
| project Gap = datetime_diff('second', TimeGenerated1, TimeGenerated)`;
    const r = await runKql(store, q, { now: NOW });
    expect(r.rows).toEqual([[30]]);
  });
});
