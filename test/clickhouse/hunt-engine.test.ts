// `hunt --engine adx`: each rule's KQL goes to the cluster as written (no shared scan), the report
// says so, runs are kept in the local --db store; flags the cluster cannot honour are refused.
// Runs against the local v2 server (no chdb needed).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { FakeAdx } from '../adx/v2-server.js';
import { REPO_ROOT } from '../conformance/shared-data.js';
import { tempDir } from '../demo/helpers.js';
import { cliWithEnv } from '../cli-run.js';

const RULES = join(REPO_ROOT, 'data', 'rules', 'rmm-pack', '247ithelp-com-connectwise');

describe('socfeed hunt --engine', () => {
  const fake = new FakeAdx();
  let adxUrl = '';
  const dir = tempDir();
  beforeAll(async () => {
    adxUrl = await fake.start();
  });
  afterAll(() => fake.stop());

  it('sends each rule to ADX as written and says so', async () => {
    const db = join(dir, 'runs.duckdb');
    const adx = ['--engine', 'adx', '--cluster', adxUrl, '--database', 'Security'];
    const r = await cliWithEnv(
      { SOCFEED_ADX_TOKEN: 't' },
      'hunt',
      '--db',
      db,
      '--rules',
      RULES,
      '--json',
      ...adx,
    );
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as {
      engine: { name: string; fused: boolean; summary: string };
      results: { mode: string; note?: string }[];
    };
    expect(report.engine).toMatchObject({ name: 'adx', fused: false });
    expect(report.results.map((x) => x.mode)).toEqual(['alone', 'alone']);
    const queries = loadRules(RULES).rules.map((x) => x.query.trim());
    const sent = fake.requests.filter((q) => q.path.startsWith('/v2/rest/query')).map((q) => q.body?.csl);
    expect(sent.sort()).toEqual([...queries].sort());
    expect(existsSync(db), 'runs are kept in the local store').toBe(true);

    const text = await cliWithEnv({ SOCFEED_ADX_TOKEN: 't' }, 'hunt', '--db', db, '--rules', RULES, ...adx);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/telemetry on adx .*each rule's KQL sent as written, one by one/);
  });

  it('refuses --now and --lookback with ADX', async () => {
    for (const flag of [
      ['--now', '2026-06-01T12:00:00Z'],
      ['--lookback', '5d'],
    ]) {
      const r = await cliWithEnv(
        {},
        'hunt',
        ...flag,
        '--engine',
        'adx',
        '--cluster',
        adxUrl,
        '--database',
        'S',
      );
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`${flag[0]} cannot be used with --engine adx`));
    }
  });

  it('asks rmm inventory for --url with --engine clickhouse', async () => {
    const r = await cliWithEnv({}, 'rmm', 'inventory', '--engine', 'clickhouse');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--engine clickhouse needs --url/);
  });
});
