import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RuleCatalogStore } from '../src/rules/catalog-store.js';
import { listRuleFiles, loadRules } from '../src/rules/load.js';
import { RMM_PACK_SOURCE, rmmPackDir, syncRmmPack } from '../src/rules/publish/rmm-pack-source.js';
import { uuidV5 } from '../src/rules/uuid.js';
import { Store } from '../src/store/store.js';

/** Source name of the synthetic rules, so they are easy to tell apart from the pack in the feed. */
export const VARIANT_SOURCE = 'bench-variants';
/** Fixed namespace so variant ids are the same on every machine and every rebuild. */
const VARIANT_NAMESPACE = '6f1d4a52-0c7e-4f7b-9d8e-3b5a2c1e0b11';
/** A GitHub origin for the variant folder: without one the loader would describe the files by the
 * socfeed checkout they happen to sit in (its commit changes with every commit). */
const VARIANT_ORIGIN = 'https://github.com/socfeed/bench-rules/tree/main/variants';
const NOW = new Date('2026-06-01T12:00:00Z');

/**
 * Builds (once) a store whose catalog holds `total` rules: the bundled RMM pack (587) synced in the
 * way the server itself does it, plus synthetic variants of the pack rules (new id, name and time
 * window) written as YAML and imported through the real loader and catalog import code, so the
 * server sees what a real `rules import` would leave behind.
 */
export async function ensureWebStore(dbPath: string, total: number): Promise<void> {
  if (existsSync(dbPath)) return;
  const dir = dirname(dbPath);
  const rulesDir = join(dir, `web-${total}-rules`);
  mkdirSync(dir, { recursive: true });
  const partial = `${dbPath}.partial`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });
  rmSync(rulesDir, { recursive: true, force: true });
  process.stderr.write(`building a ${total}-rule catalog into ${dbPath} (once)…\n`);

  const store = await Store.open(partial);
  try {
    const catalog = await RuleCatalogStore.open(store);
    await syncRmmPack(catalog, NOW);
    const packCount = (await catalog.currentRules(RMM_PACK_SOURCE)).length;
    const wanted = total - packCount;
    if (wanted < 0) throw new Error(`the pack alone has ${packCount} rules, more than ${total}`);
    writeVariants(rulesDir, wanted);
    const load = loadRules(rulesDir, { now: NOW, origin: VARIANT_ORIGIN });
    const errors = load.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0)
      throw new Error(
        `variant rules failed to load: ${errors
          .slice(0, 3)
          .map((d) => d.message)
          .join('; ')}`,
      );
    await catalog.importRules(VARIANT_SOURCE, [load], [rulesDir], NOW);
    const have = (await catalog.currentRules()).length;
    if (have !== total) throw new Error(`catalog holds ${have} rules, expected ${total}`);
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
  renameSync(partial, dbPath);
}

/** Writes `count` variants, cycling through the pack's files; generation k gets a k-day wider window. */
function writeVariants(outDir: string, count: number): void {
  const packDir = rmmPackDir();
  const files = listRuleFiles(packDir);
  for (let i = 0; i < count; i++) {
    const file = files[i % files.length]!;
    const gen = Math.floor(i / files.length) + 1;
    const text = readFileSync(file, 'utf8');
    const id = /^id: (.+)$/m.exec(text)?.[1];
    if (!id) throw new Error(`no id line in ${file}`);
    const variant = text
      .replace(/^id: .+$/m, `id: ${uuidV5(`${gen}:${id}`, VARIANT_NAMESPACE)}`)
      .replace(/^name: (.+)$/m, (_, name: string) => `name: ${name} (variant ${gen})`)
      // A different window changes the content hash and the query text the search indexes.
      .replace(/now\(-(\d+)d\)/, (_, d: string) => `now(-${Number(d) + gen}d)`);
    const out = join(outDir, `v${gen}`, relative(packDir, file));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, variant);
  }
}
