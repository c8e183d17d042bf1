import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toSarif, type SarifLog } from '../../src/rules/publish/sarif.js';
import { VALIDATION_CODES, validatePaths } from '../../src/rules/validate.js';
import { defenderSchema } from '../../src/schema/index.js';
import { cli, RMM_TOOLS } from './publish-helpers.js';

describe('SARIF 2.1.0 output of rules validate', () => {
  // The upstream folder sits outside the working directory; run from its parent so paths are relative.
  const cwd = resolve(RMM_TOOLS, '..');
  const report = (() => {
    const before = process.cwd();
    process.chdir(cwd);
    try {
      return validatePaths(['rmm-monitoring-tools'], { schema: defenderSchema() });
    } finally {
      process.chdir(before);
    }
  })();
  const log = toSarif(report, cwd);

  it('has the required top-level and tool fields', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('socfeed');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r) => r.id).sort()).toEqual(Object.keys(VALIDATION_CODES).sort());
    for (const r of driver.rules) {
      expect(r.shortDescription.text.length, r.id).toBeGreaterThan(3);
      expect(['error', 'warning']).toContain(r.defaultConfiguration.level);
    }
    expect(driver.rules.find((r) => r.id === 'SF102')!.shortDescription.text).toBe('unknown column');
  });

  it('gives every result a rule, a level, a message and a valid region in a relative file', () => {
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(63);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['error', 'warning']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|file:|[a-z]+:)/i);
      expect(loc.artifactLocation.uri).toMatch(/^rmm-monitoring-tools\/(RMM|Network%20Indicators)\//);
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      const g = loc.region;
      for (const n of [g.startLine, g.startColumn, g.endLine, g.endColumn])
        expect(Number.isInteger(n) && n >= 1).toBe(true);
      expect(g.endLine).toBeGreaterThanOrEqual(g.startLine);
      if (g.endLine === g.startLine) expect(g.endColumn).toBeGreaterThan(g.startColumn);
    }
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toMatch(/^file:\/\/.*\/$/);
  });

  it('regions point at the offending text of the file', () => {
    const run = log.runs[0]!;
    const base = fileURLToPath(run.originalUriBaseIds['%SRCROOT%']!.uri);
    const sha1 = run.results.find((r) => r.message.text.startsWith("unknown column 'Sha1'"))!;
    const upn = run.results.filter((r) => r.message.text.startsWith("unknown column 'AccountUpn'"));
    expect(upn).toHaveLength(58);
    for (const r of [sha1, ...upn]) {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      const text = readFileSync(resolve(base, decodeURIComponent(artifactLocation.uri)), 'utf8');
      const line = text.split(/\r?\n/)[region.startLine - 1]!;
      const covered = line.slice(region.startColumn - 1, region.endColumn - 1);
      expect(covered).toBe(r === sha1 ? 'Sha1' : 'AccountUpn');
    }
    // The rule a result is about travels along, for tools that group by rule.
    const dwsFile = resolve(
      base,
      decodeURIComponent(sha1.locations[0]!.physicalLocation.artifactLocation.uri),
    );
    const dwsId = /^id: (\S+)/m.exec(readFileSync(dwsFile, 'utf8'))![1];
    expect(sha1.properties?.ruleId).toBe(dwsId);
  });

  it('is what `rules validate --format sarif` prints, exit code 1 on errors', async () => {
    const r = await cli('rules', 'validate', RMM_TOOLS, '--format', 'sarif');
    expect(r.code).toBe(1);
    const printed = JSON.parse(r.out) as SarifLog;
    expect(printed.runs[0]!.results).toHaveLength(report.findings.length);
    expect(r.err).toMatch(/63 errors in 62 files/);
  });
});
