// `socfeed hunt` and `socfeed rmm inventory` over the demo estate, once on the DuckDB store and
// once with `--engine clickhouse` (the real CLI and @clickhouse/client against a chdb-backed HTTP
// endpoint): the fused plan is lowered with the ClickHouse dialect and staged in temporary tables
// there, runs are recorded in a separate local --db store, and every finding must be identical.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { generateDemo } from '../../src/store/demo/generate.js';
import { copyStoreToClickhouse } from '../../src/engine/clickhouse/tables.js';
import { REPO_ROOT } from '../conformance/shared-data.js';
import { NOW, NOW_ISO, tempDir } from '../demo/helpers.js';
import { chdbSkipReason } from './harness.js';
import { ChdbHttpShim } from './http-shim.js';
import { cli } from '../cli-run.js';

interface HuntJson {
  engine: { name: string; fused: boolean };
  rules: { total: number; fused: number; alone: number; failed: number };
  scans: { table: string; rules: number }[];
  results: { source: string; ruleId: string; name: string; mode: string; note?: string; rows: number }[];
  findings: Record<string, unknown>[];
}

/** Order-free form of a value: arrays from sets (make_set, report ids) have no order. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  return v;
}
const findingSet = (h: HuntJson) => h.findings.map((f) => JSON.stringify(canon(f))).sort();

/** Where two hunts' findings differ, as lines (empty when identical). */
function findingDiff(duck: HuntJson, click: HuntJson): string[] {
  const a = findingSet(duck);
  const b = new Set(findingSet(click));
  const onlyDuck = a.filter((x) => !b.has(x));
  const aSet = new Set(a);
  const onlyClick = [...b].filter((x) => !aSet.has(x));
  return [
    ...onlyDuck.map((x) => `only on DuckDB: ${x.slice(0, 300)}`),
    ...onlyClick.map((x) => `only on ClickHouse: ${x.slice(0, 300)}`),
  ];
}

const skip = chdbSkipReason('clickhouse hunt differential');
const POLICY = join(REPO_ROOT, 'examples', 'approved-tools.yaml');

describe.skipIf(skip !== undefined)('hunt and rmm inventory: DuckDB vs --engine clickhouse', () => {
  const shim = skip ? undefined : new ChdbHttpShim();
  const dir = tempDir();
  const demo = join(dir, 'demo.duckdb');
  const runs = join(dir, 'runs.duckdb');
  let url = '';
  let duck: HuntJson;
  let click: HuntJson;

  beforeAll(async () => {
    const store = await Store.open(demo);
    try {
      await generateDemo(store, { devices: 25, days: 7, seed: 1, now: NOW });
      url = await shim!.start();
      await copyStoreToClickhouse(store, shim!.exec);
    } finally {
      store.close();
    }
  });
  afterAll(() => shim?.stop());

  const hunt = async (...engine: string[]): Promise<HuntJson> => {
    const r = await cli('hunt', '--now', NOW_ISO, '--policy', POLICY, '--format', 'json', ...engine);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as HuntJson;
  };

  it('finds the same things on both engines, fused on each', async () => {
    duck = await hunt('--db', demo);
    const sent = shim!.statements.length;
    const t0 = performance.now();
    click = await hunt('--db', runs, '--engine', 'clickhouse', '--url', url);
    const chSeconds = (performance.now() - t0) / 1000;
    // Members run in batches over each stage (one UNION ALL per batch), not one statement per rule.
    const statements = shim!.statements.length - sent;
    expect(statements).toBeLessThan(click.rules.total / 4);
    // The runs store is created for the ClickHouse hunt; the telemetry never left ClickHouse.
    expect(existsSync(runs)).toBe(true);
    expect(click.engine).toMatchObject({ name: 'clickhouse', fused: true });
    expect(duck.engine).toMatchObject({ name: 'duckdb', fused: true });

    expect(click.rules.total).toBe(duck.rules.total);
    expect(click.rules.failed, JSON.stringify(click.results.filter((r) => r.mode === 'failed'))).toBe(0);
    // The shared scans really ran on ClickHouse (not a silent rule-by-rule fallback).
    expect(click.scans.map((s) => s.table)).toEqual(duck.scans.map((s) => s.table));
    expect(click.rules.fused).toBe(duck.rules.fused);
    const rowsOf = (h: HuntJson) =>
      Object.fromEntries(h.results.map((r) => [`${r.source}/${r.ruleId}`, r.rows]));
    expect(rowsOf(click)).toEqual(rowsOf(duck));

    expect(duck.findings.length, 'the planted RMM activity is found').toBeGreaterThan(10);
    expect(new Set(duck.findings.map((f) => f['status']))).toEqual(new Set(['raised', 'expected']));
    expect(findingDiff(duck, click)).toEqual([]);
    console.log(
      `hunt on ClickHouse (chdb over HTTP): ${click.rules.total} rules, ${click.rules.fused} fused into ${click.scans.length} shared scans, ${click.findings.length} findings identical to DuckDB (${chSeconds.toFixed(1)} s)`,
    );
  });

  it('rmm inventory gives the same inventory on both engines', async () => {
    const args = ['rmm', 'inventory', '--now', NOW_ISO, '--policy', POLICY, '--format', 'json'];
    const d = await cli(...args, '--db', demo);
    // No --db store at all: the inventory records nothing, so none is created.
    const c = await cli(...args, '--db', join(dir, 'absent.duckdb'), '--engine', 'clickhouse', '--url', url);
    expect(d.code, d.err).toBe(0);
    expect(c.code, c.err).toBe(0);
    expect(existsSync(join(dir, 'absent.duckdb'))).toBe(false);
    const devices = (o: string) => (JSON.parse(o) as { devices: unknown[] }).devices;
    expect(devices(d.out).length).toBeGreaterThan(0);
    expect(canon(devices(c.out))).toEqual(canon(devices(d.out)));
  });

  it('explains the fused plan in ClickHouse SQL', async () => {
    const r = await cli(
      'hunt',
      '--explain',
      '--now',
      NOW_ISO,
      '--db',
      runs,
      '--engine',
      'clickhouse',
      '--url',
      url,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Shared scan of DeviceProcessEvents \(\d+ rules\)/);
    // ClickHouse quoting and its regex function, not DuckDB's.
    expect(r.out).toMatch(/FROM `DeviceProcessEvents`/);
    expect(r.out).toMatch(/match\(`FileName`/);
    expect(r.out).not.toMatch(/regexp_matches/);
  });

  it('a second ClickHouse hunt records its delta in the local store', async () => {
    const again = await hunt('--db', runs, '--engine', 'clickhouse', '--url', url);
    expect(again.findings.length).toBe(click.findings.length);
    expect(new Set(again.findings.map((f) => f['delta']))).toEqual(new Set(['unchanged']));
  });

  it('the comparison notices a difference in the telemetry', async () => {
    // Negative control: remove one planted tool's process events on ClickHouse only.
    const victim = duck.findings.find((f) => f['signal'] === 'process' && typeof f['deviceId'] === 'string')!;
    const device = String(victim['deviceId']).replace(/'/g, "\\'");
    await shim!.exec.command(`DELETE FROM \`DeviceProcessEvents\` WHERE \`DeviceId\` = '${device}'`);
    const changed = await hunt('--db', join(dir, 'runs-2.duckdb'), '--engine', 'clickhouse', '--url', url);
    expect(findingDiff(duck, changed).some((l) => l.startsWith('only on DuckDB') && l.includes(device))).toBe(
      true,
    );
  });
});
