import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ImportSummary, RuleCatalogStore } from '../catalog-store.js';
import { packageRoot } from '../data-dir.js';
import { listRuleFiles, loadRules, type LoadResult } from '../load.js';
import { contentHash } from '../parse-rule.js';

/**
 * The bundled RMM rule pack as a catalog source. It is imported into the store on first use by the
 * commands that publish rules (feed, coverage, rules show), and again whenever socfeed ships a
 * regenerated pack: the catalog then records the changed rules as `updated`, so the feed shows
 * them. Nothing is written when the store already holds the pack as shipped.
 */
export const RMM_PACK_SOURCE = 'socfeed-rmm-pack';

export function rmmPackDir(): string {
  return join(packageRoot(), 'data', 'rules', 'rmm-pack');
}

/** Imports the pack when the store's copy differs from the shipped one; returns what changed. */
export async function syncRmmPack(
  catalog: RuleCatalogStore,
  now: Date = new Date(),
): Promise<ImportSummary | undefined> {
  const dir = rmmPackDir();
  const shipped = new Set(
    listRuleFiles(dir).map((f) => contentHash(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))),
  );
  const stored = new Set((await catalog.currentRules(RMM_PACK_SOURCE)).map((r) => r.rule.contentHash));
  if (shipped.size === stored.size && [...shipped].every((h) => stored.has(h))) return undefined;
  return catalog.importRules(RMM_PACK_SOURCE, [packLoad(dir, now)], [dir], now);
}

/**
 * The pack loaded with socfeed as its origin. Without this the loader would describe the files by
 * wherever socfeed is installed (a git checkout's commit, a node_modules folder), which is neither
 * stable nor meaningful to a reader.
 */
function packLoad(dir: string, now: Date): LoadResult {
  const load = loadRules(dir, { now });
  for (const rule of load.rules) {
    rule.provenance = {
      repository: 'socfeed',
      path: ['data', 'rules', 'rmm-pack', ...relative(dir, rule.provenance.localPath).split(sep)].join('/'),
      localPath: rule.provenance.localPath,
      retrievedAt: rule.provenance.retrievedAt,
    };
  }
  return { ...load, origin: { repository: 'socfeed', root: dir } };
}
