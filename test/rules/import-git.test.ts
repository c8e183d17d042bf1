import { cli } from '../cli-run.js';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryName } from '../../src/rules/git-fetch.js';
import { SHARED_DIR, missingData } from '../conformance/shared-data.js';

const RMM = join(SHARED_DIR, 'rmm-sources', 'rmm-monitoring-tools', 'RMM');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

describe('repositoryName', () => {
  it('names the checkout after the repository', () => {
    expect(repositoryName('https://github.com/Azure/Azure-Sentinel.git')).toBe('Azure-Sentinel');
    expect(repositoryName('git@github.com:jischell-msft/RemoteManagementMonitoringTools.git')).toBe(
      'RemoteManagementMonitoringTools',
    );
    expect(repositoryName('file:///srv/rules/')).toBe('rules');
    expect(repositoryName('https://example.org/..')).toBe('repository');
  });
});

describe.skipIf(missingData(RMM) !== undefined)('socfeed rules import GIT-URL', () => {
  const base = mkdtempSync(join(tmpdir(), 'socfeed-git-'));
  const upstream = join(base, 'rmm-rules');
  const db = join(base, 'catalog.duckdb');

  it('clones the repository, imports its rules and records the commit', async () => {
    mkdirSync(join(upstream, 'RMM'), { recursive: true });
    copyFileSync(
      join(RMM, 'ServerEye', 'rmm_ServerEye_createproc.yaml'),
      join(upstream, 'RMM', 'servereye.yaml'),
    );
    copyFileSync(join(RMM, 'Kaseya', 'rmm_Kaseya_filesig.yaml'), join(upstream, 'RMM', 'kaseya.yaml'));
    git(upstream, 'init', '--quiet');
    git(upstream, 'add', '.');
    git(upstream, 'commit', '--quiet', '-m', 'rules');
    const head = git(upstream, 'rev-parse', 'HEAD');

    const r = await cli('rules', 'import', `file://${upstream}`, '--db', db, '--json');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { source: string; counts: Record<string, number> };
    expect(summary.source).toBe('rmm-rules');
    expect(summary.counts['new']).toBe(2);

    const shown = await cli('rules', 'show', '620a171b', '--db', db, '--json');
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain(head);
  });

  it('explains a URL that cannot be cloned, without a stack trace', async () => {
    const r = await cli('rules', 'import', `file://${join(base, 'no-such-repo')}`, '--db', db);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('cannot clone');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
