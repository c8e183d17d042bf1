import type { EnrichedEntry } from '../rules/publish/enrich-catalog.js';
import { feedEntries } from '../rules/publish/feed-entries.js';

/** What the feed page and `/api/rules` show for one rule: a flat, JSON-ready summary. */
export interface RuleSummary {
  id: string;
  source: string;
  name: string;
  description: string;
  published: string;
  updated: string;
  status: 'new' | 'updated';
  severity: string | null;
  type: string;
  confidence: { level: string; score: number };
  techniques: { id: string; name: string }[];
  tactics: { shortname: string; name: string }[];
  tables: string[];
  tools: { id: string; name: string }[];
  tags: string[];
  hypothesis: string;
  valid: boolean;
}

export interface CatalogView {
  /** Newest and most recently updated first (the feed's order). */
  summaries: RuleSummary[];
  entries: EnrichedEntry[];
  byKey: Map<string, { summary: RuleSummary; entry: EnrichedEntry }>;
}

export function ruleKey(source: string, id: string): string {
  return `${source}\u0000${id.toLowerCase()}`;
}

export function catalogView(entries: EnrichedEntry[]): CatalogView {
  const index = new Map(entries.map((e) => [ruleKey(e.published.source, e.published.rule.id), e]));
  const byKey = new Map<string, { summary: RuleSummary; entry: EnrichedEntry }>();
  const summaries: RuleSummary[] = [];
  // feedEntries owns the feed's order (updated, then name, then source); the page follows it.
  for (const f of feedEntries(entries)) {
    const entry = index.get(ruleKey(f.source, f.ruleId))!;
    const { published: p, enriched: e } = entry;
    const summary: RuleSummary = {
      id: p.rule.id,
      source: p.source,
      name: p.rule.name,
      description: p.rule.description,
      published: p.published,
      updated: p.updated,
      status: f.status,
      severity: p.rule.severity ?? null,
      type: p.rule.type,
      confidence: { level: e.confidence.value.level, score: e.confidence.value.score },
      techniques: f.techniques,
      tactics: f.tactics,
      tables: e.dataSources.value.map((d) => d.table),
      tools: e.tools.value.map((t) => ({ id: t.id, name: t.name })),
      tags: p.rule.tags,
      hypothesis: e.hypothesis.value,
      valid: e.validation.value.errors === 0,
    };
    summaries.push(summary);
    byKey.set(ruleKey(p.source, p.rule.id), { summary, entry });
  }
  return { summaries, entries, byKey };
}
