import { kqlTerms } from '../kql-terms.js';
import { RMM_INDICATOR_KINDS, type RmmCatalog, type RmmIndicatorKind } from '../rmm-catalog.js';
import type { QueryCondition } from './types.js';

/**
 * How specific a rule's indicator values are, judged against the RMM catalog: a value the catalog
 * excludes as generic, a value several tools claim, a `has` term that also matches other tools'
 * indicators, or a term too short to mean anything.
 */
export type IndicatorConcern =
  | { kind: 'excluded'; value: string; reason: string }
  | { kind: 'shared'; value: string; tools: string[] }
  | { kind: 'overlap'; value: string; tools: string[]; example: string }
  | { kind: 'short'; value: string };

/** Operators whose needle is matched as whole terms (`has`) or as a substring. */
const TERM_OPS = new Set([
  'has',
  'has_cs',
  'has_any',
  'has_all',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
]);
const SUBSTRING_OPS = new Set([
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
]);

/** Fewest letters and digits a term or substring needle should have to mean anything. */
const MIN_TERM = 4;

interface IndexedValue {
  toolId: string;
  toolName: string;
  kind: RmmIndicatorKind;
  value: string;
  excluded?: string;
  terms: string[];
}

interface Index {
  all: IndexedValue[];
  byValue: Map<string, IndexedValue[]>;
}

const indexCache = new WeakMap<RmmCatalog, Index>();

function index(catalog: RmmCatalog): Index {
  let idx = indexCache.get(catalog);
  if (!idx) {
    idx = { all: [], byValue: new Map() };
    for (const t of catalog.tools) {
      for (const kind of RMM_INDICATOR_KINDS) {
        for (const i of t.indicators[kind]) {
          const v: IndexedValue = {
            toolId: t.id,
            toolName: t.name,
            kind,
            value: i.value,
            terms: kqlTerms(i.value),
          };
          if (i.excluded) v.excluded = i.excluded.reason;
          idx.all.push(v);
          const key = i.value.toLowerCase();
          if (!idx.byValue.has(key)) idx.byValue.set(key, []);
          idx.byValue.get(key)!.push(v);
        }
      }
    }
    indexCache.set(catalog, idx);
  }
  return idx;
}

/**
 * Concerns about the values of the rule's positive conditions. `ruleTools` are the tools the rule
 * hunts: matching their own indicators is the point, not an overlap. For a rule over many tools
 * (`multiTool`), values shared between tools are expected and only generic values are reported.
 */
export function indicatorConcerns(
  conditions: QueryCondition[],
  catalog: RmmCatalog,
  ruleTools: string[],
  multiTool = false,
): IndicatorConcern[] {
  const idx = index(catalog);
  const mine = new Set(ruleTools);
  const out: IndicatorConcern[] = [];
  const seen = new Set<string>();
  for (const c of conditions) {
    if (c.negated || c.op === 'join') continue;
    for (const value of c.values) {
      const key = value.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const same = idx.byValue.get(key) ?? [];
      const excluded = same.find((x) => x.excluded);
      if (excluded) {
        out.push({ kind: 'excluded', value, reason: excluded.excluded! });
        continue;
      }
      // Letters of any script count: a Chinese publisher name is not short for having no ASCII.
      const letters = (value.match(/[\p{L}\p{N}]/gu) ?? []).length;
      if ((TERM_OPS.has(c.op) || SUBSTRING_OPS.has(c.op)) && letters < MIN_TERM) {
        out.push({ kind: 'short', value });
        continue;
      }
      if (multiTool) continue;
      const claimants = [...new Set(same.map((x) => x.toolName))];
      if (claimants.length > 1) {
        out.push({ kind: 'shared', value, tools: claimants.sort() });
        continue;
      }
      if (TERM_OPS.has(c.op)) {
        const needle = kqlTerms(value);
        const others = idx.all.filter(
          (x) =>
            !mine.has(x.toolId) &&
            !x.excluded &&
            x.value.toLowerCase() !== key &&
            containsRun(x.terms, needle),
        );
        const tools = [...new Set(others.map((x) => x.toolName))].sort();
        if (tools.length > 0) out.push({ kind: 'overlap', value, tools, example: others[0]!.value });
      }
    }
  }
  return out;
}

function containsRun(hay: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
