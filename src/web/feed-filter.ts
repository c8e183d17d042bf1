import type { RuleSummary } from './catalog-view.js';

/** The feed's filters, as the page's form and `/api/rules` take them (all optional). */
export interface FeedQuery {
  q: string;
  source: string;
  tactic: string;
  technique: string;
  table: string;
  tool: string;
  severity: string;
  confidence: string;
  page: number;
  pageSize: number;
}

export const FILTER_KEYS = [
  'source',
  'tactic',
  'technique',
  'table',
  'tool',
  'severity',
  'confidence',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const MAX_PAGE_SIZE = 200;

export function parseFeedQuery(params: URLSearchParams): FeedQuery {
  const text = (k: string) => (params.get(k) ?? '').trim().slice(0, 200);
  const int = (k: string, fallback: number, max: number) => {
    const n = Number(params.get(k));
    return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
  };
  return {
    q: text('q'),
    source: text('source'),
    tactic: text('tactic'),
    technique: text('technique').toUpperCase(),
    table: text('table'),
    tool: text('tool'),
    severity: text('severity').toLowerCase(),
    confidence: text('confidence').toLowerCase(),
    page: int('page', 1, 100_000),
    pageSize: int('pageSize', 25, MAX_PAGE_SIZE),
  };
}

/** Values of one filter for one rule (what a facet counts and what a filter matches). */
export function facetValues(r: RuleSummary, key: FilterKey): string[] {
  switch (key) {
    case 'source':
      return [r.source];
    case 'tactic':
      return r.tactics.map((t) => t.shortname);
    case 'technique':
      return r.techniques.map((t) => t.id);
    case 'table':
      return r.tables;
    case 'tool':
      return r.tools.map((t) => t.id);
    case 'severity':
      return [(r.severity ?? 'none').toLowerCase()];
    case 'confidence':
      return [r.confidence.level];
  }
}

function matchesFilter(r: RuleSummary, key: FilterKey, want: string): boolean {
  if (!want) return true;
  const values = facetValues(r, key);
  // A technique filter `T1219` also matches its sub-techniques (`T1219.002`).
  if (key === 'technique') return values.some((v) => v === want || v.startsWith(`${want}.`));
  return values.includes(want);
}

/**
 * Full-text search: every word must appear (case-insensitive) in the rule's name, description,
 * query, tags, tables, tools, techniques or hypothesis. Quoted phrases stay together.
 */
export function searchWords(q: string): string[] {
  const words: string[] = [];
  for (const m of q.toLowerCase().matchAll(/"([^"]+)"|(\S+)/g)) words.push((m[1] ?? m[2])!);
  return words;
}

export function filterRules(
  rules: RuleSummary[],
  query: FeedQuery,
  textOf: (r: RuleSummary) => string,
): RuleSummary[] {
  const words = searchWords(query.q);
  const active = FILTER_KEYS.filter((k) => query[k]);
  if (active.length === 0 && words.length === 0) return rules;
  return rules.filter((r) => {
    for (const key of active) if (!matchesFilter(r, key, query[key])) return false;
    if (words.length === 0) return true;
    const text = textOf(r);
    return words.every((w) => text.includes(w));
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export function paginate<T>(items: T[], page: number, pageSize: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const p = Math.min(page, pages);
  return {
    items: items.slice((p - 1) * pageSize, p * pageSize),
    total: items.length,
    page: p,
    pages,
    pageSize,
  };
}

/** Counts of each value of a filter over the rules, most common first (the filter's options). */
export function facet(rules: RuleSummary[], key: FilterKey): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of rules)
    for (const v of new Set(facetValues(r, key))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
