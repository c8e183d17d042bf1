import type { RunResult } from '../engine/run.js';
import { navigatorLayer } from '../rules/publish/navigator.js';
import { ruleYaml } from '../rules/publish/rule-yaml.js';
import { filterRules, paginate, type FeedQuery } from './feed-filter.js';
import { HttpError, optionalTime, rowCount } from './http-util.js';
import { runForWeb, type RunLimits } from './console-run.js';
import { latestData } from './pages/rule.js';
import { runRule } from './rule-run.js';
import type { WebState } from './state.js';

/** `/api/rules`: one page of the filtered feed, with the facets the filters offer. */
export function apiRules(state: WebState, q: FeedQuery) {
  const matched = filterRules(state.rules, q, state.textOf);
  const p = paginate(matched, q.page, q.pageSize);
  return {
    total: p.total,
    page: p.page,
    pages: p.pages,
    pageSize: p.pageSize,
    items: p.items,
    facets: state.allFacets(),
  };
}

export function findOr404(state: WebState, id: string, source: string | undefined) {
  const found = state.find(id, source);
  if (!found)
    throw new HttpError(
      404,
      'SF-RULES-NOT-FOUND',
      `no rule with id '${id}'${source ? ` in source '${source}'` : ''}`,
      {
        hint: 'rule ids are listed by /api/rules',
      },
    );
  return found;
}

/** `/api/rules/:id`: the rule, its enrichment and its definition as YAML. */
export function apiRule(state: WebState, id: string, source: string | undefined) {
  const { summary, entry } = findOr404(state, id, source);
  return {
    summary,
    rule: entry.published.rule,
    yaml: ruleYaml(entry.published.rule),
    enrichment: entry.enriched,
  };
}

export interface RunResponse {
  columns: RunResult['columns'];
  rows: RunResult['rows'];
  rowCount: number;
  truncated: boolean;
  maxRows: number;
  chart?: RunResult['chart'];
  warnings: { code: string; message: string }[];
  now: string;
  /** The look-back applied on top of the rule's own window, if one was chosen. */
  lookback?: string;
}

function response(r: RunResult, maxRows: number, now: Date): RunResponse {
  const out: RunResponse = {
    columns: r.columns,
    rows: r.rows,
    rowCount: r.rows.length,
    truncated: r.truncated,
    maxRows,
    warnings: r.warnings.map((w) => ({ code: w.code, message: w.message })),
    now: now.toISOString(),
  };
  if (r.chart) out.chart = r.chart;
  return out;
}

/** `POST /api/rules/:id/run`: the rule's own query over the store, `now` pinned. */
export async function apiRunRule(
  state: WebState,
  id: string,
  source: string | undefined,
  body: Record<string, unknown>,
  limits: RunLimits,
): Promise<RunResponse> {
  const { entry } = findOr404(state, id, source);
  const latest = latestData(entry.enriched);
  const now = optionalTime(body['now'], 'now') ?? (latest ? new Date(latest) : new Date());
  const maxRows = rowCount(body['maxRows'], limits.maxRows, limits.maxRows);
  const lookback = body['lookback'];
  if (lookback !== undefined && lookback !== null && lookback !== '' && typeof lookback !== 'string')
    throw new HttpError(400, 'SF-WEB-LOOKBACK', 'lookback must be a text such as "5d"');
  const r = await runRule(state, entry.published, {
    now,
    maxRows,
    timeoutMs: limits.timeoutMs,
    ...(lookback ? { lookback } : {}),
  });
  return { ...response(r, maxRows, now), ...(lookback ? { lookback } : {}) };
}

/** `POST /api/query`: console KQL, compiled by socfeed (there is no SQL path), capped and timed out. */
export async function apiQuery(
  state: WebState,
  body: Record<string, unknown>,
  limits: RunLimits,
): Promise<RunResponse> {
  const kql = body['kql'];
  if (typeof kql !== 'string' || kql.trim() === '')
    throw new HttpError(400, 'SF-WEB-KQL', 'give the KQL to run as "kql" (a non-empty string)');
  if (kql.length > 100_000)
    throw new HttpError(400, 'SF-WEB-KQL', 'the query is longer than 100,000 characters');
  const now = optionalTime(body['now'], 'now') ?? new Date();
  const maxRows = rowCount(body['maxRows'], limits.maxRows, limits.maxRows);
  const r = await runForWeb(state, kql, { now, maxRows, timeoutMs: limits.timeoutMs });
  return response(r, maxRows, now);
}

/** `/api/schema`: the store's tables in the shape monaco-kusto's `setSchema` takes. */
export function apiSchema(state: WebState) {
  const database = {
    name: 'socfeed',
    tables: state.store.schema.tables.map((t) => ({
      name: t.name,
      docstring: t.description,
      columns: [
        ...t.columns.map((c) => ({
          name: c.name,
          type: c.type,
          ...(c.description ? { docstring: c.description } : {}),
        })),
        ...Object.entries(t.aliases).map(([alias, target]) => ({
          name: alias,
          type: t.columns.find((c) => c.name === target)?.type ?? 'string',
          docstring: `alias of ${target}`,
        })),
      ],
    })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  return { clusterType: 'Engine', cluster: { connectionString: 'socfeed', databases: [database] }, database };
}

export function apiNavigator(state: WebState, hits?: ReadonlyMap<string, number>) {
  return navigatorLayer(state.coverage(hits), state.attack, { now: new Date() });
}
