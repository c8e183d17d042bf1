import { SHARED_DIR } from '../conformance/shared-data.js';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuleFiles, loadRules } from '../../src/rules/load.js';
import { defenderSchema } from '../../src/schema/index.js';
import { queryPositionInFile } from '../../src/rules/model.js';
import { repairDashAlignedKeys } from '../../src/rules/yaml-indent-repair.js';

// Tests may read the shared sources; the product never does.
const RMM_TOOLS = join(SHARED_DIR, 'rmm-sources', 'rmm-monitoring-tools');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'socfeed-rules-'));
}

describe('loading the 168 upstream RMM rule files', () => {
  const result = loadRules(RMM_TOOLS, { now: new Date('2026-05-31T23:00:00Z') });

  it('imports every file, repairing the dataTypes indentation slip with a warning', () => {
    expect(result.files).toHaveLength(168);
    expect(result.rules).toHaveLength(168);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const indent = result.diagnostics.filter((d) => d.code === 'SF-RULE-YAML-INDENT');
    expect(indent).toHaveLength(168);
    expect(indent[0]!.line).toBe(8);
    for (const r of result.rules) {
      expect(r.requiredDataConnectors).toHaveLength(1);
      expect(r.requiredDataConnectors[0]!.connectorId).toBe('MicrosoftThreatProtection');
      const types = r.requiredDataConnectors[0]!.dataTypes;
      expect(types.length).toBeGreaterThan(0);
      for (const t of types) expect(defenderSchema().table(t), t).toBeDefined();
      expect(r.extra).toEqual({}); // nothing (dataTypes) leaked to the top level
      expect(r.tactics).toEqual(['CommandAndControl']);
      expect(r.relevantTechniques).toEqual(['T1219']);
    }
    // Only the slip is reported: no unknown tactic or technique.
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['SF-RULE-YAML-INDENT']));
  });

  it('reads the ServerEye create-process rule like the seed page', () => {
    const r = result.rules.find((x) => x.id === '620a171b-e35d-43cd-8544-b725421e3364')!;
    expect(r.name).toBe('Remote Management and Monitoring tool - ServerEye - Create Process');
    expect(r.type).toBe('hunting');
    expect(r.requiredDataConnectors).toEqual([
      { connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceProcessEvents'] },
    ]);
    expect(r.tactics).toEqual(['CommandAndControl']);
    expect(r.relevantTechniques).toEqual(['T1219']);
    expect(r.description).toMatch(/^Remote Monitoring and Management \(RMM\) programs/);
    expect(r.query).toContain("ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'");
    expect(r.provenance.path).toBe('RMM/ServerEye/rmm_ServerEye_createproc.yaml');
    expect(r.provenance.retrievedAt).toBe('2026-05-31T23:00:00.000Z');
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('knows where each query starts in its file', () => {
    const r = result.rules.find((x) => x.id === '620a171b-e35d-43cd-8544-b725421e3364')!;
    expect(r.queryLocation).toEqual({ line: 13, column: 3, style: 'literal', exact: true });
    // Line 6 of the query is the ServerEye company filter; find it in the file at the mapped place.
    const fileLines = readFileSync(r.provenance.localPath, 'utf8').split(/\r?\n/);
    const queryLines = r.query.split('\n');
    const qLine = queryLines.findIndex((l) => l.includes('Krämer')) + 1;
    const qCol = queryLines[qLine - 1]!.indexOf('Krämer') + 1;
    const pos = queryPositionInFile(r.queryLocation, qLine, qCol)!;
    expect(fileLines[pos.line - 1]!.slice(pos.column - 1)).toMatch(/^Krämer IT Solutions GmbH'/);
  });
});

describe('malformed files', () => {
  it('reports bad YAML and a rule without query with file:line:col, skips them and goes on', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-good.yaml'), 'id: 1\nname: good\nquery: |\n  DeviceProcessEvents | take 1\n');
    writeFileSync(
      join(dir, 'b-bad.yaml'),
      'id: 2\nname: bad\nquery: |\n  T\ntactics: [Execution\nseverity: Low\n',
    );
    writeFileSync(join(dir, 'c-noquery.yaml'), 'id: 3\nname: no query\ntactics: Execution\n');
    writeFileSync(join(dir, 'd-good.yaml'), "id: '4'\nname: good too\nquery: DeviceEvents | take 1\n");
    const r = loadRules(dir);
    expect(r.rules.map((x) => x.id)).toEqual(['1', '4']);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.file.split('/').pop(), d.line])).toEqual([
      ['SF-RULE-YAML', 'b-bad.yaml', 6],
      ['SF-RULE-NO-QUERY', 'c-noquery.yaml', 1],
    ]);
    expect(errors[0]!.column).toBeGreaterThan(0);
    expect(r.failedFiles.map((f) => f.split('/').pop())).toEqual(['b-bad.yaml', 'c-noquery.yaml']);
    // a plain one-line query maps exactly too
    expect(r.rules[1]!.queryLocation).toEqual({ line: 3, column: 8, style: 'plain', exact: true });
  });

  it('does not "repair" an indentless list (valid YAML) or genuinely broken indentation', () => {
    const indentless = 'requiredDataConnectors:\n- connectorId: X\n  dataTypes:\n  - T\ntactics: Execution\n';
    expect(repairDashAlignedKeys(indentless)).toBeUndefined();
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.yaml'), 'id: 5\nname: x\nquery: |\n  T\n   tactics:\n  - a\n - b\n');
    const r = loadRules(dir);
    expect(r.rules).toHaveLength(0);
    expect(r.diagnostics[0]!.code).toBe('SF-RULE-YAML');
  });

  it('warns about unknown tactics, retired techniques, and keeps a duplicate id out', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'a.yaml'),
      'id: x1\nname: a\ntactics:\n  - CommandAndControl\n  - Teleportation\nrelevantTechniques:\n  - T1219\n  - T1086\nquery: T\n',
    );
    writeFileSync(join(dir, 'b.yaml'), 'id: x1\nname: b\nquery: T\n');
    const r = loadRules(dir);
    expect(r.rules.map((x) => x.name)).toEqual(['a']);
    const byCode = Object.fromEntries(r.diagnostics.map((d) => [d.code, d.message]));
    expect(byCode['SF-RULE-TACTIC']).toMatch(/Teleportation/);
    expect(byCode['SF-RULE-TECHNIQUE']).toMatch(/T1086 is revoked; use T1059\.001/);
    expect(byCode['SF-RULE-DUPLICATE-ID']).toMatch(/a\.yaml/);
  });

  it('skips YAML files that are not rules without calling them errors', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'ci.yaml'), 'on: push\n');
    writeFileSync(join(dir, 'parser.yaml'), 'FunctionName: x\nFunctionQuery: T\n');
    const r = loadRules(dir);
    expect(listRuleFiles(dir)).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['SF-RULE-NOT-RULE', 'info']]);
  });
});

describe('provenance', () => {
  it('reads a git checkout without running git, and links to GitHub by commit', () => {
    const repo = tempDir();
    const sha = 'a'.repeat(40);
    mkdirSync(join(repo, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/master\n');
    writeFileSync(join(repo, '.git', 'packed-refs'), `# pack-refs with: peeled\n${sha} refs/heads/master\n`);
    writeFileSync(
      join(repo, '.git', 'config'),
      '[remote "origin"]\n\turl = https://github.com/Azure/Azure-Sentinel.git\n',
    );
    const dir = join(repo, 'Hunting Queries', 'RMM');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'r.yaml'), 'id: r1\nname: r\nquery: T\n');
    const r = loadRules(dir).rules[0]!;
    expect(r.provenance).toMatchObject({
      repository: 'Azure/Azure-Sentinel',
      path: 'Hunting Queries/RMM/r.yaml',
      commit: sha,
      branch: 'master',
      url: `https://github.com/Azure/Azure-Sentinel/blob/${sha}/Hunting%20Queries/RMM/r.yaml`,
    });
  });

  it('uses the folder name outside a checkout, or the --origin URL given', () => {
    const dir = join(tempDir(), 'my-rules');
    mkdirSync(dir);
    writeFileSync(join(dir, 'r.yaml'), 'id: r1\nname: r\nquery: T\n');
    expect(loadRules(dir).rules[0]!.provenance).toMatchObject({ repository: 'my-rules', path: 'r.yaml' });
    expect(loadRules(dir).rules[0]!.provenance.url).toBeUndefined();
    const linked = loadRules(dir, {
      origin: 'https://github.com/jischell-msft/RemoteManagementMonitoringTools/tree/7bb251e',
    });
    expect(linked.rules[0]!.provenance.url).toBe(
      'https://github.com/jischell-msft/RemoteManagementMonitoringTools/blob/7bb251e/r.yaml',
    );
  });

  it('refuses URLs with a clear message', () => {
    expect(() => loadRules('https://github.com/Azure/Azure-Sentinel.git')).toThrow(
      /clone it first|does not download/,
    );
  });
});
