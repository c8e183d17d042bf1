import { resolve } from 'node:path';
import { stringOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, parseChoice } from '../options.js';
import { DEFAULT_DB_PATH } from '../../store/store.js';
import { UserError } from '../../util/errors.js';
import { atomFeed, type FeedHead } from '../../rules/publish/atom.js';
import { openPublishedCatalog } from '../../rules/publish/catalog-rules.js';
import { enrichCatalog } from '../../rules/publish/enrich-catalog.js';
import { feedEntries, feedId } from '../../rules/publish/feed-entries.js';
import { jsonFeed } from '../../rules/publish/json-feed.js';

export const feedCommand: CommandDefinition = {
  name: 'feed',
  summary: 'publish the catalog as a feed of new and updated rules (Atom 1.0 or JSON Feed 1.1)',
  usage: 'feed [--db PATH] [--format atom|json] [--since ISO] [--url URL]',
  example: 'socfeed feed --format atom --since 2026-05-01T00:00:00Z > feed.atom',
  options: {
    db: DB_OPTION,
    format: { type: 'string', value: 'FORMAT', description: 'atom (default) or json (JSON Feed 1.1)' },
    since: { type: 'string', value: 'ISO', description: 'only rules new or changed at or after this time' },
    url: {
      type: 'string',
      value: 'URL',
      description: "where the feed will be served (the feed's self link and id)",
    },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const format = parseChoice(ctx.values, 'format', ['atom', 'json'] as const, 'atom');
    const since = parseSince(stringOpt(ctx.values, 'since'));
    const url = parseUrl(stringOpt(ctx.values, 'url'));
    const db = stringOpt(ctx.values, 'db');
    const now = new Date();
    const cat = await openPublishedCatalog(db, ctx.note, now);
    try {
      const entries = feedEntries(await enrichCatalog(cat), since);
      const head: FeedHead = {
        id: feedId(resolve(db ?? DEFAULT_DB_PATH), url),
        title: 'socfeed detection feed',
        subtitle: `New and updated hunting rules from ${sourceList(cat.rules.map((r) => r.source))}, enriched by socfeed.`,
        selfUrl: url ?? (format === 'atom' ? 'feed.atom' : 'feed.json'),
        now,
      };
      ctx.note(
        `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${since ? ` since ${since.toISOString()}` : ''}`,
      );
      if (format === 'json') return { output: JSON.stringify(jsonFeed(head, entries), null, 2) };
      return { output: atomFeed(head, entries) };
    } finally {
      cat.close();
    }
  },
};

function parseSince(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new UserError('SF-CLI-SINCE', `--since '${text}' is not an ISO 8601 time`, {
      hint: 'e.g. --since 2026-05-01T00:00:00Z',
    });
  }
  return d;
}

function parseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const u = new URL(text);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch {
    // reported below
  }
  throw new UserError('SF-CLI-URL', `--url '${text}' is not an http(s) URL`, {
    hint: 'e.g. --url https://soc.example.com/feed.atom',
  });
}

function sourceList(sources: string[]): string {
  const unique = [...new Set(sources)].sort();
  return unique.length ? unique.join(', ') : 'no sources yet';
}
