import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { cli, NOW_ISO, tempDir } from './helpers.js';

interface HuntJson {
  runId: number;
  previousRunId: number | null;
  rules: { total: number; fused: number; alone: number; failed: number };
  counts: Record<'findings' | 'raised' | 'expected' | 'new' | 'changed' | 'unchanged' | 'gone', number>;
  findings: {
    tool?: string;
    signal?: string;
    deviceName: string;
    deviceId: string;
    delta: string;
    status: string;
    statusNote: string;
    ruleName: string;
    count?: number;
  }[];
}

const dir = tempDir();
const db = join(dir, 'estate.duckdb');
const hunt = async (...args: string[]) => {
  const r = await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', 'rmm-pack', '--json', ...args);
  expect(r.err).toBe('');
  return { ...r, json: JSON.parse(r.out) as HuntJson };
};

describe('socfeed hunt', () => {
  beforeAll(async () => {
    const r = await cli('demo', '--db', db, '--now', NOW_ISO);
    expect(r.code).toBe(0);
  });

  it('records runs and says what changed since the previous one', async () => {
    const first = await hunt();
    expect(first.code).toBe(0);
    expect(first.json.runId).toBe(1);
    expect(first.json.rules).toMatchObject({ total: 587, fused: 587, failed: 0 });
    expect(first.json.counts.findings).toBeGreaterThan(0);
    expect(first.json.counts.new).toBe(first.json.counts.findings);

    const second = await hunt();
    expect(second.json).toMatchObject({ runId: 2, previousRunId: 1 });
    expect(second.json.counts).toMatchObject({
      new: 0,
      changed: 0,
      gone: 0,
      unchanged: first.json.counts.findings,
    });

    // ServerEye disappears from one device's process events; Kaseya gains one more process start.
    const se = first.json.findings.find((f) => f.tool === 'servereye' && f.signal === 'process')!;
    const ka = first.json.findings.find(
      (f) => f.tool === 'kaseya-vsa' && f.signal === 'process' && f.ruleName.includes('Kaseya VSA'),
    )!;
    const store = await Store.open(db);
    try {
      await store.run(
        `DELETE FROM DeviceProcessEvents WHERE DeviceId = ? AND ProcessVersionInfoCompanyName LIKE 'Kr%mer IT Solutions GmbH'`,
        [se.deviceId],
      );
      await store.run(
        `INSERT INTO DeviceProcessEvents SELECT * REPLACE (ReportId + 1000000 AS ReportId, TIMESTAMP_NS '2026-06-01 11:00:00' AS Timestamp)
           FROM DeviceProcessEvents WHERE DeviceId = ? AND FileName ILIKE 'agentmon.exe' LIMIT 1`,
        [ka.deviceId],
      );
    } finally {
      store.close();
    }
    const third = await hunt();
    expect(third.json).toMatchObject({ runId: 3, previousRunId: 2 });
    const gone = third.json.findings.filter((f) => f.delta === 'gone');
    expect(
      gone.some((f) => f.tool === 'servereye' && f.signal === 'process' && f.deviceId === se.deviceId),
    ).toBe(true);
    const changed = third.json.findings.find(
      (f) => f.delta === 'changed' && f.ruleName === ka.ruleName && f.deviceId === ka.deviceId,
    );
    expect(changed?.count).toBe((ka.count ?? 0) + 1);
    expect(third.json.counts.new).toBe(0);

    const text = await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', 'rmm-pack');
    expect(text.out).toContain('Hunt run 4 over');
    expect(text.out).toMatch(/since run 3: 0 new, 0 changed, \d+ unchanged, 0 gone/);
    expect(text.out).toContain(ka.deviceName);
  });

  it('marks approved tools as expected and raises the rest; --fail-on-findings fails on raised ones', async () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      ['approved:', '  - tool: Server-Eye', '  - tool: Kaseya VSA', '    groups: [Servers]', ''].join('\n'),
    );
    const r = await hunt('--policy', policy, '--fail-on-findings');
    expect(r.code).toBe(1);
    const se = r.json.findings.filter((f) => f.tool === 'servereye' && f.delta !== 'gone');
    expect(se.length).toBeGreaterThan(0);
    expect(se.every((f) => f.status === 'expected' && f.statusNote === 'approved everywhere')).toBe(true);
    const ka = r.json.findings.filter((f) => f.tool === 'kaseya-vsa' && f.delta !== 'gone');
    expect(ka.length).toBeGreaterThan(0);
    // The Kaseya devices are workstations: the approval for servers does not cover them.
    expect(ka.every((f) => f.status === 'raised')).toBe(true);

    const tools = [
      ...new Set(r.json.findings.map((f) => f.tool).filter((t): t is string => t !== undefined)),
    ];
    const devicesOf = (t: string) => [
      ...new Set(r.json.findings.filter((f) => f.tool === t).map((f) => f.deviceName)),
    ];
    writeFileSync(
      policy,
      [
        'approved:',
        ...tools.flatMap((t) => [
          `  - tool: ${t}`,
          `    devices: [${devicesOf(t)
            .map((d) => `'${d.slice(0, 6)}*'`)
            .join(', ')}]`,
        ]),
      ].join('\n'),
    );
    const all = await hunt('--policy', policy, '--fail-on-findings');
    const untooled = all.json.findings.filter((f) => !f.tool && f.delta !== 'gone').length;
    expect(all.code).toBe(untooled > 0 ? 1 : 0);
    expect(
      all.json.findings.filter((f) => f.tool && f.delta !== 'gone').every((f) => f.status === 'expected'),
    ).toBe(true);
  });

  it('rejects a policy naming an unknown tool or key, with a hint', async () => {
    const policy = join(dir, 'bad.yaml');
    writeFileSync(policy, 'approved:\n  - tool: AnyDesc\n');
    const bad = await cli('hunt', '--db', db, '--policy', policy);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("'AnyDesc' is not a tool in the RMM catalog");
    expect(bad.err).toContain("did you mean 'AnyDesk'?");
    expect(bad.err).not.toMatch(/\n\s+at /);
    writeFileSync(policy, 'approved:\n  - tool: AnyDesk\n    group: [Servers]\n');
    const key = await cli('hunt', '--db', db, '--policy', policy);
    expect(key.err).toContain("unknown key 'group'");
    expect(key.err).toContain("did you mean 'groups'?");
  });

  it('writes CSV, SARIF and an explanation of the plan', async () => {
    const csv = await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', 'rmm-pack', '--format', 'csv');
    const lines = csv.out.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'status,delta,device_id,device_name,tool,signal,first_seen,last_seen,count,rule_id,rule_name,source,report_ids,status_note',
    );
    expect(lines.length).toBeGreaterThan(10);
    const sarif = JSON.parse(
      (await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', 'rmm-pack', '--format', 'sarif')).out,
    ) as {
      version: string;
      runs: { results: { level: string; partialFingerprints: Record<string, string> }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBe(lines.length - 1);
    expect(
      sarif.runs[0]!.results.every((x) => x.level === 'warning' && x.partialFingerprints['socfeedFinding']),
    ).toBe(true);
    const explain = await cli('hunt', '--db', db, '--now', NOW_ISO, '--explain');
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('Shared scan of DeviceProcessEvents (251 rules)');
    expect(explain.out).toContain('regexp_matches');
  });

  it('lists the RMM inventory per device, with signals and policy', async () => {
    const policy = join(dir, 'inv.yaml');
    writeFileSync(policy, 'approved:\n  - ServerEye\n');
    const r = await cli('rmm', 'inventory', '--db', db, '--now', NOW_ISO, '--policy', policy, '--json');
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.out) as {
      devices: { tool: string; status: string; signals: { signal: string; count: number }[] }[];
    };
    const se = inv.devices.filter((d) => d.tool === 'servereye');
    expect(se.length).toBeGreaterThan(0);
    expect(se.every((d) => d.status === 'expected')).toBe(true);
    expect(se.some((d) => d.signals.map((s) => s.signal).join(',') === 'process,signature,network')).toBe(
      true,
    );
    const text = await cli('rmm', 'inventory', '--db', db, '--now', NOW_ISO);
    expect(text.out).toContain('NOT APPROVED');
    expect(text.out).toMatch(/RMM tools on \d+ devices/);
  });

  it('reports a rule that does not compile and runs the others; --lookback narrows the data window', async () => {
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      join(rules, 'bad.yaml'),
      'id: 11111111-1111-1111-1111-111111111111\nname: Broken rule\nquery: |\n  DeviceProcessEvents | where NoSuchColumn has "x"\n',
    );
    writeFileSync(
      join(rules, 'good.yaml'),
      "id: 22222222-2222-2222-2222-222222222222\nname: Kaseya signer\nquery: |\n  DeviceFileCertificateInfo | where Timestamp > ago(5d) | where Signer has 'Kaseya' | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Count=count() by DeviceId, DeviceName\n",
    );
    const r = await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', rules, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as HuntJson & {
      results: { name: string; mode: string; note?: string; rows: number }[];
    };
    expect(json.rules).toMatchObject({ total: 2, failed: 1 });
    expect(json.results.find((x) => x.name === 'Broken rule')?.note).toContain('NoSuchColumn');
    const good = json.results.find((x) => x.name === 'Kaseya signer')!;
    expect(good.rows).toBeGreaterThan(0);
    const text = await cli('hunt', '--db', db, '--now', NOW_ISO, '--rules', rules);
    expect(text.out).toContain('1 rule could not run:');
    const narrow = await cli(
      'hunt',
      '--db',
      db,
      '--now',
      NOW_ISO,
      '--rules',
      rules,
      '--lookback',
      '1h',
      '--json',
    );
    const n = JSON.parse(narrow.out) as {
      windowStart: string;
      findings: { count?: number; delta: string }[];
    };
    expect(n.windowStart).toBe('2026-06-01T11:00:00.000Z');
    const wide = json.findings.reduce((a, f) => a + (f.count ?? 0), 0);
    expect(n.findings.filter((f) => f.delta !== 'gone').reduce((a, f) => a + (f.count ?? 0), 0)).toBeLessThan(
      wide,
    );
  });

  it('says clearly when the store is missing or an option is wrong', async () => {
    const missing = await cli('hunt', '--db', join(dir, 'nope.duckdb'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no store at');
    expect(missing.err).toContain('socfeed demo');
    const lookback = await cli('hunt', '--db', db, '--lookback', 'five days');
    expect(lookback.code).toBe(2);
    expect(lookback.err).toContain("--lookback 'five days' is not a time span");
    const rules = await cli('hunt', '--db', db, '--rules', join(dir, 'none'));
    expect(rules.code).toBe(2);
    expect(rules.err).toContain('no rule file or folder');
  });
});
