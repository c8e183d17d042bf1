// `socfeed serve --engine clickhouse`: the console, a rule's Run (with a look-back, through the hunt
// planner) and the Hunts page's Run read ClickHouse (chdb behind a local HTTP endpoint) and answer
// exactly as a server over the DuckDB store does; the runs are recorded in the local store.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { generateDemo } from '../../src/store/demo/generate.js';
import { copyStoreToClickhouse } from '../../src/engine/clickhouse/tables.js';
import { openBackend } from '../../src/engine/backend.js';
import { backendTarget } from '../../src/hunt/target.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { NOW, NOW_ISO, tempDir } from '../demo/helpers.js';
import { getJson, postJson } from '../web/helpers.js';
import { chdbSkipReason } from './harness.js';
import { ChdbHttpShim } from './http-shim.js';

const skip = chdbSkipReason('clickhouse serve');

interface RunResponse {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}
/** Rows as a multiset; array cells (make_set) compared sorted, as sets have no order. */
const sortedRows = (r: RunResponse) =>
  r.rows
    .map((x) => JSON.stringify(x.map((c) => (Array.isArray(c) ? c.map((v) => JSON.stringify(v)).sort() : c))))
    .sort();

describe.skipIf(skip !== undefined)('serve: DuckDB store vs --engine clickhouse', () => {
  const shim = skip ? undefined : new ChdbHttpShim();
  const dir = tempDir();
  let duck: RunningServer;
  let click: RunningServer;

  beforeAll(async () => {
    const demo = join(dir, 'demo.duckdb');
    const store = await Store.open(demo);
    try {
      await generateDemo(store, { devices: 12, days: 7, seed: 1, now: NOW });
      await copyStoreToClickhouse(store, shim!.exec);
    } finally {
      store.close();
    }
    (await Store.open(join(dir, 'runs.duckdb'))).close();
    const url = await shim!.start();
    const backend = await openBackend({ engine: 'clickhouse', url, session: true, maxExecutionSeconds: 30 });
    duck = await startServer({ db: demo, port: 0 });
    click = await startServer({ db: join(dir, 'runs.duckdb'), port: 0, telemetry: backendTarget(backend) });
  });
  afterAll(async () => {
    await duck?.close();
    await click?.close();
    await click?.state.telemetry.backend.close();
    await shim?.stop();
  });

  it('answers a console query from ClickHouse', async () => {
    const kql =
      'DeviceProcessEvents | where FileName has_any ("servereye", "rport", "anydesk") | summarize Runs = count(), First = min(Timestamp) by DeviceName, FileName';
    const d = await postJson<RunResponse>(duck.url, '/api/query', { kql, now: NOW_ISO });
    const c = await postJson<RunResponse>(click.url, '/api/query', { kql, now: NOW_ISO });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(d.body.rows.length).toBeGreaterThan(0);
    expect(c.body.columns).toEqual(d.body.columns);
    expect(sortedRows(c.body)).toEqual(sortedRows(d.body));
  });

  it('runs a rule with a look-back through the planner on ClickHouse', async () => {
    const list = await getJson<{ items: { id: string; source: string; name: string }[] }>(
      duck.url,
      '/api/rules?q=servereye&pageSize=50',
    );
    const rules = list.body.items;
    expect(rules.length).toBeGreaterThan(0);
    let withRows = 0;
    for (const r of rules) {
      const path = `/api/rules/${encodeURIComponent(r.id)}/run?source=${encodeURIComponent(r.source)}`;
      const body = { now: NOW_ISO, lookback: '7d' };
      const d = await postJson<RunResponse>(duck.url, path, body);
      const c = await postJson<RunResponse>(click.url, path, body);
      expect(c.status, `${r.name}: ${JSON.stringify(c.body)}`).toBe(d.status);
      if (d.status !== 200) continue;
      expect(sortedRows(c.body), r.name).toEqual(sortedRows(d.body));
      if (d.body.rows.length > 0) withRows++;
    }
    expect(withRows, 'the planted ServerEye activity is found').toBeGreaterThan(0);
  });

  it('runs the Hunts page hunt on ClickHouse and records it locally', async () => {
    const d = await postJson<{ findings: number; counts: unknown }>(duck.url, '/api/hunts/run', {
      now: NOW_ISO,
    });
    const c = await postJson<{ findings: number; counts: unknown }>(click.url, '/api/hunts/run', {
      now: NOW_ISO,
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(d.body.findings).toBeGreaterThan(0);
    expect(c.body).toMatchObject({ findings: d.body.findings, counts: d.body.counts });
    type Hunts = { findings: { deviceName: string; ruleName: string; status: string; delta: string }[] };
    const key = (h: Hunts) =>
      h.findings.map((f) => `${f.deviceName}|${f.ruleName}|${f.status}|${f.delta}`).sort();
    const dh = await getJson<Hunts>(duck.url, '/api/hunts');
    const ch = await getJson<Hunts>(click.url, '/api/hunts');
    expect(key(ch.body)).toEqual(key(dh.body));
  });
});
