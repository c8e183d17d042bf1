import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/web/server.js';
import {
  demoStore,
  FIXTURE_SOURCE,
  HOSTILE_ID,
  huntTwice,
  NOW_ISO,
  serve,
  SERVER_EYE_ID,
} from './helpers.js';
import { launch, shot, watchedPage } from './browser.js';

let server: RunningServer;
let browser: Browser;
/** A second store for the token server (a store file has one owner at a time). */
let guardedDb: string;
const url = (path: string) => new URL(path, server.url).href;

beforeAll(async () => {
  const db = await demoStore();
  await huntTwice(db);
  server = await serve(db);
  guardedDb = await demoStore(3);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web app in a browser', () => {
  it('feed: lists rules, searches, filters and pages', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url('/'));
    const total = server.state.rules.length;
    await expect(page.locator('#result-count').textContent()).resolves.toContain(`${total} rules`);
    expect(await page.locator('.rule-card').count()).toBe(25);
    await expect(page.locator('a.atom').getAttribute('href')).resolves.toBe('/feed.atom');
    await shot(page, 'feed');

    await page.fill('input[name=q]', 'servereye');
    await page.press('input[name=q]', 'Enter');
    await page.waitForURL(/q=servereye/);
    const names = await page.locator('.rule-name').allTextContents();
    expect(names).toContain('Remote Management and Monitoring tool - ServerEye - Create Process');
    expect(names.every((n) => /server.?eye|all tools/i.test(n))).toBe(true);
    await shot(page, 'feed-search');

    await page.goto(url('/'));
    await page.selectOption('select[name=source]', FIXTURE_SOURCE);
    await page.waitForURL(/source=fixtures/);
    await expect(page.locator('#result-count').textContent()).resolves.toBe(`2 of ${total} rules match`);

    await page.goto(url('/'));
    await page.click('.pager a[rel=next]');
    await page.waitForURL(/page=2/);
    expect(await page.locator('.pager [aria-current=page]').textContent()).toBe('2');
    expect(problems).toEqual([]);
  });

  it('rule page: every seed section, and Run finds the planted devices', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url(`/rules/${SERVER_EYE_ID}?source=${FIXTURE_SOURCE}`));
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Remote Management and Monitoring tool - ServerEye - Create Process',
    );
    const headings = await page.locator('h2').allTextContents();
    for (const h of [
      'Confidence',
      'Hunt Hypothesis',
      'KQL Query',
      'Run',
      'Findings history',
      'Hunting Rule Definition',
      'Required Data Sources',
      'MITRE ATT&CK Context',
      'References',
      'False Positive Guidance',
      'Original Source',
    ])
      expect(
        headings.some((x) => x.startsWith(h)),
        h,
      ).toBe(true);
    await expect(page.locator('.crumbs').textContent()).resolves.toMatch(/← Back to SOC feed\s*Coverage →/);
    const badges = await page.locator('article .badges').first().textContent();
    for (const b of ['kql', FIXTURE_SOURCE, 'T1219', 'DeviceProcessEvents']) expect(badges).toContain(b);
    await expect(page.locator('.provenance a').getAttribute('href')).resolves.toMatch(
      /^https:\/\/github\.com\/Azure\/Azure-Sentinel\//,
    );
    expect(await page.locator('pre.kql .k-string').first().textContent()).toBe("'Krämer IT Solutions GmbH'");
    await expect(page.locator('#data-sources').textContent()).resolves.toMatch(
      /DeviceProcessEvents[\s\S]*rows/,
    );
    await shot(page, 'rule');

    await expect(page.locator('#run-form input[name=now]').inputValue()).resolves.toMatch(
      new RegExp(`^${NOW_ISO.slice(0, 11)}`),
    );
    await page.click('#run-form button');
    await page.waitForSelector('#run-result .run-summary');
    const rows = Number(await page.locator('#run-result .run-summary').getAttribute('data-rows'));
    expect(rows).toBeGreaterThan(0);
    expect(await page.locator('#run-result table tbody tr').count()).toBe(rows);
    await page.locator('#run').scrollIntoViewIfNeeded();
    await shot(page, 'rule-run');
    expect(problems).toEqual([]);
  });

  it('coverage: heat map, tables and the Navigator download', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url('/coverage'));
    const cell = page.locator('a.cell', { hasText: 'T1219' }).first();
    // The store has hunt runs with RMM findings, so T1219 shows recent hits.
    await expect(cell.getAttribute('class')).resolves.toMatch(/heat-hits/);
    expect(await page.locator('.tactic').count()).toBe(server.state.attack.tactics.length);
    await shot(page, 'coverage');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Download ATT&CK Navigator layer'),
    ]);
    expect(download.suggestedFilename()).toBe('socfeed-layer.json');
    const layer = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { domain: string };
    expect(layer.domain).toBe('enterprise-attack');
    expect(problems).toEqual([]);
  });

  it('hunts: runs, deltas, the RMM inventory and a device drill-down', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url('/hunts'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Hunts');
    expect(await page.locator('#inventory tbody tr.unapproved').count()).toBeGreaterThan(0);
    expect(await page.locator('#inventory tbody tr.approved').count()).toBeGreaterThan(0);
    expect(await page.locator('#runs tbody tr').count()).toBe(2);
    await shot(page, 'hunts');
    const device = (await page
      .locator('#inventory tbody tr.unapproved td:nth-child(2) a')
      .first()
      .textContent())!;
    await page.locator('#inventory tbody tr.unapproved td:nth-child(2) a').first().click();
    await page.waitForURL(/device=/);
    await expect(page.locator('#inventory h2').textContent()).resolves.toBe(`RMM inventory on ${device}`);
    const devices = await page.locator('#findings tbody td:nth-child(2)').allTextContents();
    expect(new Set(devices)).toEqual(new Set([device]));
    await shot(page, 'hunts-device');
    await page.click('text=all devices');
    await page.click('.stat >> text=new');
    await page.waitForURL(/delta=new/);
    expect(new Set(await page.locator('#findings tbody td:first-child').allTextContents())).toEqual(
      new Set(['new']),
    );
    // A third run from the page itself: nothing changed in the data, so nothing is new.
    await page.click('#hunt-form button');
    await page.waitForURL(/run=3/, { timeout: 60_000 });
    expect(await page.locator('#runs tbody tr').count()).toBe(3);
    await expect(page.locator('.stat', { hasText: 'new' }).locator('strong').textContent()).resolves.toBe(
      '0',
    );
    expect(problems).toEqual([]);
  });

  it('console: the Kusto editor completes from the schema, runs, charts and exports', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url('/console'));
    await page.waitForSelector('.monaco-editor');
    await page.waitForSelector('body[data-schema=loaded]');
    // Completion from the store's schema, served by monaco-kusto's worker.
    await page.evaluate(() => {
      const ed = (
        window as unknown as {
          socfeedEditor: { setValue(v: string): void; setPosition(p: object): void; focus(): void };
        }
      ).socfeedEditor;
      ed.setValue('DeviceProc');
      ed.setPosition({ lineNumber: 1, column: 11 });
      ed.focus();
    });
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.suggest-widget .monaco-list-row', { timeout: 60_000 });
    await expect(page.locator('.suggest-widget').textContent()).resolves.toContain('DeviceProcessEvents');
    await page.keyboard.press('Escape');

    await page.evaluate((kql) => {
      (window as unknown as { socfeedEditor: { setValue(v: string): void } }).socfeedEditor.setValue(kql);
    }, 'DeviceProcessEvents\n| where Timestamp > ago(3d)\n| summarize Processes = count() by bin(Timestamp, 6h)\n| render timechart');
    await page.fill('#console-form input[name=now]', NOW_ISO);
    await page.click('#run-query');
    await page.waitForSelector('#query-result table tbody tr');
    expect(await page.locator('#query-result table tbody tr').count()).toBe(12);
    expect(await page.locator('#query-chart svg path').count()).toBeGreaterThan(0);
    await shot(page, 'console');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('Timestamp,Processes');
    expect(text.trim().split('\r\n')).toHaveLength(13);

    expect(problems).toEqual([]);
    // A compile error is marked in the editor and explained under it (the browser logs the 400).
    await page.evaluate(() =>
      (window as unknown as { socfeedEditor: { setValue(v: string): void } }).socfeedEditor.setValue(
        'DeviceProcessEvents | where ProcessCommandline has "x"',
      ),
    );
    await page.click('#run-query');
    await page.waitForSelector('.error-box');
    await expect(page.locator('.error-box').textContent()).resolves.toContain(
      "did you mean 'ProcessCommandLine'",
    );
    await shot(page, 'console-error');
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });

  it('opens a rule in the console, and signs in with the printed token URL', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url(`/rules/${SERVER_EYE_ID}?source=${FIXTURE_SOURCE}`));
    await page.click('text=Open in the query console →');
    await page.waitForSelector('.monaco-editor');
    const text = await page.evaluate(() =>
      (window as unknown as { socfeedEditor: { getValue(): string } }).socfeedEditor.getValue(),
    );
    expect(text).toContain("ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'");

    const token = 'browser-token-0123456789abcdef';
    const guarded = await serve(guardedDb, { token });
    try {
      await page.goto(new URL('/api/health', guarded.url).href);
      expect(await page.textContent('body')).toContain('SF-WEB-AUTH');
      await page.goto(`${guarded.url}?token=${token}`);
      expect(new URL(page.url()).search).toBe('');
      await expect(page.locator('#result-count').textContent()).resolves.toContain('rules');
      await page.goto(new URL(`/rules/${SERVER_EYE_ID}?source=${FIXTURE_SOURCE}`, guarded.url).href);
      await page.click('#run-form button');
      await page.waitForSelector('#run-result .run-summary');
      expect(
        Number(await page.locator('#run-result .run-summary').getAttribute('data-rows')),
      ).toBeGreaterThan(0);
    } finally {
      await guarded.close();
    }
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });

  it('a hostile rule is shown as text and none of its script runs', async () => {
    const { page, problems } = await watchedPage(browser);
    const visit = async (path: string) => {
      await page.goto(url(path));
      await page.waitForLoadState('networkidle');
      // Hover everything: event-handler attributes would fire on mouseover.
      for (const b of await page.locator('.badge').all())
        await b.hover({ trial: false }).catch(() => undefined);
    };
    await visit(`/?source=${FIXTURE_SOURCE}&q=hostile`);
    await expect(page.locator('.rule-name').first().textContent()).resolves.toContain(
      '<script>window.__xss=',
    );
    await visit(`/rules/${HOSTILE_ID}?source=${FIXTURE_SOURCE}`);
    await expect(page.locator('h1').textContent()).resolves.toContain(
      '<img src=x onerror="window.__xss=\'img\'">',
    );
    await expect(page.locator('pre.kql').textContent()).resolves.toContain(
      "</code></pre><script>window.__xss='query'</script>",
    );
    await page.click('#run-form button');
    await page.waitForSelector('#run-result .run-summary');
    await shot(page, 'xss-rule', true);
    await visit(`/console?rule=${HOSTILE_ID}&source=${FIXTURE_SOURCE}`);
    await page.waitForSelector('.monaco-editor');
    await page.evaluate(() =>
      (window as unknown as { socfeedEditor: { setValue(v: string): void } }).socfeedEditor.setValue(
        'print Marker = "<script>window.__xss=\'cell\'</script><img src=x onerror=\\"window.__xss=1\\">"',
      ),
    );
    await page.click('#run-query');
    await page.waitForSelector('#query-result table tbody tr');
    await expect(page.locator('#query-result td').first().textContent()).resolves.toContain(
      "<script>window.__xss='cell'</script>",
    );
    await visit('/feed.atom');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
