import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { RuleCatalogStore } from '../rules/catalog-store.js';
import { loadRules } from '../rules/load.js';
import type { Rule, RuleDiagnostic } from '../rules/model.js';
import { RMM_PACK_SOURCE, rmmPackDir, syncRmmPack } from '../rules/publish/rmm-pack-source.js';
import type { Store } from '../store/store.js';
import { UserError } from '../util/errors.js';

/** A rule selected for a hunt, with where it came from. */
export interface HuntRule {
  /** Catalog source (`socfeed-rmm-pack`, an import's name) or `file` for --rules paths. */
  source: string;
  rule: Rule;
  /** How diagnostics name the rule: its file, relative to the working folder when possible. */
  label: string;
}

/** `--rules` words that are not paths. */
export const RULE_SET_WORDS = ['rmm-pack', 'imported', 'all'] as const;

export interface RuleSelection {
  rules: HuntRule[];
  /** Problems found while loading rule files (bad files are skipped, as in `rules import`). */
  diagnostics: RuleDiagnostic[];
  /** What was selected, in words, for the run record. */
  description: string[];
}

function labelOf(rule: Rule): string {
  const rel = relative(process.cwd(), rule.provenance.localPath);
  return rel.startsWith('..') ? rule.provenance.localPath : rel;
}

/**
 * The rules a hunt runs. No selection: the bundled RMM pack (synced into the store's catalog, as
 * the publishing commands do) plus every rule imported into the store. `rmm-pack`, `imported` and
 * `all` name those sets; anything else is a rule file or folder loaded as is.
 */
export async function selectRules(
  store: Store,
  selectors: string[],
  writable: boolean,
): Promise<RuleSelection> {
  const wanted = selectors.length > 0 ? selectors : ['all'];
  const out: RuleSelection = { rules: [], diagnostics: [], description: [] };
  const seen = new Set<string>();
  const add = (source: string, rule: Rule) => {
    const key = `${source}\u0000${rule.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.rules.push({ source, rule, label: labelOf(rule) });
  };
  for (const sel of wanted) {
    if (sel === 'rmm-pack' || sel === 'all' || sel === 'imported') {
      const fromCatalog = await catalogRules(store, writable);
      for (const r of fromCatalog) {
        const isPack = r.source === RMM_PACK_SOURCE;
        if (sel === 'all' || (sel === 'rmm-pack') === isPack) add(r.source, r.rule);
      }
      out.description.push(sel);
      continue;
    }
    if (!existsSync(sel)) {
      throw new UserError('SF-HUNT-RULES', `no rule file or folder '${sel}'`, {
        hint: `give a rule file or folder, or one of ${RULE_SET_WORDS.join(', ')}`,
      });
    }
    const load = loadRules(sel);
    out.diagnostics.push(...load.diagnostics);
    for (const rule of load.rules) add('file', rule);
    out.description.push(sel);
  }
  return out;
}

/** The catalog's current rules; the pack is brought up to date first when the store is writable. */
async function catalogRules(store: Store, writable: boolean): Promise<{ source: string; rule: Rule }[]> {
  if (!writable) {
    // A read-only store cannot take the pack: read it from its folder instead.
    const pack = loadRules(rmmPackDir()).rules.map((rule) => ({ source: RMM_PACK_SOURCE, rule }));
    return pack;
  }
  const catalog = await RuleCatalogStore.open(store);
  await syncRmmPack(catalog);
  return (await catalog.currentRules()).map((r) => ({ source: r.source, rule: r.rule }));
}
