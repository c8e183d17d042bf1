import { existsSync } from 'node:fs';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { UserError } from '../../util/errors.js';
import { publicationKey, RuleCatalogStore } from '../catalog-store.js';
import type { Rule } from '../model.js';
import { RMM_PACK_SOURCE, syncRmmPack } from './rmm-pack-source.js';

/** A rule as the publishing commands see it: with its source and when it was published and changed. */
export interface PublishedRule {
  source: string;
  rule: Rule;
  /** ISO time of the import that first brought the rule. */
  published: string;
  /** ISO time of the import that brought its current version. */
  updated: string;
  /** Versions stored (1 for a rule never changed). */
  versions: number;
}

export interface OpenCatalog {
  store: Store;
  /** Whether the store is the user's file (false: an in-memory store holding only the pack). */
  persistent: boolean;
  rules: PublishedRule[];
  close(): void;
}

/**
 * Opens the store named by `--db` (or the default one), brings the bundled RMM pack up to date
 * in it, and reads every present rule. With no store at the default path the rules are read from
 * an in-memory store holding the pack only (said on stderr through `note`); a store named
 * explicitly must exist.
 */
export async function openPublishedCatalog(
  db: string | undefined,
  note: (text: string) => void,
  now: Date = new Date(),
): Promise<OpenCatalog> {
  const path = db ?? DEFAULT_DB_PATH;
  let persistent = true;
  let store: Store;
  if (path !== ':memory:' && !existsSync(path)) {
    if (db !== undefined) {
      throw new UserError('SF-STORE-MISSING', `no store at ${path}`, {
        hint: 'import rules first (socfeed rules import PATH --db FILE), or leave out --db to see the bundled RMM pack',
      });
    }
    note(
      `note: no store at ${path}; showing the bundled RMM pack only (import rules with \`socfeed rules import\`)`,
    );
    store = await Store.open(':memory:');
    persistent = false;
  } else {
    store = await Store.open(path);
  }
  try {
    const catalog = await RuleCatalogStore.open(store);
    const synced = await syncRmmPack(catalog, now);
    if (synced && persistent) {
      const c = synced.counts;
      note(
        `note: bundled RMM pack synced into ${path} as source '${RMM_PACK_SOURCE}' (new ${c.new}, updated ${c.updated}, removed ${c.removed})`,
      );
    }
    const dates = await catalog.publicationDates();
    const rules = (await catalog.currentRules()).map(({ source, rule }) => {
      const d = dates.get(publicationKey(source, rule.id));
      const fallback = rule.provenance.retrievedAt;
      return {
        source,
        rule,
        published: d?.published ?? fallback,
        updated: d?.updated ?? fallback,
        versions: d?.versions ?? 1,
      };
    });
    return { store, persistent, rules, close: () => store.close() };
  } catch (e) {
    store.close();
    throw e;
  }
}

/**
 * The rule an id names: the full id, or a prefix of it long enough to be unique (`rules list`
 * shows eight characters). When several sources hold the same id, `source` picks one.
 */
export function findRule(rules: PublishedRule[], id: string, source?: string): PublishedRule {
  const want = id.trim().toLowerCase();
  const inSource = source ? rules.filter((r) => r.source === source) : rules;
  const exact = inSource.filter((r) => r.rule.id.toLowerCase() === want);
  const matches = exact.length
    ? exact
    : want.length >= 4
      ? inSource.filter((r) => r.rule.id.toLowerCase().startsWith(want))
      : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(
      'SF-RULES-NOT-FOUND',
      `no rule with id '${id}'${source ? ` in source '${source}'` : ''}`,
      {
        hint: 'list rule ids with `socfeed rules list` (an id prefix of at least 4 characters works)',
      },
    );
  }
  const sources = [...new Set(matches.map((m) => m.source))];
  throw new UserError('SF-RULES-AMBIGUOUS', `'${id}' matches ${matches.length} rules`, {
    hint:
      sources.length > 1 && new Set(matches.map((m) => m.rule.id)).size === 1
        ? `the rule is in several sources; add --source (${sources.join(', ')})`
        : `give more of the id: ${matches
            .slice(0, 3)
            .map((m) => m.rule.id)
            .join(', ')}`,
  });
}
