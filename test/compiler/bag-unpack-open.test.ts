import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';
import { compileKql } from '../../src/sql/compile.js';
import { defenderSchema } from '../../src/schema/index.js';

/**
 * bag_unpack over data without any property (OpenBag in src/kql/semantics/scope.ts): later names
 * that are no column read as empty, with one warning per name; the rows are in bag-unpack.kqltest.
 */
let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

const HUNT = `DeviceEvents
| where ActionType == 'InboundInternetScanInspected'
| extend AF = todynamic(AdditionalFields)
| evaluate bag_unpack(AF)
| where isnotnull(PublicScannedIp) or isnotnull(PublicScannedPort)
| project Timestamp, DeviceName, PublicScannedIp, PublicScannedPort`;

describe('bag_unpack on a store without matching rows', () => {
  it('runs, warning once for each column treated as empty', async () => {
    const r = await runKql(store, HUNT);
    expect(r.rows).toEqual([]);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Timestamp:datetime',
      'DeviceName:string',
      'PublicScannedIp:dynamic',
      'PublicScannedPort:dynamic',
    ]);
    expect(r.warnings.map((w) => [w.severity, w.code, w.message])).toEqual([
      ['warning', 'SF102', "bag_unpack found no property 'PublicScannedIp' in the data; the column is empty"],
      [
        'warning',
        'SF102',
        "bag_unpack found no property 'PublicScannedPort' in the data; the column is empty",
      ],
    ]);
  });

  it('still needs the data when only compiling', () => {
    const r = compileKql(HUNT, { schema: defenderSchema() });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['SF303']);
  });
});
