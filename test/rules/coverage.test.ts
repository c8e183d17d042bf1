import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attackCatalog } from '../../src/rules/attack.js';
import type { TechniqueCoverage } from '../../src/rules/publish/coverage.js';
import type { NavigatorLayer } from '../../src/rules/publish/navigator.js';
import { Store } from '../../src/store/store.js';
import { cli, importUpstream, SEED_IDS, tempDir } from './publish-helpers.js';

const attack = attackCatalog();

async function coverageJson(...args: string[]): Promise<TechniqueCoverage[]> {
  const r = await cli('coverage', '--format', 'json', ...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as TechniqueCoverage[];
}

describe('socfeed coverage', () => {
  const dir = tempDir('socfeed-coverage-');
  const db = join(dir, 'catalog.duckdb');

  beforeAll(async () => {
    await importUpstream(db);
    // One rule on a sub-technique, to see the Navigator expand its parent.
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'quick-assist.yaml'),
      'id: 7d1c9e2a-4b3f-4e5d-8c6b-1a2b3c4d5e6f\nname: Remote desktop software - Quick Assist\n' +
        'tactics: CommandAndControl\nrelevantTechniques: T1219.002\n' +
        "query: |\n  DeviceProcessEvents\n  | where FileName =~ 'quickassist.exe'\n",
    );
    expect((await cli('rules', 'import', sub, '--db', db, '--source', 'local')).code).toBe(0);
  });

  it('writes an ATT&CK Navigator layer (format 4.5) the Navigator can open', async () => {
    const r = await cli('coverage', '--db', db, '--format', 'navigator');
    expect(r.code).toBe(0);
    const layer = JSON.parse(r.out) as NavigatorLayer;
    expect(typeof layer.name).toBe('string');
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.gradient.colors.length).toBeGreaterThanOrEqual(2);
    expect(typeof layer.gradient.minValue).toBe('number');
    expect(typeof layer.gradient.maxValue).toBe('number');
    expect(layer.legendItems.length).toBeGreaterThan(0);
    for (const l of layer.legendItems) expect(l.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(layer.techniques.length).toBeGreaterThan(0);
    for (const t of layer.techniques) {
      const known = attack.technique(t.techniqueID);
      expect(known, t.techniqueID).toBeDefined();
      expect(known!.tactics).toContain(t.tactic);
      if (t.score !== undefined) {
        expect(typeof t.score).toBe('number');
        expect(t.score).toBeGreaterThanOrEqual(layer.gradient.minValue);
        expect(t.score).toBeLessThanOrEqual(layer.gradient.maxValue);
      }
    }
    const t1219 = layer.techniques.find((t) => t.techniqueID === 'T1219')!;
    expect(t1219).toMatchObject({ tactic: 'command-and-control', showSubtechniques: true });
    expect(t1219.comment).toMatch(/rules \(\+50\)/);
    expect(t1219.metadata.find((m) => m.name === 'rules')!.value).toMatch(/^\d+$/);
    expect(layer.techniques.find((t) => t.techniqueID === 'T1219.002')).toMatchObject({ score: 10 });
  });

  it('scores data in the store and recent hits', async () => {
    const before = (await coverageJson('--db', db)).find((c) => c.techniqueId === 'T1219')!;
    expect(before.runnable).toBe(0);
    expect(before.hits).toBeNull();
    expect(before.score).toBe(50);

    const store = await Store.open(db);
    try {
      await store.run(
        `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, DeviceName, FileName)
         VALUES ('2026-05-31 10:00:00'::TIMESTAMP_NS, 'd1', 'pc1', 'quickassist.exe')`,
      );
    } finally {
      store.close();
    }
    const hits = join(dir, 'hits.json');
    writeFileSync(hits, JSON.stringify({ [SEED_IDS.serverEye]: 3 }));
    const after = await coverageJson('--db', db, '--hits', hits);
    const t = after.find((c) => c.techniqueId === 'T1219')!;
    // The createproc rules that validate can now run; the netconn rules and broken ones cannot.
    expect(t.runnable).toBeGreaterThan(0);
    expect(t.runnable).toBeLessThan(t.rules.length);
    expect(t.hits).toBe(3);
    expect(t.scoreParts).toEqual({
      rules: 50,
      data: Math.round((40 * t.runnable!) / t.rules.length),
      hits: 10,
    });
    expect(t.score).toBe(60 + t.scoreParts.data);
    const sub = after.find((c) => c.techniqueId === 'T1219.002')!;
    expect(sub).toMatchObject({ runnable: 1, parent: 'T1219', score: 10 + 40 });
  });

  it('prints a table by default and refuses a bad hits file', async () => {
    const r = await cli('coverage', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^TECHNIQUE\s+NAME\s+TACTIC\s+RULES\s+WITH DATA\s+HITS\s+SCORE/);
    expect(r.out).toMatch(/T1219\s+Remote Access Tools\s+Command and Control/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[1, 2]');
    const e = await cli('coverage', '--db', db, '--hits', bad);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/SF-CLI-HITS/);
  });
});
