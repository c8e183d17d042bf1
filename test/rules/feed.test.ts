import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listRuleFiles } from '../../src/rules/load.js';
import { rmmPackDir } from '../../src/rules/publish/rmm-pack-source.js';
import type { JsonFeed } from '../../src/rules/publish/json-feed.js';
import { cli, importUpstream, SEED_IDS, tempDir } from './publish-helpers.js';
import { childrenNamed, parseXml, type XmlElement } from './xml-check.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const one = (e: XmlElement, name: string): XmlElement => {
  const found = childrenNamed(e, name);
  if (found.length !== 1) throw new Error(`<${e.name}> has ${found.length} <${name}>`);
  return found[0]!;
};

/** A rule whose text tries to break out of the XML (and carries a control character). */
const HOSTILE_NAME = 'RMM <script>alert("x")</script> & ]]> \u0007 tool';

function writeHostileRule(dir: string, version: number): void {
  writeFileSync(
    join(dir, 'hostile.yaml'),
    // YAML's double-quoted `\\a` is the BEL control character.
    `id: 3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\nname: "RMM <script>alert(\\"x\\")</script> & ]]> \\a tool"\n` +
      `description: "v${version} <b>bold</b> & https://example.com/x?a=1&b=2"\n` +
      `tactics: CommandAndControl\nrelevantTechniques: T1219\n` +
      `query: |\n  DeviceProcessEvents\n  | where FileName =~ 'anydesk.exe'\n  | take ${version}\n`,
  );
}

describe('socfeed feed', () => {
  const dir = tempDir('socfeed-feed-');
  const db = join(dir, 'catalog.duckdb');
  const hostileDir = join(dir, 'hostile');
  const packRules = listRuleFiles(rmmPackDir()).length;
  let atom: XmlElement;

  beforeAll(async () => {
    await importUpstream(db);
    mkdirSync(hostileDir);
    writeHostileRule(hostileDir, 1);
    expect((await cli('rules', 'import', hostileDir, '--db', db, '--source', 'hostile')).code).toBe(0);
    const r = await cli('feed', '--db', db);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/bundled RMM pack synced/);
    atom = parseXml(r.out);
  });

  it('writes well-formed Atom 1.0 with the required feed elements', () => {
    expect(atom.name).toBe('feed');
    expect(atom.attrs['xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(one(atom, 'id').text).toMatch(URN_UUID);
    expect(one(atom, 'title').text).toBe('socfeed detection feed');
    expect(one(atom, 'updated').text).toMatch(RFC3339);
    expect(childrenNamed(atom, 'link').find((l) => l.attrs['rel'] === 'self')!.attrs['href']).toBeTruthy();
    expect(one(one(atom, 'author'), 'name').text).toBe('socfeed');
  });

  it('has one entry per rule with id, title, dates, summary, content, categories and a link', () => {
    const entries = childrenNamed(atom, 'entry');
    expect(entries).toHaveLength(168 + packRules + 1);
    const ids = entries.map((e) => one(e, 'id').text);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of entries) {
      expect(one(e, 'id').text).toMatch(URN_UUID);
      expect(one(e, 'title').text.length).toBeGreaterThan(0);
      expect(one(e, 'updated').text).toMatch(RFC3339);
      expect(one(e, 'published').text).toMatch(RFC3339);
      expect(one(e, 'summary').attrs['type']).toBe('text');
      expect(one(e, 'content').text).toContain('KQL query:');
      const cats = childrenNamed(e, 'category');
      expect(cats.find((c) => c.attrs['term'] === 'T1219')?.attrs['scheme']).toBe(
        'https://attack.mitre.org/techniques/',
      );
      expect(cats.find((c) => c.attrs['term'] === 'command-and-control')?.attrs['label']).toBe(
        'Command and Control',
      );
    }
    const serverEye = entries.find((e) => one(e, 'id').text === `urn:uuid:${SEED_IDS.serverEye}`)!;
    expect(one(serverEye, 'title').text).toBe(
      'Remote Management and Monitoring tool - ServerEye - Create Process',
    );
    expect(childrenNamed(serverEye, 'link')[0]!.attrs).toMatchObject({
      rel: 'alternate',
      href: expect.stringMatching(
        /^https:\/\/github\.com\/jischell-msft\/RemoteManagementMonitoringTools\/blob\/7bb251e6\w+\/RMM\/ServerEye\/rmm_ServerEye_createproc\.yaml$/,
      ),
    });
    expect(one(serverEye, 'summary').text).toMatch(/ServerEye .*Krämer IT Solutions GmbH/);
  });

  it('escapes rule text: markup stays text, forbidden characters are dropped', () => {
    const hostile = childrenNamed(atom, 'entry').find(
      (e) => one(e, 'id').text === 'urn:uuid:3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
    )!;
    expect(one(hostile, 'title').text).toBe(HOSTILE_NAME.replace('\u0007', ''));
    expect(hostile.children.some((c) => c.name === 'script' || c.name === 'b')).toBe(false);
    expect(one(hostile, 'content').text).toContain('https://example.com/x?a=1&b=2');
  });

  it('writes JSON Feed 1.1 with the required fields', async () => {
    const r = await cli('feed', '--db', db, '--format', 'json', '--url', 'https://soc.example.com/feed.json');
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // machine output: notes stay quiet
    const feed = JSON.parse(r.out) as JsonFeed;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('socfeed detection feed');
    expect(feed.feed_url).toBe('https://soc.example.com/feed.json');
    expect(feed.items).toHaveLength(168 + packRules + 1);
    for (const item of feed.items) {
      expect(item.id).toMatch(URN_UUID);
      expect(item.title.length).toBeGreaterThan(0);
      expect(item.content_text.length).toBeGreaterThan(0);
      expect(item.date_published).toMatch(RFC3339);
      expect(item.date_modified).toMatch(RFC3339);
      expect(item.tags).toEqual(expect.arrayContaining(['T1219', 'command-and-control']));
    }
    const rport = feed.items.find((i) => i.id === `urn:uuid:${SEED_IDS.rport}`)!;
    expect(rport.external_url).toMatch(/\/RMM\/RPort\/rmm_RPort_createproc\.yaml$/);
    expect(rport._socfeed).toMatchObject({
      rule_id: SEED_IDS.rport,
      source: 'RemoteManagementMonitoringTools',
      status: 'new',
    });
  });

  it('--since keeps only rules new or changed since then; a changed rule is marked updated', async () => {
    const between = new Date();
    await new Promise((r) => setTimeout(r, 5));
    writeHostileRule(hostileDir, 2);
    expect((await cli('rules', 'import', hostileDir, '--db', db, '--source', 'hostile')).code).toBe(0);
    const r = await cli('feed', '--db', db, '--since', between.toISOString());
    const entries = childrenNamed(parseXml(r.out), 'entry');
    expect(entries.map((e) => one(e, 'id').text)).toEqual(['urn:uuid:3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b']);
    const e = entries[0]!;
    expect(childrenNamed(e, 'category').some((c) => c.attrs['term'] === 'updated')).toBe(true);
    expect(one(e, 'updated').text > one(e, 'published').text).toBe(true);
    const none = await cli('feed', '--db', db, '--since', '2999-01-01T00:00:00Z', '--format', 'json');
    expect((JSON.parse(none.out) as JsonFeed).items).toEqual([]);
  });

  it('explains bad arguments (exit 2, no stack trace)', async () => {
    const since = await cli('feed', '--db', db, '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.err).toMatch(/error\[SF-CLI-SINCE\]: --since 'yesterday' is not an ISO 8601 time/);
    const url = await cli('feed', '--db', db, '--url', 'javascript:alert(1)');
    expect(url.code).toBe(2);
    const missing = await cli('feed', '--db', join(dir, 'nope.duckdb'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/SF-STORE-MISSING/);
    expect(`${since.err}${url.err}${missing.err}`).not.toMatch(/\n\s+at /);
  });
});
