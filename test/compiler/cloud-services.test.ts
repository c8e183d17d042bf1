import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';

/**
 * Functions backed by Microsoft cloud data (catalog/cloud-services.ts) run with the answer Kusto
 * gives for an unknown value, plus a warning; they are not KQL semantics, so not a .kqltest.
 */
let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

describe('geo_info_from_ip_address without geolocation data', () => {
  it('returns an empty bag and warns', async () => {
    const r = await runKql(
      store,
      'print g = geo_info_from_ip_address("20.53.203.50") | extend Country = tostring(g.country)',
    );
    expect(r.columns).toEqual([
      { name: 'g', type: 'dynamic' },
      { name: 'Country', type: 'string' },
    ]);
    expect(r.rows).toEqual([[{}, '']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['SF303']);
    expect(r.warnings[0]!.message).toMatch(/geolocation/);
  });
});
