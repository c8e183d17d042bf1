import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/web/server.js';
import {
  demoStore,
  FIXTURE_SOURCE,
  getJson,
  getText,
  NOW_ISO,
  postJson,
  serve,
  SERVER_EYE_ID,
} from './helpers.js';

interface RulesPage {
  total: number;
  page: number;
  pages: number;
  items: {
    id: string;
    source: string;
    name: string;
    updated: string;
    tables: string[];
    tools: { id: string }[];
    techniques: { id: string }[];
  }[];
  facets: Record<string, { value: string; count: number }[]>;
}
interface RunBody {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  chart?: { kind: string };
}
interface ErrorBody {
  error: { code: string; message: string; diagnostics?: { code: string; start: number; end: number }[] };
}

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await serve(await demoStore(), { limits: { maxRows: 50, timeoutMs: 1500 } });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

describe('feed API', () => {
  it('lists rules newest first with facets and paging', async () => {
    const { status, body } = await getJson<RulesPage>(base, '/api/rules?pageSize=10');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(10);
    expect(body.pages).toBe(Math.ceil(body.total / 10));
    const dates = body.items.map((i) => i.updated);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(body.facets['source']!.map((f) => f.value)).toEqual(
      expect.arrayContaining([FIXTURE_SOURCE, 'socfeed-rmm-pack']),
    );
    const page2 = await getJson<RulesPage>(base, '/api/rules?pageSize=10&page=2');
    expect(page2.body.page).toBe(2);
    expect(page2.body.items[0]!.id).not.toBe(body.items[0]!.id);
  });

  it('filters by source, table, technique and tool, and searches text', async () => {
    const bySource = await getJson<RulesPage>(base, `/api/rules?source=${FIXTURE_SOURCE}`);
    expect(bySource.body.total).toBe(2);
    const byTable = await getJson<RulesPage>(base, '/api/rules?table=DeviceNetworkEvents&pageSize=200');
    expect(byTable.body.total).toBeGreaterThan(0);
    expect(byTable.body.items.every((i) => i.tables.includes('DeviceNetworkEvents'))).toBe(true);
    const byTechnique = await getJson<RulesPage>(base, '/api/rules?technique=t1219&pageSize=1');
    expect(byTechnique.body.total).toBeGreaterThan(100);
    const search = await getJson<RulesPage>(base, '/api/rules?q=%22Krämer IT%22 servereye');
    expect(search.body.items.map((i) => i.id)).toContain(SERVER_EYE_ID);
    expect(search.body.total).toBeLessThan(10);
    const none = await getJson<RulesPage>(base, '/api/rules?q=no-such-words-anywhere');
    expect(none.body.total).toBe(0);
  });

  it('gives one rule with its enrichment, and 404 with a message for an unknown id', async () => {
    const { status, body } = await getJson<{
      rule: { name: string };
      yaml: string;
      enrichment: { dataSources: { value: { table: string; availability?: { value: { rows: number } } }[] } };
    }>(base, `/api/rules/${SERVER_EYE_ID}?source=${FIXTURE_SOURCE}`);
    expect(status).toBe(200);
    expect(body.rule.name).toContain('ServerEye');
    expect(body.yaml).toContain('relevantTechniques: T1219');
    expect(body.enrichment.dataSources.value[0]!.availability!.value.rows).toBeGreaterThan(0);
    const missing = await getJson<ErrorBody>(base, '/api/rules/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("no rule with id 'nope'");
  });
});

describe('running KQL', () => {
  it('runs a rule over the store at the latest data time and finds the planted devices', async () => {
    const { status, body } = await postJson<RunBody & { now: string }>(
      base,
      `/api/rules/${SERVER_EYE_ID}/run?source=${FIXTURE_SOURCE}`,
      {},
    );
    expect(status).toBe(200);
    expect(body.columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'DeviceName',
      'FirstSeen',
      'LastSeen',
      'Report',
      'Count',
    ]);
    expect(body.rowCount).toBeGreaterThan(0);
    expect(body.now.slice(0, 10)).toBe(NOW_ISO.slice(0, 10));
  });

  it('limits a rule run to a look-back, as socfeed hunt --lookback does', async () => {
    const path = `/api/rules/${SERVER_EYE_ID}/run?source=${FIXTURE_SOURCE}`;
    const own = await postJson<RunBody>(base, path, { now: NOW_ISO });
    const fiveDays = await postJson<RunBody>(base, path, { now: NOW_ISO, lookback: '5d' });
    // The rule's own window is five days: the same look-back changes nothing.
    expect(fiveDays.body.rows).toEqual(own.body.rows);
    const day = await postJson<RunBody>(base, path, { now: NOW_ISO, lookback: '1d' });
    expect(day.status).toBe(200);
    const first = day.body.columns.findIndex((c) => c.name === 'FirstSeen');
    const dayStart = new Date(Date.parse(NOW_ISO) - 86_400_000).toISOString();
    for (const row of day.body.rows) expect(String(row[first]) >= dayStart).toBe(true);
    expect(own.body.rows.some((row) => String(row[first]) < dayStart)).toBe(true);
    const bad = await postJson<ErrorBody>(base, path, { lookback: '2 weeks' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('look-back must be one of');
  });

  it('runs console KQL with now pinned, and returns the chart the query asks for', async () => {
    const { status, body } = await postJson<RunBody>(base, '/api/query', {
      kql: 'DeviceProcessEvents | where Timestamp > ago(2d) | summarize N = count() by bin(Timestamp, 1d) | render columnchart',
      now: NOW_ISO,
    });
    expect(status).toBe(200);
    expect(body.rowCount).toBeGreaterThan(0);
    expect(body.chart?.kind).toBe('columnchart');
  });

  it('caps rows at the server limit and says so', async () => {
    const { body } = await postJson<RunBody>(base, '/api/query', {
      kql: 'range x from 1 to 500 step 1',
      maxRows: 100000,
    });
    expect(body.rowCount).toBe(50);
    expect(body.truncated).toBe(true);
  });

  it('reports compile errors with codes and spans, and has no SQL path', async () => {
    const bad = await postJson<ErrorBody>(base, '/api/query', {
      kql: 'DeviceProcessEvents | where ProcessCommandline has "x"',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.diagnostics![0]!.code).toBe('SF102');
    expect(bad.body.error.message).toMatch(/did you mean 'ProcessCommandLine'/);
    const sql = await postJson<ErrorBody>(base, '/api/query', {
      kql: 'SELECT * FROM _socfeed_rule_current; DROP TABLE DeviceInfo',
    });
    expect(sql.status).toBe(400);
    expect(sql.body.error.diagnostics!.length).toBeGreaterThan(0);
    const stillThere = await postJson<RunBody>(base, '/api/query', { kql: 'DeviceInfo | count' });
    expect(stillThere.body.rows[0]![0]).toBeGreaterThan(0);
    const empty = await postJson<ErrorBody>(base, '/api/query', { kql: '  ' });
    expect(empty.body.error.code).toBe('SF-WEB-KQL');
  });

  it('stops a query at the time-out and keeps serving while it runs', async () => {
    const order: string[] = [];
    const slow = postJson<ErrorBody>(base, '/api/query', {
      // 10^12 joined rows: hours of work, so only the time-out can end it.
      kql: 'range x from 1 to 1000000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 1000000 step 1 | extend k = 1) on k | summarize count()',
    }).then((r) => {
      order.push('query');
      return r;
    });
    // Let the query reach the engine, then ask for pages while it runs.
    await new Promise((r) => setTimeout(r, 100));
    const feed = await getText(base, '/?q=servereye');
    order.push('feed');
    const api = await getJson<RulesPage>(base, '/api/rules?pageSize=1');
    order.push('api');
    expect(feed.status).toBe(200);
    expect(api.status).toBe(200);
    const timedOut = await slow;
    expect(order).toEqual(['feed', 'api', 'query']);
    expect(timedOut.status).toBe(400);
    expect(timedOut.body.error.code).toBe('SF-WEB-TIMEOUT');
    // The connection is usable again after the interrupt.
    const after = await postJson<RunBody>(base, '/api/query', { kql: 'print x = 1' });
    expect(after.body.rows).toEqual([[1]]);
  });

  it('refuses malformed input with clear messages', async () => {
    const badNow = await postJson<ErrorBody>(base, '/api/query', { kql: 'print 1', now: 'yesterday' });
    expect(badNow.status).toBe(400);
    expect(badNow.body.error.message).toMatch(/ISO 8601/);
    const res = await fetch(new URL('/api/query', base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{oops',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('SF-WEB-JSON');
  });
});

describe('feeds, coverage and schema', () => {
  it('serves the Atom feed and JSON Feed', async () => {
    const atom = await getText(base, '/feed.atom');
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    expect(atom.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(atom.text).toContain('Remote Management and Monitoring tool - ServerEye - Create Process');
    const json = await getJson<{ version: string; items: unknown[] }>(base, '/feed.json');
    expect(json.body.version).toContain('jsonfeed.org');
  });

  it('offers coverage and the Navigator layer as a download', async () => {
    const cov = await getJson<{ techniqueId: string; runnable: number | null }[]>(base, '/api/coverage');
    const t1219 = cov.body.find((c) => c.techniqueId === 'T1219');
    expect(t1219?.runnable).toBeGreaterThan(0);
    const layer = await getJson<{ domain: string; techniques: { techniqueID: string }[] }>(
      base,
      '/api/coverage/navigator',
    );
    expect(layer.headers.get('content-disposition')).toContain('attachment');
    expect(layer.body.domain).toBe('enterprise-attack');
    expect(layer.body.techniques.some((t) => t.techniqueID === 'T1219')).toBe(true);
  });

  it('gives the schema in the shape monaco-kusto takes', async () => {
    const { body } = await getJson<{
      clusterType: string;
      database: { tables: { name: string; columns: { name: string; type: string }[] }[] };
    }>(base, '/api/schema');
    expect(body.clusterType).toBe('Engine');
    const dpe = body.database.tables.find((t) => t.name === 'DeviceProcessEvents')!;
    expect(dpe.columns.find((c) => c.name === 'Timestamp')?.type).toBe('datetime');
    expect(dpe.columns.find((c) => c.name === 'TimeGenerated')?.type).toBe('datetime');
  });
});
