import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { atomFeed, type FeedHead } from '../rules/publish/atom.js';
import { feedEntries, feedId } from '../rules/publish/feed-entries.js';
import { jsonFeed } from '../rules/publish/json-feed.js';
import { apiNavigator, apiQuery, apiRule, apiRules, apiRunRule, apiSchema, findOr404 } from './api.js';
import type { RunLimits } from './console-run.js';
import { parseFeedQuery } from './feed-filter.js';
import { HttpError, optionalTime, sendHtml, sendJson, sendText } from './http-util.js';
import { runHuntFromWeb } from './hunt-run.js';
import type { Policy } from '../hunt/policy.js';
import { hasHuntTables, huntFindings, huntRuns, latestHits, ruleHistory } from './hunt-data.js';
import { consolePage, SAMPLE_QUERY } from './pages/console.js';
import { coveragePage } from './pages/coverage.js';
import { feedPage } from './pages/feed.js';
import { huntsPage, parseHuntsQuery, type HuntsData, type HuntsQuery } from './pages/hunts.js';
import { rulePage } from './pages/rule.js';
import type { WebState } from './state.js';

export interface RouteContext {
  state: WebState;
  limits: RunLimits;
  /** The approved-tools policy of `serve --policy`, applied to hunts run from the page. */
  policy: Policy | undefined;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  body: Record<string, unknown>;
}

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(c: RouteContext): Promise<void> | void;
}

function feedHead(c: RouteContext, self: string): FeedHead {
  const sources = [...new Set(c.state.rules.map((r) => r.source))].sort();
  return {
    id: feedId(resolve(c.state.store.path)),
    title: 'socfeed detection feed',
    subtitle: `New and updated hunting rules from ${sources.join(', ') || 'no sources yet'}, enriched by socfeed.`,
    selfUrl: self,
    now: new Date(),
  };
}

/** The runs and the selected run's findings (the latest run unless `?run=` names another). */
async function huntsData(state: WebState, q: HuntsQuery): Promise<HuntsData> {
  if (!(await hasHuntTables(state))) return { available: false, runs: [], findings: [] };
  const runs = await huntRuns(state);
  const run = q.run === undefined ? runs[0] : runs.find((r) => r.runId === q.run);
  if (q.run !== undefined && !run) throw new HttpError(404, 'SF-WEB-NOT-FOUND', `no hunt run #${q.run}`);
  return {
    available: true,
    runs,
    ...(run ? { run } : {}),
    findings: run ? await huntFindings(state, run.runId) : [],
  };
}

/** The latest event time of any table a rule reads: the natural `now` over an exported store. */
function latestEvent(state: WebState): Date | undefined {
  const latest = state.entries
    .flatMap((e) =>
      e.enriched.dataSources.value.flatMap((d) =>
        d.availability?.value.lastTimestamp ? [d.availability.value.lastTimestamp] : [],
      ),
    )
    .sort()
    .at(-1);
  return latest ? new Date(latest) : undefined;
}

const source = (c: RouteContext) => c.url.searchParams.get('source') ?? undefined;

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/$/,
    handle: (c) => sendHtml(c.res, 200, feedPage(c.state, parseFeedQuery(c.url.searchParams))),
  },
  {
    method: 'GET',
    pattern: /^\/rules\/([^/]+)$/,
    async handle(c) {
      const found = findOr404(c.state, c.params[0]!, source(c));
      const history = await ruleHistory(c.state, found.summary.source, found.summary.id);
      sendHtml(c.res, 200, rulePage(found.entry, c.state.dbLabel, history));
    },
  },
  {
    method: 'GET',
    pattern: /^\/coverage$/,
    async handle(c) {
      sendHtml(c.res, 200, coveragePage(c.state, await latestHits(c.state)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/hunts$/,
    async handle(c) {
      const q = parseHuntsQuery(c.url.searchParams);
      const now = latestEvent(c.state)?.toISOString();
      const form = { ...(now ? { now } : {}), ...(c.policy ? { policy: c.policy.file } : {}) };
      sendHtml(c.res, 200, huntsPage(c.state.dbLabel, await huntsData(c.state, q), q, form));
    },
  },
  {
    method: 'GET',
    pattern: /^\/console$/,
    handle(c) {
      const ruleId = c.url.searchParams.get('rule');
      const rule = ruleId ? c.state.find(ruleId, source(c)) : undefined;
      const initial = c.url.searchParams.get('kql') ?? rule?.entry.published.rule.query ?? SAMPLE_QUERY;
      const latest = latestEvent(c.state)?.toISOString();
      sendHtml(
        c.res,
        200,
        consolePage({
          dbLabel: c.state.dbLabel,
          initial,
          limits: c.limits,
          ...(latest ? { now: latest } : {}),
        }),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/feed\.atom$/,
    handle: (c) =>
      sendText(
        c.res,
        200,
        'application/atom+xml; charset=utf-8',
        atomFeed(feedHead(c, '/feed.atom'), feedEntries(c.state.entries)),
      ),
  },
  {
    method: 'GET',
    pattern: /^\/feed\.json$/,
    handle: (c) =>
      sendJson(c.res, 200, jsonFeed(feedHead(c, '/feed.json'), feedEntries(c.state.entries)), {
        'Content-Type': 'application/feed+json; charset=utf-8',
      }),
  },
  // Browsers ask for an icon on every page; an empty answer keeps their consoles free of 404s.
  { method: 'GET', pattern: /^\/favicon\.ico$/, handle: (c) => void c.res.writeHead(204).end() },
  {
    method: 'GET',
    pattern: /^\/api\/health$/,
    handle: (c) =>
      sendJson(c.res, 200, { ok: true, rules: c.state.rules.length, queued: c.state.queue.depth }),
  },
  {
    method: 'GET',
    pattern: /^\/api\/rules$/,
    handle: (c) => sendJson(c.res, 200, apiRules(c.state, parseFeedQuery(c.url.searchParams))),
  },
  {
    method: 'GET',
    pattern: /^\/api\/rules\/([^/]+)$/,
    handle: (c) => sendJson(c.res, 200, apiRule(c.state, c.params[0]!, source(c))),
  },
  {
    method: 'POST',
    pattern: /^\/api\/rules\/([^/]+)\/run$/,
    async handle(c) {
      sendJson(c.res, 200, await apiRunRule(c.state, c.params[0]!, source(c), c.body, c.limits));
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/query$/,
    async handle(c) {
      sendJson(c.res, 200, await apiQuery(c.state, c.body, c.limits));
    },
  },
  { method: 'GET', pattern: /^\/api\/schema$/, handle: (c) => sendJson(c.res, 200, apiSchema(c.state)) },
  {
    method: 'GET',
    pattern: /^\/api\/coverage$/,
    async handle(c) {
      sendJson(c.res, 200, c.state.coverage(await latestHits(c.state)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/coverage\/navigator$/,
    async handle(c) {
      const layer = apiNavigator(c.state, await latestHits(c.state));
      sendJson(c.res, 200, layer, { 'Content-Disposition': 'attachment; filename="socfeed-layer.json"' });
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/hunts\/run$/,
    async handle(c) {
      const lookback = c.body['lookback'];
      if (lookback !== undefined && lookback !== '' && typeof lookback !== 'string')
        throw new HttpError(400, 'SF-WEB-LOOKBACK', 'lookback must be a text such as "5d"');
      const now = optionalTime(c.body['now'], 'now') ?? latestEvent(c.state) ?? new Date();
      const result = await runHuntFromWeb(c.state, {
        now,
        ...(lookback ? { lookback } : {}),
        ...(c.policy ? { policy: c.policy } : {}),
      });
      sendJson(c.res, 200, result);
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/hunts$/,
    async handle(c) {
      const q = parseHuntsQuery(c.url.searchParams);
      const d = await huntsData(c.state, q);
      sendJson(c.res, 200, {
        ...d,
        findings: q.device ? d.findings.filter((f) => f.deviceName === q.device) : d.findings,
      });
    },
  },
];
