import type { FeedHead } from './atom.js';
import type { FeedEntry } from './feed-entries.js';
import { SOCFEED_HOME } from './package-info.js';

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the same entries as the Atom feed. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  description: string;
  home_page_url: string;
  feed_url?: string;
  authors: { name: string }[];
  items: JsonFeedItem[];
}

export interface JsonFeedItem {
  id: string;
  title: string;
  content_text: string;
  summary: string;
  date_published: string;
  date_modified: string;
  tags: string[];
  external_url?: string;
  authors: { name: string }[];
  /** socfeed's own fields (JSON Feed extensions start with `_`). */
  _socfeed: {
    rule_id: string;
    source: string;
    status: 'new' | 'updated';
    techniques: string[];
    tactics: string[];
  };
}

export function jsonFeed(head: FeedHead, entries: FeedEntry[]): JsonFeed {
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: head.title,
    description: head.subtitle,
    home_page_url: SOCFEED_HOME,
    authors: [{ name: 'socfeed' }],
    items: entries.map((e) => {
      const item: JsonFeedItem = {
        id: e.id,
        title: e.title,
        content_text: e.content,
        summary: e.summary,
        date_published: new Date(e.published).toISOString(),
        date_modified: new Date(e.updated).toISOString(),
        tags: [...e.techniques.map((t) => t.id), ...e.tactics.map((t) => t.shortname), ...e.tags],
        authors: [{ name: e.author }],
        _socfeed: {
          rule_id: e.ruleId,
          source: e.source,
          status: e.status,
          techniques: e.techniques.map((t) => t.id),
          tactics: e.tactics.map((t) => t.shortname),
        },
      };
      if (e.link) item.external_url = e.link;
      return item;
    }),
  };
  // JSON Feed wants an absolute feed_url; a relative self reference is left out.
  if (/^https?:\/\//.test(head.selfUrl)) feed.feed_url = head.selfUrl;
  return feed;
}
