import type { FeedEntry } from './feed-entries.js';
import { SOCFEED_HOME, socfeedVersion } from './package-info.js';
import { element } from './xml.js';

/** What identifies the feed itself (the entries carry the rest). */
export interface FeedHead {
  /** `urn:uuid:…`, permanent for this feed. */
  id: string;
  title: string;
  subtitle: string;
  /** Where the feed is published (link rel=self); may be a relative reference. */
  selfUrl: string;
  /** Used as the feed's `updated` when it has no entries. */
  now: Date;
}

const ATTACK_TECHNIQUES = 'https://attack.mitre.org/techniques/';
const ATTACK_TACTICS = 'https://attack.mitre.org/tactics/';

/**
 * An Atom 1.0 feed (RFC 4287). Text constructs are `type="text"`: rule text is untrusted and a
 * reader must show it as text, never interpret it as HTML.
 */
export function atomFeed(head: FeedHead, entries: FeedEntry[]): string {
  const updated =
    entries.reduce((max, e) => (e.updated > max ? e.updated : max), '') || head.now.toISOString();
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  ${element('id', {}, head.id)}`,
    `  ${element('title', { type: 'text' }, head.title)}`,
    `  ${element('subtitle', { type: 'text' }, head.subtitle)}`,
    `  ${element('updated', {}, rfc3339(updated))}`,
    `  ${element('link', { rel: 'self', type: 'application/atom+xml', href: head.selfUrl })}`,
    `  ${element('generator', { uri: SOCFEED_HOME, version: socfeedVersion() }, 'socfeed')}`,
    `  <author>${element('name', {}, 'socfeed')}</author>`,
  ];
  for (const e of entries) lines.push(...atomEntry(e).map((l) => `  ${l}`));
  lines.push('</feed>', '');
  return lines.join('\n');
}

function atomEntry(e: FeedEntry): string[] {
  const out = [
    '<entry>',
    `  ${element('id', {}, e.id)}`,
    `  ${element('title', { type: 'text' }, e.title)}`,
    `  ${element('updated', {}, rfc3339(e.updated))}`,
    `  ${element('published', {}, rfc3339(e.published))}`,
    `  <author>${element('name', {}, e.author)}</author>`,
    `  ${element('summary', { type: 'text' }, e.summary)}`,
    `  ${element('content', { type: 'text' }, e.content)}`,
  ];
  for (const t of e.techniques)
    out.push(`  ${element('category', { term: t.id, scheme: ATTACK_TECHNIQUES, label: t.name })}`);
  for (const t of e.tactics)
    out.push(`  ${element('category', { term: t.shortname, scheme: ATTACK_TACTICS, label: t.name })}`);
  out.push(
    `  ${element('category', { term: e.status, label: e.status === 'new' ? 'New rule' : 'Updated rule' })}`,
  );
  if (e.link) out.push(`  ${element('link', { rel: 'alternate', type: 'text/html', href: e.link })}`);
  out.push('</entry>');
  return out;
}

/** RFC 3339 as Atom wants it: the stored ISO time normalised to UTC with a `Z`. */
function rfc3339(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}
