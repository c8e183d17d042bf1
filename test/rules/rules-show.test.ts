import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { packRuleId } from '../../src/rules/rmm-pack.js';
import { cli, importUpstream, RMM_TOOLS, SEED_IDS, tempDir } from './publish-helpers.js';

/** The sections of the seed pages, in their order (our headings; the seeds have no confidence block). */
const SECTIONS = [
  'Confidence',
  'Hunt Hypothesis',
  'KQL Query',
  'Hunting Rule Definition',
  'Required Data Sources',
  'MITRE ATT&CK Context',
  'References',
  'False Positive Guidance',
  'Original Source',
];

const SEEDS = [
  {
    id: SEED_IDS.serverEye,
    file: 'RMM/ServerEye/rmm_ServerEye_createproc.yaml',
    table: 'DeviceProcessEvents',
    tool: 'ServerEye',
  },
  {
    id: SEED_IDS.rport,
    file: 'RMM/RPort/rmm_RPort_createproc.yaml',
    table: 'DeviceProcessEvents',
    tool: 'RPort',
  },
  {
    id: SEED_IDS.kaseya,
    file: 'RMM/Kaseya/rmm_Kaseya_filesig.yaml',
    table: 'DeviceFileCertificateInfo',
    tool: 'Kaseya VSA',
  },
];

/** The text of a section: the lines after its heading (and underline) up to the next heading. */
function sectionText(page: string, title: string): string {
  const lines = page.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${title}  (`) || l === title);
  if (start < 0) throw new Error(`no section ${title}`);
  const body: string[] = [];
  for (let i = start + 2; i < lines.length; i++) {
    if (/^─+$/.test(lines[i + 1] ?? '') && lines[i] !== '') break;
    body.push(lines[i]!);
  }
  return body.join('\n').trim();
}

describe('socfeed rules show', () => {
  const dir = tempDir('socfeed-show-');
  const db = join(dir, 'catalog.duckdb');
  const upstream = loadRules(RMM_TOOLS).rules;

  beforeAll(async () => {
    await importUpstream(db);
  });

  for (const seed of SEEDS) {
    it(`shows every section of the seed page for ${seed.file.split('/').pop()}`, async () => {
      const r = await cli('rules', 'show', seed.id, '--db', db);
      expect(r.code, r.err).toBe(0);
      const page = r.out;
      const rule = upstream.find((x) => x.id === seed.id)!;
      const lines = page.split('\n');
      expect(lines[0]).toBe(rule.name);
      // Badges: language, severity, source, technique, tables, tags (the rule type).
      expect(lines[2]).toBe(
        `[kql] [severity: not set] [RemoteManagementMonitoringTools] [T1219] [${seed.table}] [hunting]`,
      );
      const github = `https://github.com/jischell-msft/RemoteManagementMonitoringTools/blob/7bb251e68abd13989445195e9d812cb189277715/${seed.file}`;
      const head = lines.slice(0, 12).join(' ');
      expect(head).toMatch(
        /This rule was pulled from jischell-msft\/RemoteManagementMonitoringTools and enriched by socfeed, deterministically \(no AI\), from MITRE ATT&CK v18\.1/,
      );
      expect(head).toContain('Validate in a test environment before deploying to production.');
      expect(page).toContain(
        `View original rule at jischell-msft/RemoteManagementMonitoringTools: ${github}`,
      );
      expect(page).toMatch(/\nRetrieved: \d{4}-\d{2}-\d{2}T[\d:.]+Z · Confidence: medium \(\d+\/100\)/);

      const headings = lines
        .filter((l, i) => /^─+$/.test(lines[i + 1] ?? '') && l !== '')
        .map((l) => l.replace(/ {2}\(.*\)$/, ''));
      expect(headings).toEqual(SECTIONS);

      expect(sectionText(page, 'Confidence')).toMatch(/medium — score \d+ of 100[\s\S]*\+20 {2}schema/);
      expect(sectionText(page, 'Hunt Hypothesis')).toContain(seed.tool);
      expect(sectionText(page, 'KQL Query')).toBe(
        rule.query
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`.trimEnd())
          .join('\n')
          .trim(),
      );
      const definition = sectionText(page, 'Hunting Rule Definition');
      expect(definition).toMatch(new RegExp(`^id: ${seed.id}\\n  name: `));
      expect(definition).toContain('relevantTechniques: T1219');
      expect(definition).toContain('tactics: CommandAndControl');
      expect(definition).toContain(`- ${seed.table}`);
      expect(sectionText(page, 'Required Data Sources')).toMatch(
        new RegExp(`${seed.table}\\s+MicrosoftThreatProtection\\s+no rows in the store`),
      );
      const attackText = sectionText(page, 'MITRE ATT&CK Context');
      expect(attackText).toContain('T1219 Remote Access Tools — tactic Command and Control (TA0011)');
      expect(attackText).toContain('https://attack.mitre.org/techniques/T1219');
      expect(attackText).toContain('CommandAndControl → TA0011 Command and Control');
      const refs = sectionText(page, 'References');
      expect(refs).toContain(`- Original rule: ${github}  (rule)`);
      expect(refs).toMatch(/- LOLRMM: .*: https:\/\/lolrmm\.io\/tools\/\S+ {2}\(rmm-catalog\)/);
      expect(refs).toContain(
        '- MITRE ATT&CK T1219 Remote Access Tools: https://attack.mitre.org/techniques/T1219  (attack-v18.1)',
      );
      expect(sectionText(page, 'False Positive Guidance')).toMatch(/legitimate[\s\S]*socfeed rmm inventory/);
      expect(sectionText(page, 'Original Source').split('\n')[0]).toBe(github);
    });
  }

  it('shows a bundled pack rule without an explicit import, and as JSON', async () => {
    const id = packRuleId('servereye', 'createproc');
    const r = await cli('rules', 'show', id.slice(0, 8), '--db', db);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Remote access tool - ServerEye - Create Process');
    expect(r.out).toContain("This rule is part of socfeed's bundled RMM rule pack");
    expect(r.out).toContain('[socfeed-rmm-pack]');
    const json = await cli('rules', 'show', id, '--db', db, '--json');
    const parsed = JSON.parse(json.out) as {
      source: string;
      rule: { id: string };
      enrichment: { confidence: { value: { level: string } } };
    };
    expect(parsed).toMatchObject({ source: 'socfeed-rmm-pack', rule: { id } });
    expect(['low', 'medium', 'high']).toContain(parsed.enrichment.confidence.value.level);
  });

  it('without any store, shows the pack from memory and creates no file', async () => {
    const empty = tempDir('socfeed-show-empty-');
    const before = process.cwd();
    process.chdir(empty);
    try {
      const r = await cli('rules', 'show', packRuleId('anydesk', 'netconn'));
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/no store at \.\/socfeed\.duckdb; showing the bundled RMM pack only/);
      expect(r.out).toContain('Remote access tool - AnyDesk - Network Connection');
      expect(r.out).toMatch(
        /ensure the MicrosoftThreatProtection connector is enabled.*\(no store consulted\)/,
      );
      expect(existsSync(join(empty, 'socfeed.duckdb'))).toBe(false);
    } finally {
      process.chdir(before);
    }
  });

  it('keeps control characters from rule text away from the terminal', async () => {
    const hostile = join(dir, 'hostile');
    mkdirSync(hostile);
    writeFileSync(
      join(hostile, 'x.yaml'),
      'id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\nname: "Red \\e[31mALERT\\e[0m"\ndescription: "clear \\e[2J screen"\n' +
        "query: |\n  DeviceProcessEvents\n  | where FileName =~ 'x.exe'\n",
    );
    expect((await cli('rules', 'import', hostile, '--db', db, '--source', 'hostile')).code).toBe(0);
    const r = await cli('rules', 'show', '9a8b7c6d', '--db', db);
    expect(r.out).not.toContain('\u001b');
    expect(r.out.split('\n')[0]).toBe('Red \\u001b[31mALERT\\u001b[0m');
  });

  it('explains an unknown id (exit 2, with a hint)', async () => {
    const r = await cli('rules', 'show', 'ffffffff', '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /error\[SF-RULES-NOT-FOUND\]: no rule with id 'ffffffff'\n {2}hint: list rule ids with `socfeed rules list`/,
    );
  });
});
