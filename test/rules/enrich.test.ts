import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrichRule, tableAvailability, type EnrichedRule } from '../../src/rules/enrich/index.js';
import { loadRules } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/model.js';
import { parseRuleFile } from '../../src/rules/parse-rule.js';
import { Store } from '../../src/store/store.js';
import { RMM_TOOLS, SEED_IDS, tempDir } from './publish-helpers.js';

function rule(query: string, extra: Record<string, string> = {}): Rule {
  const fields = {
    id: '0b6c7f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
    name: 'Remote access tool - AnyDesk - Create Process',
    tactics: 'CommandAndControl',
    relevantTechniques: 'T1219',
    ...extra,
  };
  const yaml = `${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\nquery: |\n${query
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
  const parsed = parseRuleFile(yaml, 'test.yaml', {
    repository: 'test',
    path: 'test.yaml',
    localPath: '/tmp/test.yaml',
    retrievedAt: '2026-06-01T00:00:00Z',
  });
  if (!parsed.rule) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.rule;
}

const reasons = (e: EnrichedRule) => Object.fromEntries(e.confidence.value.reasons.map((r) => [r.factor, r]));

describe('confidence follows the evidence', () => {
  const specific = rule(
    "DeviceProcessEvents\n| where ProcessVersionInfoCompanyName has 'philandro Software'\n    and ProcessVersionInfoProductName has 'AnyDesk'",
  );
  const generic = rule(
    "DeviceProcessEvents\n| where FileName in~ ('Setup.exe')\n    and ProcessVersionInfoProductName has 'AnyDesk'",
  );
  const single = rule("DeviceProcessEvents\n| where FileName in~ ('anydesk.exe')");
  const broken = rule(
    "DeviceProcessEvents\n| where FileName in~ ('anydesk.exe')\n| summarize by DeviceId, Nope",
  );

  it('scores a rule with a catalog-excluded (generic) indicator lower, and says why', () => {
    const a = enrichRule(specific).confidence.value;
    const b = enrichRule(generic).confidence.value;
    expect(b.score).toBeLessThan(a.score);
    expect(b.reasons.find((r) => r.factor === 'specificity')).toMatchObject({ points: -15 });
    expect(b.reasons.find((r) => r.factor === 'specificity')!.detail).toContain("'Setup.exe'");
    expect(a.reasons.find((r) => r.factor === 'specificity')).toMatchObject({ points: 0 });
  });

  it('counts the indicator conditions every match needs', () => {
    expect(reasons(enrichRule(specific))['conditions']).toMatchObject({ points: 10 });
    expect(reasons(enrichRule(single))['conditions']).toMatchObject({ points: 0 });
    const orRule = rule(
      "DeviceProcessEvents\n| where ProcessVersionInfoCompanyName has 'philandro Software' or FileName =~ 'anydesk.exe'",
    );
    expect(reasons(enrichRule(orRule))['conditions']!.detail).toBe(
      'a single indicator condition decides a match',
    );
  });

  it('marks a query that does not bind, and uses the query text for the rest', () => {
    const e = enrichRule(broken);
    expect(reasons(e)['schema']).toMatchObject({ points: -30 });
    expect(reasons(e)['schema']!.detail).toContain("SF102 unknown column 'Nope'");
    expect(reasons(e)['conditions']!.detail).toMatch(/estimated from the query text/);
    expect(e.confidence.value.level).toBe('low');
    expect(e.validation.value.errors).toBe(1);
  });

  it('rises with passing fixtures and a clean benign run, falls with failures and benign hits', () => {
    const base = enrichRule(specific).confidence.value;
    expect(base.level).toBe('medium');
    const proven = enrichRule(specific, { evidence: { fixtures: { total: 3, passed: 3 }, benignHits: 0 } })
      .confidence.value;
    expect(proven.score).toBe(base.score + 30);
    expect(proven.level).toBe('high');
    expect(proven.reasons.find((r) => r.factor === 'fixtures')!.detail).toBe('all 3 fixture tests pass');
    const noisy = enrichRule(specific, { evidence: { fixtures: { total: 3, passed: 2 }, benignHits: 250 } })
      .confidence.value;
    expect(noisy.score).toBe(base.score - 50);
    expect(noisy.reasons.find((r) => r.factor === 'benign-hits')!.detail).toBe(
      '250 matches on known-benign data',
    );
    expect(base.reasons.find((r) => r.factor === 'fixtures')!.detail).toMatch(/not assessed/);
  });
});

describe('enrichment of the seed rules', () => {
  const upstream = loadRules(RMM_TOOLS, { now: new Date('2026-05-31T23:00:00Z') }).rules;
  const seed = (id: string) => upstream.find((r) => r.id === id)!;

  it('records the source of every field', () => {
    const e = enrichRule(seed(SEED_IDS.serverEye));
    expect(e.hypothesis.source).toBe('derived');
    expect(e.attack.source).toBe('attack-v18.1');
    expect(e.falsePositives.source).toBe('rmm-catalog');
    expect(e.tools).toEqual({
      value: [expect.objectContaining({ id: 'servereye', name: 'ServerEye' })],
      source: 'rmm-catalog',
    });
    expect(e.confidence.source).toBe('derived');
    expect(new Set(e.references.map((r) => r.source))).toEqual(
      new Set(['rule', 'rmm-catalog', 'attack-v18.1']),
    );
  });

  it('writes a specific hypothesis: tool, indicator, table, technique and what to check', () => {
    const h = enrichRule(seed(SEED_IDS.serverEye)).hypothesis.value;
    expect(h).toContain('ServerEye');
    expect(h).toContain("'Krämer IT Solutions GmbH'");
    expect(h).toContain('DeviceProcessEvents');
    expect(h).toContain('T1219 Remote Access Tools');
    expect(h).toMatch(/parent process/);
    const k = enrichRule(seed(SEED_IDS.kaseya)).hypothesis.value;
    expect(k).toContain("files signed by 'Kaseya'");
    expect(k).toMatch(/not that it ran/);
    expect(k).not.toBe(h);
  });

  it('gives ATT&CK context for T1219 and resolves CommandAndControl', () => {
    const att = enrichRule(seed(SEED_IDS.rport)).attack.value;
    expect(att.techniques).toHaveLength(1);
    expect(att.techniques[0]).toMatchObject({
      id: 'T1219',
      name: 'Remote Access Tools',
      url: 'https://attack.mitre.org/techniques/T1219',
    });
    expect(att.techniques[0]!.tactics).toEqual([
      expect.objectContaining({ id: 'TA0011', shortname: 'command-and-control' }),
    ]);
    expect(att.tactics).toEqual([
      expect.objectContaining({ asWritten: 'CommandAndControl', id: 'TA0011', name: 'Command and Control' }),
    ]);
  });

  it('explains what else the indicators match (RealVNC is several tools; Kaseya also Datto)', () => {
    const rport = enrichRule(seed(SEED_IDS.rport));
    expect(rport.falsePositives.value.join('\n')).toMatch(
      /'RealVNC' identifies several tools \(RPort, RealVNC, UltraVNC\)/,
    );
    expect(reasons(rport)['specificity']).toMatchObject({ points: -5 });
    expect(enrichRule(seed(SEED_IDS.kaseya)).falsePositives.value.join('\n')).toMatch(
      /inventory where the tool runs \(`socfeed rmm inventory`\)/,
    );
  });

  it('is deterministic', () => {
    for (const id of Object.values(SEED_IDS)) expect(enrichRule(seed(id))).toEqual(enrichRule(seed(id)));
  });
});

describe('ATT&CK context edge cases', () => {
  it('brings the parent of a sub-technique, and lists unknown and revoked techniques', () => {
    const e = enrichRule(
      rule('DeviceProcessEvents | take 1', { relevantTechniques: 'T1219.002, T9999, T1086' }),
    ).attack.value;
    expect(e.techniques.map((t) => t.id)).toEqual(['T1219.002']);
    expect(e.techniques[0]!.parent).toMatchObject({ id: 'T1219', name: 'Remote Access Tools' });
    expect(e.unknown.map((u) => u.id)).toEqual(['T9999', 'T1086']);
    expect(e.unknown[1]!.note).toMatch(/revoked|deprecated/);
  });
});

describe('required data sources', () => {
  it('come from the bound query (sub-queries included), with availability from a real store', async () => {
    const r = rule(
      "let signed = DeviceFileCertificateInfo | where Signer has 'DWSNET OÜ' | distinct SHA1;\nDeviceProcessEvents\n| where SHA1 in (signed)\n| summarize count() by DeviceId",
      { name: 'Remote access tool - DWService - Create Process' },
    );
    const db = join(tempDir(), 'store.duckdb');
    const store = await Store.open(db);
    try {
      await store.run(
        `INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, SHA1) VALUES
           ('2026-05-30 10:00:00'::TIMESTAMP_NS, 'd1', 'aa'), ('2026-05-31 12:30:00'::TIMESTAMP_NS, 'd2', 'bb')`,
      );
      const availability = await tableAvailability(store, [
        'DeviceProcessEvents',
        'DeviceFileCertificateInfo',
        'NoSuchTable',
      ]);
      const e = enrichRule(r, { availability });
      const ds = Object.fromEntries(e.dataSources.value.map((d) => [d.table, d]));
      expect(Object.keys(ds).sort()).toEqual(['DeviceFileCertificateInfo', 'DeviceProcessEvents']);
      expect(ds['DeviceProcessEvents']!.availability).toEqual({
        value: { rows: 2, lastTimestamp: '2026-05-31T12:30:00Z' },
        source: 'store',
      });
      expect(ds['DeviceFileCertificateInfo']!.availability!.value).toEqual({ rows: 0, lastTimestamp: null });
      expect(ds['DeviceFileCertificateInfo']!.columns).toEqual(['SHA1', 'Signer']);
      expect(availability.get('NoSuchTable')).toEqual({ rows: 0, lastTimestamp: null });
      expect(e.signal.value).toBe('process');
    } finally {
      store.close();
    }
  });
});
