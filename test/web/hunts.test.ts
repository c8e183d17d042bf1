import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/web/server.js';
import type { HuntFinding, HuntRun } from '../../src/web/hunt-data.js';
import { demoStore, getJson, getText, huntTwice, NOW_ISO, POLICY_YAML, postJson, serve } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPolicy } from '../../src/hunt/policy.js';
import { rmmCatalog } from '../../src/rules/rmm-catalog.js';

interface HuntsBody {
  available: boolean;
  runs: HuntRun[];
  run: HuntRun;
  findings: HuntFinding[];
}

let server: RunningServer;
let empty: RunningServer;

beforeAll(async () => {
  const db = await demoStore();
  await huntTwice(db);
  server = await serve(db);
  const fresh = await demoStore(3);
  const policyFile = join(dirname(fresh), 'approved-tools.yaml');
  writeFileSync(policyFile, POLICY_YAML);
  empty = await serve(fresh, { policy: loadPolicy(policyFile, rmmCatalog()) });
});
afterAll(async () => {
  await server?.close();
  await empty?.close();
});

describe('hunts', () => {
  it('explains how to run a hunt when none has run', async () => {
    const { body } = await getJson<HuntsBody>(empty.url, '/api/hunts');
    expect(body.available).toBe(false);
    const page = await getText(empty.url, '/hunts');
    expect(page.text).toContain('No hunt has run over this store yet.');
    expect(page.text).toContain('socfeed hunt --db STORE');
  });

  it("runs the hunt from the page on the server's own store, with the serve policy", async () => {
    const r = await postJson<{ runId: number; previousRunId: number | null; findings: number }>(
      empty.url,
      '/api/hunts/run',
      {},
    );
    expect(r.status).toBe(200);
    expect(r.body.runId).toBe(1);
    expect(r.body.previousRunId).toBeNull();
    expect(r.body.findings).toBeGreaterThan(0);
    const { body } = await getJson<HuntsBody>(empty.url, '/api/hunts');
    expect(body.run.runId).toBe(1);
    // `now` defaulted to the latest event in the store, so the planted RMM activity is in every window.
    expect(body.run.now.slice(0, 10)).toBe(NOW_ISO.slice(0, 10));
    expect(body.run.policy).toContain('approved-tools.yaml');
    const serverEye = body.findings.filter((f) => f.tool?.toLowerCase() === 'servereye');
    expect(serverEye.length).toBeGreaterThan(0);
    expect(serverEye.every((f) => f.status === 'expected')).toBe(true);
    const again = await postJson<{ runId: number; previousRunId: number | null }>(
      empty.url,
      '/api/hunts/run',
      { lookback: '1d' },
    );
    expect(again.body).toMatchObject({ runId: 2, previousRunId: 1 });
    const bad = await postJson<{ error: { code: string } }>(empty.url, '/api/hunts/run', {
      lookback: 'forever',
    });
    expect(bad.body.error.code).toBe('SF-WEB-LOOKBACK');
  });

  it('shows the latest run with deltas against the previous one', async () => {
    const { body } = await getJson<HuntsBody>(server.url, '/api/hunts');
    expect(body.runs.map((r) => r.runId)).toEqual([2, 1]);
    expect(body.run.runId).toBe(2);
    expect(body.run.previousRunId).toBe(1);
    const deltas = new Set(body.findings.map((f) => f.delta));
    expect(deltas.has('unchanged') || deltas.has('changed')).toBe(true);
    const counted = { new: 0, changed: 0, unchanged: 0, gone: 0 };
    for (const f of body.findings) counted[f.delta]++;
    expect(counted).toEqual(body.run.counts);
    const first = await getJson<HuntsBody>(server.url, '/api/hunts?run=1');
    expect(first.body.findings.every((f) => f.delta === 'new')).toBe(true);
    expect((await getJson(server.url, '/api/hunts?run=99')).status).toBe(404);
  });

  it('lists the RMM inventory with approved and unapproved tools, and drills into a device', async () => {
    const { body } = await getJson<HuntsBody>(server.url, '/api/hunts');
    const serverEye = body.findings.find((f) => f.tool?.toLowerCase() === 'servereye' && f.delta !== 'gone')!;
    expect(serverEye.status).toBe('expected');
    expect(body.findings.some((f) => f.status === 'raised')).toBe(true);
    const page = await getText(server.url, '/hunts');
    expect(page.text).toContain('RMM inventory');
    expect(page.text).toMatch(/badge-ok">approved</);
    expect(page.text).toMatch(/badge-warn">unapproved</);
    const device = serverEye.deviceName;
    const drill = await getJson<HuntsBody>(server.url, `/api/hunts?device=${encodeURIComponent(device)}`);
    expect(drill.body.findings.length).toBeGreaterThan(0);
    expect(drill.body.findings.every((f) => f.deviceName === device)).toBe(true);
    const drillPage = await getText(server.url, `/hunts?device=${encodeURIComponent(device)}`);
    expect(drillPage.text).toContain(`RMM inventory on ${device}`);
  });

  it('shows a rule its findings history and colours coverage by recent hits', async () => {
    const { body } = await getJson<HuntsBody>(server.url, '/api/hunts');
    const f = body.findings.find((x) => x.delta !== 'gone')!;
    const rule = await getText(server.url, `/rules/${f.ruleId}?source=${encodeURIComponent(f.source)}`);
    expect(rule.text).toMatch(/<a href="\/hunts\?run=2">#2<\/a>/);
    expect(rule.text).toMatch(/<a href="\/hunts\?run=1">#1<\/a>/);
    const cov = await getJson<{ techniqueId: string; hits: number | null }[]>(server.url, '/api/coverage');
    expect(cov.body.find((c) => c.techniqueId === 'T1219')!.hits).toBeGreaterThan(0);
    expect((await getText(server.url, '/coverage')).text).toContain('heat-hits');
  });
});
