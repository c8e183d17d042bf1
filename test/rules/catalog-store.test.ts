import { SHARED_DIR } from '../conformance/shared-data.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleCatalogStore } from '../../src/rules/catalog-store.js';
import { loadRules } from '../../src/rules/load.js';
import { Store } from '../../src/store/store.js';

const RMM_TOOLS = join(SHARED_DIR, 'rmm-sources', 'rmm-monitoring-tools');

describe('rule catalog store: versions and import diffs', () => {
  let dir: string;
  let store: Store;
  let catalog: RuleCatalogStore;
  const importAll = (root = dir) => catalog.importRules('rmm', [loadRules(root)], [root]);

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'socfeed-store-')), 'rmm-monitoring-tools');
    cpSync(RMM_TOOLS, dir, { recursive: true });
    store = await Store.open(':memory:');
    catalog = await RuleCatalogStore.open(store);
  });
  afterAll(() => store.close());

  it('first import: everything is new', async () => {
    const s = await importAll();
    expect(s.importId).toBe(1);
    expect(s.counts).toMatchObject({
      new: 168,
      updated: 0,
      unchanged: 0,
      removed: 0,
      errors: 0,
      warnings: 168,
    });
    expect(await catalog.currentRules('rmm')).toHaveLength(168);
  });

  it('same files again: everything unchanged, no new version', async () => {
    const s = await importAll();
    expect(s.counts).toMatchObject({ new: 0, updated: 0, unchanged: 168, removed: 0 });
    expect(await catalog.versions('rmm', '620a171b-e35d-43cd-8544-b725421e3364')).toHaveLength(1);
  });

  it('one file edited: that rule is updated and both versions are kept', async () => {
    const file = join(dir, 'RMM', 'ServerEye', 'rmm_ServerEye_createproc.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('now(-5d)', 'now(-7d)'));
    const s = await importAll();
    expect(s.counts).toMatchObject({ new: 0, updated: 1, unchanged: 167, removed: 0 });
    expect(s.changes.find((c) => c.change === 'updated')!.ruleId).toBe(
      '620a171b-e35d-43cd-8544-b725421e3364',
    );
    const versions = await catalog.versions('rmm', '620a171b-e35d-43cd-8544-b725421e3364');
    expect(versions.map((v) => v.firstImportId)).toEqual([1, 3]);
    expect(versions[1]!.rule.query).toContain('now(-7d)');
  });

  it('one file deleted: that rule is removed, and back again it is new', async () => {
    rmSync(join(dir, 'RMM', 'Kaseya', 'rmm_Kaseya_filesig.yaml'));
    const s = await importAll();
    expect(s.counts).toMatchObject({ new: 0, updated: 0, unchanged: 167, removed: 1 });
    expect(s.changes.find((c) => c.change === 'removed')).toMatchObject({
      ruleId: '732033dd-039b-426e-844f-1de2a67362fa',
      path: 'RMM/Kaseya/rmm_Kaseya_filesig.yaml',
    });
    expect(await catalog.currentRules('rmm')).toHaveLength(167);
    cpSync(
      join(RMM_TOOLS, 'RMM', 'Kaseya', 'rmm_Kaseya_filesig.yaml'),
      join(dir, 'RMM', 'Kaseya', 'rmm_Kaseya_filesig.yaml'),
    );
    const back = await importAll();
    expect(back.counts).toMatchObject({ new: 1, removed: 0 });
    expect((await catalog.changes(back.importId)).filter((c) => c.change === 'new')).toHaveLength(1);
  });

  it('importing one folder of a source does not remove the rest of it', async () => {
    const s = await importAll(join(dir, 'RMM', 'AnyDesk'));
    expect(s.counts).toMatchObject({ new: 0, unchanged: 3, removed: 0 });
    expect(await catalog.currentRules('rmm')).toHaveLength(168);
  });

  it('a file that turns malformed is reported, not removed', async () => {
    const file = join(dir, 'RMM', 'AnyDesk', 'rmm_AnyDesk_netconn.yaml');
    writeFileSync(file, 'id: [unclosed\n');
    const s = await importAll();
    expect(s.counts).toMatchObject({ errors: 1, removed: 0, unchanged: 167 });
    expect(await catalog.currentRules('rmm')).toHaveLength(168);
  });
});

describe('rule catalog store: one import from several paths', () => {
  it('keeps the first of two files with the same rule id and reports the second', async () => {
    const a = mkdtempSync(join(tmpdir(), 'socfeed-a-'));
    const b = mkdtempSync(join(tmpdir(), 'socfeed-b-'));
    writeFileSync(join(a, 'r.yaml'), 'id: same\nname: first\nquery: T\n');
    writeFileSync(join(b, 'r.yaml'), 'id: same\nname: second\nquery: T\n');
    const store = await Store.open(':memory:');
    try {
      const catalog = await RuleCatalogStore.open(store);
      const s = await catalog.importRules('two', [loadRules(a), loadRules(b)], [a, b]);
      expect(s.counts).toMatchObject({ new: 1, errors: 1 });
      expect(s.diagnostics.find((d) => d.code === 'SF-RULE-DUPLICATE-ID')!.file).toBe(join(b, 'r.yaml'));
      expect((await catalog.currentRules('two')).map((r) => r.rule.name)).toEqual(['first']);
    } finally {
      store.close();
    }
  });
});
