import type { EnrichedRule } from '../enrich/index.js';
import { safeUrl } from '../enrich/references.js';
import { uuidV5 } from '../uuid.js';
import type { PublishedRule } from './catalog-rules.js';

/**
 * One feed item per rule, independent of the feed format: Atom and JSON Feed are two renderings of
 * the same entries. Text fields are plain text (untrusted: each renderer escapes for its format).
 */
export interface FeedEntry {
  /** `urn:uuid:<rule id>` (a rule id that is not a UUID gets a stable UUIDv5). */
  id: string;
  ruleId: string;
  source: string;
  title: string;
  published: string;
  updated: string;
  /** `new` when the rule has one version, `updated` when it changed since it first appeared. */
  status: 'new' | 'updated';
  summary: string;
  content: string;
  /** The original file, when the rule has a public link. */
  link?: string;
  techniques: { id: string; name: string }[];
  tactics: { shortname: string; name: string }[];
  tags: string[];
  author: string;
}

/** Namespace of the feed's own id (one per store or public URL). Never change it. */
const FEED_ID_NAMESPACE = '0d7f6c1e-8a2b-4f3d-9c5e-2b7a1e4d6f80';

/**
 * The feed's id: stable for its public URL or, without one, for the store file, so `socfeed feed`
 * and `socfeed serve` over the same store publish one feed.
 */
export function feedId(storePath: string, publicUrl?: string): string {
  return `urn:uuid:${uuidV5(publicUrl ?? `store:${storePath}`, FEED_ID_NAMESPACE)}`;
}

/** Namespace for entry ids of rules whose own id is not a UUID. Never change it. */
const FEED_NAMESPACE = '5b0b1d7e-3c55-4b8e-9f6a-6f1c2f1d9a11';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function entryId(source: string, ruleId: string, taken: Set<string>): string {
  let uuid = UUID.test(ruleId) ? ruleId.toLowerCase() : uuidV5(`${source}:${ruleId}`, FEED_NAMESPACE);
  // The same rule id in two sources (a fork, a copy) must still give two distinct entries.
  if (taken.has(uuid)) uuid = uuidV5(`${source}:${ruleId}`, FEED_NAMESPACE);
  taken.add(uuid);
  return `urn:uuid:${uuid}`;
}

/** Entries newest first; `since` keeps rules published or changed at or after that time. */
export function feedEntries(
  rules: { published: PublishedRule; enriched: EnrichedRule }[],
  since?: Date,
): FeedEntry[] {
  const taken = new Set<string>();
  const sorted = [...rules].sort(
    (a, b) =>
      (a.published.updated < b.published.updated ? 1 : a.published.updated > b.published.updated ? -1 : 0) ||
      a.published.rule.name.localeCompare(b.published.rule.name) ||
      a.published.source.localeCompare(b.published.source),
  );
  const out: FeedEntry[] = [];
  for (const { published: p, enriched: e } of sorted) {
    if (since && new Date(p.updated).getTime() < since.getTime()) continue;
    out.push(entry(p, e, entryId(p.source, p.rule.id, taken)));
  }
  return out;
}

function entry(p: PublishedRule, e: EnrichedRule, id: string): FeedEntry {
  const att = e.attack.value;
  const conf = e.confidence.value;
  const tables = e.dataSources.value.map((d) => d.table);
  const content = [
    `Hunt hypothesis: ${e.hypothesis.value}`,
    `Confidence: ${conf.level} (${conf.score}/100). ${conf.reasons
      .filter((r) => r.points !== 0)
      .map((r) => r.detail)
      .join('; ')}`,
    `Tables: ${tables.join(', ') || 'none found'}`,
    `ATT&CK: ${att.techniques.map((t) => `${t.id} ${t.name}`).join(', ') || 'none'}`,
    `KQL query:\n${p.rule.query.trimEnd()}`,
    `False-positive guidance:\n${e.falsePositives.value.map((x) => `- ${x}`).join('\n')}`,
    `References:\n${e.references.map((r) => `- ${r.label}: ${r.url}`).join('\n')}`,
    `Source: ${p.rule.provenance.repository} (${p.rule.provenance.path}), retrieved ${p.rule.provenance.retrievedAt}.`,
  ].join('\n\n');
  const out: FeedEntry = {
    id,
    ruleId: p.rule.id,
    source: p.source,
    title: p.rule.name,
    published: p.published,
    updated: p.updated,
    status: p.versions > 1 ? 'updated' : 'new',
    summary: e.hypothesis.value,
    content,
    techniques: att.techniques.map((t) => ({ id: t.id, name: t.name })),
    tactics: uniqueBy(
      att.techniques.flatMap((t) => t.tactics.map((x) => ({ shortname: x.shortname, name: x.name }))),
      (t) => t.shortname,
    ),
    tags: [
      ...new Set([
        ...p.rule.tags,
        ...tables,
        ...e.tools.value.slice(0, 5).map((t) => `rmm-tool:${t.id}`),
        p.rule.type,
      ]),
    ],
    author: p.rule.provenance.repository,
  };
  const link = p.rule.provenance.url ? safeUrl(p.rule.provenance.url) : undefined;
  if (link) out.link = link;
  return out;
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && seen.add(key(t)));
}
