import { cli } from '../cli-run.js';
import { SHARED_DIR } from '../conformance/shared-data.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RMM_TOOLS = join(SHARED_DIR, 'rmm-sources', 'rmm-monitoring-tools');

describe('socfeed rules import / rules list', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'socfeed-cli-')), 'catalog.duckdb');

  it('imports the RMM queries, then finds nothing changed on a second import', async () => {
    const first = await cli('rules', 'import', RMM_TOOLS, '--db', db, '--json');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out) as { source: string; counts: Record<string, number> };
    expect(summary.source).toBe('rmm-monitoring-tools');
    expect(summary.counts).toMatchObject({ new: 168, errors: 0, warnings: 168 });
    const second = await cli('rules', 'import', RMM_TOOLS, '--db', db);
    expect(second.code).toBe(0);
    expect(second.out).toContain('new 0 · updated 0 · unchanged 168 · removed 0');
    expect(second.out).toMatch(/SF-RULE-YAML-INDENT/);
    expect(second.out).toContain('… and 163 more SF-RULE-YAML-INDENT warnings');
  });

  it('lists rules by technique and table', async () => {
    const r = await cli(
      'rules',
      'list',
      '--db',
      db,
      '--technique',
      'T1219',
      '--table',
      'DeviceFileCertificateInfo',
      '--json',
    );
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.out) as { name: string; tables: string[] }[];
    const filesigFiles = readdirSync(join(RMM_TOOLS, 'RMM'), { recursive: true }).filter((f) =>
      String(f).endsWith('_filesig.yaml'),
    );
    // file-signature rules, plus the DWService rules that read certificates in a sub-query
    expect(rules.length).toBe(filesigFiles.length + 2);
    const none = await cli('rules', 'list', '--db', db, '--technique', 'T1059');
    expect(none.out.trim()).toBe('no rules match');
  });

  it('lists the rules hunting one tool, by any of its names', async () => {
    const r = await cli('rules', 'list', '--db', db, '--tool', 'server-eye', '--json');
    const rules = JSON.parse(r.out) as { name: string; tools: string[]; path: string }[];
    expect(rules.map((x) => x.path).sort()).toEqual([
      'Network Indicators/rmm__all_netconn.yaml',
      'RMM/ServerEye/rmm_ServerEye_createproc.yaml',
      'RMM/ServerEye/rmm_ServerEye_filesig.yaml',
      'RMM/ServerEye/rmm_ServerEye_netconn.yaml',
    ]);
    const text = await cli('rules', 'list', '--db', db, '--tool', 'ServerEye');
    expect(text.out).toMatch(/^ID\s+NAME\s+TECHNIQUES\s+TABLES\s+TOOLS\s+SOURCE/);
    expect(text.out).toContain('4 rules');
  });

  it('explains what went wrong, without a stack trace', async () => {
    // (A URL that cannot be cloned is covered offline in import-git.test.ts.)
    const path = await cli('rules', 'import', join(tmpdir(), 'socfeed-no-such-rules'), '--db', db);
    expect(path.code).toBe(2);
    expect(path.err).toMatch(/error\[SF-RULES-MISSING\]: no such file or folder/);
    const tool = await cli('rules', 'list', '--db', db, '--tool', 'AnyDesc');
    expect(tool.code).toBe(2);
    expect(tool.err).toMatch(/did you mean 'AnyDesk'/);
    const missing = await cli('rules', 'list', '--db', join(tmpdir(), 'no-such-socfeed.duckdb'));
    expect(missing.err).toMatch(/SF-RULES-EMPTY.*\n.*socfeed rules import PATH/);
    expect(`${path.err}${tool.err}${missing.err}`).not.toMatch(/\n\s+at /);
  });
});
