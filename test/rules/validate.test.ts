import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuleFiles } from '../../src/rules/load.js';
import { rmmPackDir } from '../../src/rules/publish/rmm-pack-source.js';
import { renderValidationText, validatePaths, type ValidationFinding } from '../../src/rules/validate.js';
import { defenderSchema } from '../../src/schema/index.js';
import { cli, RMM_TOOLS, tempDir } from './publish-helpers.js';

const schema = defenderSchema();
const hasColumn = (table: string, column: string) =>
  schema.table(table)!.columns.some((c) => c.name === column);

/** A finding as the test states it: where (relative to the upstream folder), which code, which text. */
interface Expected {
  file: string;
  line: number;
  column: number;
  code: string;
  /** The text the finding's span covers in the file. */
  token: string;
}

/** Line and column (1-based) of `token` in the first line matching `lineRe` (and its `nth` occurrence on it). */
function locate(file: string, lineRe: RegExp, token: string): { line: number; column: number } {
  const lines = readFileSync(join(RMM_TOOLS, file), 'utf8').split(/\r?\n/);
  const i = lines.findIndex((l) => lineRe.test(l));
  if (i < 0) throw new Error(`${file}: no line matches ${lineRe}`);
  return { line: i + 1, column: lines[i]!.indexOf(token, lineRe.exec(lines[i]!)!.index) + 1 };
}

/**
 * The expected report, derived by reading the upstream files and the schema (not from socfeed's
 * output):
 * - four syntax errors: DWService createproc writes `| Sha1 in (…)` with no operator (`where`)
 *   after the pipe; Level createproc writes `has_all has_any (`; MSP360 and ZohoAssist netconn end
 *   their `has_any (` list with a comma before `)`. A file that does not parse reports only that
 *   (binding needs a parse tree), so their AccountUpn references are not reported.
 * - `AccountUpn` in DeviceNetworkEvents, which has no such column: every netconn query that parses
 *   (57 per-tool files and the all-tools file). The createproc queries use it in
 *   DeviceProcessEvents, which has it; no filesig query uses it.
 * - DWService netconn: `distinct Sha1` on DeviceFileCertificateInfo, whose column is `SHA1`.
 * - warnings: every file writes `dataTypes:` at the column of the `- connectorId` dash above it
 *   (the loader repairs it with SF-RULE-YAML-INDENT at that line).
 */
function expectedFindings(): { errors: Expected[]; warnings: Expected[] } {
  expect(hasColumn('DeviceNetworkEvents', 'AccountUpn')).toBe(false);
  expect(hasColumn('DeviceProcessEvents', 'AccountUpn')).toBe(true);
  expect(hasColumn('DeviceFileCertificateInfo', 'SHA1')).toBe(true);
  expect(hasColumn('DeviceFileCertificateInfo', 'Sha1')).toBe(false);

  const files = listRuleFiles(RMM_TOOLS).map((f) => relative(RMM_TOOLS, f).split('\\').join('/'));
  const syntax: Expected[] = [
    {
      file: 'RMM/DWService/rmm_DWService_createproc.yaml',
      ...locate('RMM/DWService/rmm_DWService_createproc.yaml', /\| Sha1 in/, 'Sha1'),
      code: 'SF001',
      token: 'Sha1',
    },
    {
      file: 'RMM/Level/rmm_Level_createproc.yaml',
      ...locate('RMM/Level/rmm_Level_createproc.yaml', /has_all has_any/, 'has_any'),
      code: 'SF001',
      token: 'has_any',
    },
    ...[
      'RMM/MSP360_CloudBerry/rmm_MSP360_CloudBerry_netconn.yaml',
      'RMM/ZohoAssist/rmm_ZohoAssist_netconn.yaml',
    ].map((file) => ({ file, ...closingAfterTrailingComma(file), code: 'SF001', token: ')' })),
  ];
  const broken = new Set(syntax.map((s) => s.file));
  const accountUpn: Expected[] = [];
  for (const file of files) {
    const text = readFileSync(join(RMM_TOOLS, file), 'utf8');
    if (!text.includes('AccountUpn')) continue;
    // The table the query's last statement reads (a `let` above it may read another).
    const table = [...text.matchAll(/^ {2}(Device\w+)\s*$/gm)].pop()?.[1];
    if (file.endsWith('_filesig.yaml')) throw new Error(`unexpected AccountUpn in ${file}`);
    if (table === 'DeviceProcessEvents' || broken.has(file)) continue;
    expect(table, file).toBe('DeviceNetworkEvents');
    accountUpn.push({
      file,
      ...locate(file, /\bAccountUpn\b/, 'AccountUpn'),
      code: 'SF102',
      token: 'AccountUpn',
    });
  }
  const dws = 'RMM/DWService/rmm_DWService_netconn.yaml';
  const sha1: Expected = {
    file: dws,
    ...locate(dws, /\| distinct Sha1/, 'Sha1'),
    code: 'SF102',
    token: 'Sha1',
  };
  const warnings = files.map((file) => ({
    file,
    ...locate(file, /^\s*dataTypes:/, 'dataTypes'),
    code: 'SF-RULE-YAML-INDENT',
    token: '',
  }));
  for (const w of warnings) w.column = 1; // the loader reports the repaired line
  return { errors: [...syntax, ...accountUpn, sha1], warnings };
}

/** The `)` on the line after a list item ending in `,` (a comment may follow the comma). */
function closingAfterTrailingComma(file: string): { line: number; column: number } {
  const lines = readFileSync(join(RMM_TOOLS, file), 'utf8').split(/\r?\n/);
  const i = lines.findIndex((l, k) => /',\s*(\/\/.*)?$/.test(l) && /^\s*\)/.test(lines[k + 1] ?? ''));
  return { line: i + 2, column: lines[i + 1]!.indexOf(')') + 1 };
}

const key = (x: { file: string; line: number; column: number; code: string }) =>
  `${x.file}:${x.line}:${x.column}:${x.code}`;

describe('rules validate on the 168 upstream RMM rules', () => {
  const report = validatePaths([RMM_TOOLS], { schema, now: new Date('2026-06-01T00:00:00Z') });
  const root = resolve(RMM_TOOLS);
  const rel = (f: ValidationFinding) => ({
    ...f,
    file: relative(root, resolve(f.file)).split('\\').join('/'),
  });
  const found = report.findings.map(rel);
  const expected = expectedFindings();

  it('reports exactly the broken queries: 4 syntax errors, 58 AccountUpn, Sha1 vs SHA1', () => {
    expect(expected.errors).toHaveLength(63);
    const errors = found.filter((f) => f.severity === 'error');
    expect(errors.map(key).sort()).toEqual(expected.errors.map(key).sort());
    expect(report.errors).toBe(63);
    expect(new Set(errors.map((e) => e.file)).size).toBe(62);
    expect(report.rules).toBe(168);
    expect(report.files).toBe(168);
  });

  it('spans cover the offending text, with the messages and hints a user needs', () => {
    for (const e of expected.errors) {
      const f = found.find((x) => key(x) === key(e))!;
      const line = readFileSync(join(RMM_TOOLS, e.file), 'utf8').split(/\r?\n/)[f.line - 1]!;
      expect(f.endLine, e.file).toBe(f.line);
      expect(line.slice(f.column - 1, f.endColumn - 1), e.file).toBe(e.token);
      expect(f.ruleId, e.file).toMatch(/^[0-9a-f-]{36}$/);
    }
    const byFile = (file: string) => found.filter((f) => f.file === file && f.severity === 'error');
    expect(byFile('RMM/DWService/rmm_DWService_netconn.yaml').map((f) => f.message)).toEqual([
      "unknown column 'Sha1'; did you mean 'SHA1'?",
      "unknown column 'AccountUpn'",
    ]);
    expect(byFile('RMM/ZohoAssist/rmm_ZohoAssist_netconn.yaml')[0]!.hint).toBe('remove the trailing comma');
    expect(byFile('RMM/Level/rmm_Level_createproc.yaml')[0]!.message).toMatch(/after 'has_all'.*'has_any'/);
    expect(byFile('RMM/DWService/rmm_DWService_createproc.yaml')[0]!.message).toMatch(
      /query operator 'Sha1'/,
    );
  });

  it('warns (without failing) about the repaired dataTypes indentation, once per file', () => {
    const warnings = found.filter((f) => f.severity === 'warning');
    expect(warnings.map(key).sort()).toEqual(expected.warnings.map(key).sort());
    expect(report.warnings).toBe(168);
  });

  it('prints compiler-style text with the file line and a caret', () => {
    const findings = report.findings.filter(
      (f) => f.file.endsWith('rmm_DWService_netconn.yaml') && f.code === 'SF102',
    );
    const text = renderValidationText({ ...report, errors: findings.length, warnings: 0, findings });
    const file = report.findings.find((f) => f.file.endsWith('rmm_DWService_netconn.yaml'))!.file;
    expect(text).toBe(
      [
        `${file}:21:14: error[SF102]: unknown column 'Sha1'; did you mean 'SHA1'?`,
        '   |',
        '21 |   | distinct Sha1',
        '   |              ^^^^',
        '',
        `${file}:29:7: error[SF102]: unknown column 'AccountUpn'`,
        '   |',
        '29 |       AccountUpn, RemoteUrl ',
        '   |       ^^^^^^^^^^',
        '   = hint: check the column names of the table (socfeed schema)',
        '',
        'checked 168 rules in 168 files: 2 errors in 1 file, 0 warnings',
      ].join('\n'),
    );
  });
});

describe('rules validate on the bundled RMM pack', () => {
  it('finds no error and no warning in any pack rule', () => {
    const report = validatePaths([rmmPackDir()], { schema });
    expect(report.rules).toBe(listRuleFiles(rmmPackDir()).length);
    expect(report.rules).toBeGreaterThan(500);
    expect(report.findings).toEqual([]);
  });
});

describe('positions in the YAML file for each scalar style', () => {
  const dir = tempDir('socfeed-validate-');
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const head = (id: string) => `id: ${id}\nname: style test ${id.slice(0, 4)}\n`;

  it('maps an indented literal block exactly, with CRLF line endings and tabs', () => {
    const file = write(
      'literal.yaml',
      (
        head('aaaaaaaa-0000-4000-8000-000000000001') +
        'query: |\n    DeviceProcessEvents\n    | where\tFileNme == "x"\n'
      ).replace(/\n/g, '\r\n'),
    );
    const [f] = validatePaths([file], { schema }).findings;
    expect(f).toMatchObject({ code: 'SF102', line: 5, column: 13, endLine: 5, endColumn: 20 });
    expect(f!.message).toBe("unknown column 'FileNme'; did you mean 'FileName'?");
  });

  it('maps a one-line quoted query exactly, and a folded block to the query start', () => {
    const quoted = write(
      'quoted.yaml',
      head('aaaaaaaa-0000-4000-8000-000000000002') + 'query: "DeviceProcessEvents | take 1 | where Nope"\n',
    );
    expect(validatePaths([quoted], { schema }).findings[0]).toMatchObject({
      code: 'SF102',
      line: 3,
      column: 46,
      endColumn: 50,
    });
    const folded = write(
      'folded.yaml',
      head('aaaaaaaa-0000-4000-8000-000000000003') + 'query: >\n  DeviceProcessEvents\n  | where Nope\n',
    );
    const [f] = validatePaths([folded], { schema }).findings;
    expect(f).toMatchObject({ code: 'SF102', line: 4, column: 3, endLine: 4, endColumn: 4 });
    expect(f!.message).toMatch(/\(at line 1, column 29 of the query\)$/);
  });

  it('reports YAML errors as findings and keeps going', () => {
    write('broken.yaml', 'id: [unclosed\nname: x\nquery: T\n');
    const report = validatePaths([dir], { schema });
    const yaml = report.findings.find((f) => f.code === 'SF-RULE-YAML')!;
    expect(yaml.file.endsWith('broken.yaml')).toBe(true);
    expect(yaml.severity).toBe('error');
    expect(report.rules).toBe(3);
  });
});

describe('socfeed rules validate (CLI)', () => {
  it('exits 1 on errors and 0 without, prints JSON and errors only with --quiet', async () => {
    const upstream = await cli('rules', 'validate', RMM_TOOLS, '--quiet');
    expect(upstream.code).toBe(1);
    expect(upstream.out).not.toContain('warning[');
    expect(upstream.out.trimEnd().split('\n').pop()).toBe(
      'checked 168 rules in 168 files: 63 errors in 62 files, 168 warnings',
    );
    const pack = await cli('rules', 'validate', rmmPackDir(), '--format', 'json');
    expect(pack.code).toBe(0);
    expect(JSON.parse(pack.out)).toMatchObject({ errors: 0, warnings: 0, findings: [] });
  });

  it('refuses bad arguments with a clear message (exit 2)', async () => {
    const format = await cli('rules', 'validate', rmmPackDir(), '--format', 'sarf');
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/--format must be one of text, json, sarif.*\n.*did you mean sarif/);
    const schemaArg = await cli('rules', 'validate', rmmPackDir(), '--schema', 'sentinel');
    expect(schemaArg.code).toBe(2);
    const missing = await cli('rules', 'validate', join(tempDir(), 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/SF-RULES-MISSING/);
    expect(`${format.err}${missing.err}`).not.toMatch(/\n\s+at /);
  });
});
