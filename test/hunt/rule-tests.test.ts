import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesFor, fixtureYaml } from '../../src/hunt/fixtures/generate.js';
import { loadRules } from '../../src/rules/load.js';
import { Store } from '../../src/store/store.js';
import { cli, NOW, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'data', 'rules', 'rmm-pack-fixtures');
const PACK = join(ROOT, 'data', 'rules', 'rmm-pack');

const SEED_RULE = `id: 620a171b-e35d-43cd-8544-b725421e3364
name: ServerEye - Create Process (test copy)
query: |
  DeviceProcessEvents
  | where Timestamp between (now(-5d)..now())
  | where ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'
      and ProcessVersionInfoProductName has_any ('ServerEye', 'Server-Eye')
  | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Count=count() by DeviceId, DeviceName
`;

describe('socfeed test (rule tests)', () => {
  it('passes every fixture the RMM pack ships, and writes JUnit XML', async () => {
    const junit = join(tempDir(), 'rules.xml');
    const r = await cli('test', FIXTURES, '--junit', junit, '--json');
    const report = JSON.parse(r.out) as {
      tests: number;
      passed: number;
      failed: number;
      results: { failures: string[]; file: string }[];
    };
    expect(report.results.filter((x) => x.failures.length > 0)).toEqual([]);
    expect(report).toMatchObject({ tests: 587, passed: 587, failed: 0 });
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="socfeed rule tests" tests="587" failures="0"');
    expect(xml.match(/<testcase /g)).toHaveLength(587);
  });

  it('fails a rule that reports a negative event or misses a positive one, naming the event', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'servereye.yaml'), SEED_RULE);
    writeFileSync(
      join(dir, 'servereye.test.yaml'),
      [
        'rule: servereye.yaml',
        'now: 2026-06-01T12:00:00Z',
        'table: DeviceProcessEvents',
        'positive:',
        "  - { ProcessVersionInfoCompanyName: 'Krämer IT Solutions GmbH', ProcessVersionInfoProductName: 'Server-Eye Agent' }",
        "  - { ProcessVersionInfoCompanyName: 'Krämer IT Solutions GmbH', ProcessVersionInfoProductName: 'ServerEyeAgent' }",
        'negative: cases.negative.jsonl',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cases.negative.jsonl'),
      [
        JSON.stringify({
          ProcessVersionInfoCompanyName: 'Krämer IT Solutions GmbH',
          ProcessVersionInfoProductName: 'Server-Eye',
          Timestamp: '2026-05-01T00:00:00Z',
        }),
        JSON.stringify({
          ProcessVersionInfoCompanyName: 'Kraemer IT Solutions GmbH',
          ProcessVersionInfoProductName: 'ServerEye',
        }),
        JSON.stringify({
          ProcessVersionInfoCompanyName: 'Krämer IT Solutions GmbH',
          ProcessVersionInfoProductName: 'server eye',
        }),
        JSON.stringify({
          ProcessVersionInfoCompanyName: 'Krämer IT Solutions GmbH',
          ProcessVersionInfoProductName: 'Server-Eye.Helper',
        }),
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'broken.test.yaml'), 'rule: servereye.yaml\npositives: []\n');
    const junit = join(dir, 'out.xml');
    const r = await cli('test', dir, '--junit', junit);
    expect(r.code).toBe(1);
    // ServerEyeAgent is one term: not a has match. Server-Eye.Helper has the term Server-Eye: a match.
    expect(r.out).toContain('positive event not reported');
    expect(r.out).toContain('servereye.test.yaml#positive[1]');
    expect(r.out).toContain('negative event reported');
    expect(r.out).toContain('cases.negative.jsonl:4');
    expect(r.out).not.toContain('cases.negative.jsonl:1');
    expect(r.out).not.toContain('cases.negative.jsonl:2');
    expect(r.out).toContain("unknown key 'positives'");
    expect(r.out).toContain('0 of 2 rule tests passed');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="2"');
    expect(xml).toContain('<failure message="positive event not reported');
  });

  it('says so when a path has no tests', async () => {
    const r = await cli('test', join(tempDir()));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no rule tests found');
  });

  it('ships the fixtures the generator makes today (regenerate with scripts/gen-rmm-fixtures.mjs)', async () => {
    const store = await Store.open(':memory:');
    try {
      for (const name of [
        'servereye/createproc.yaml',
        'kaseya-vsa/filesig.yaml',
        'rport/netconn.yaml',
        '_all-tools/createproc.yaml',
      ]) {
        const rule = loadRules(join(PACK, name)).rules[0]!;
        const f = (await fixturesFor(store, rule, NOW))!;
        const committed = readFileSync(join(FIXTURES, name.replace(/\.yaml$/, '.test.yaml')), 'utf8');
        expect(fixtureYaml(f, `../../rmm-pack/${name}`, NOW)).toBe(committed);
        expect(f.negative.length).toBeGreaterThan(0);
      }
    } finally {
      store.close();
    }
  });
});
