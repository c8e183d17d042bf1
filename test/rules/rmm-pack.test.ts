import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lex } from '../../src/kql/syntax/lexer.js';
import { loadRules } from '../../src/rules/load.js';
import { rmmCatalog } from '../../src/rules/rmm-catalog.js';
import {
  buildRmmPack,
  packReadme,
  packRuleId,
  packRuleYaml,
  RMM_PACK_NAMESPACE,
  unknownColumns,
} from '../../src/rules/rmm-pack.js';
import { uuidV5 } from '../../src/rules/uuid.js';
import { defenderSchema } from '../../src/schema/index.js';
import { oracleAnalyze } from '../oracle/kusto-oracle.js';

const PACK_DIR = join(import.meta.dirname, '..', '..', 'data', 'rules', 'rmm-pack');
const catalog = rmmCatalog().data;
const pack = buildRmmPack(catalog);
const perTool = pack.rules.filter((r) => r.meta.toolId);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? filesUnder(p) : [relative(PACK_DIR, p).split(sep).join('/')];
  });
}

describe('RMM rule pack', () => {
  it('has stable UUIDv5 ids', () => {
    // RFC 9562 appendix A.4 test vector: name "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(RMM_PACK_NAMESPACE).toBe('c2ef04dc-0aba-4067-95ba-35b47dff43c0');
    expect(packRuleId('servereye', 'createproc')).toBe(uuidV5('servereye:createproc', RMM_PACK_NAMESPACE));
    expect(packRuleId('anydesk', 'createproc')).toBe('81e51002-95b5-5d23-8df5-a698deb80967');
    expect(buildRmmPack(catalog).rules.map((r) => r.id)).toEqual(pack.rules.map((r) => r.id));
    expect(new Set(pack.rules.map((r) => r.id)).size).toBe(pack.rules.length);
  });

  it('covers at least 250 tools', () => {
    expect(pack.coverage.toolsCovered).toBeGreaterThanOrEqual(250);
    expect(pack.coverage.bySignal.createproc).toBeGreaterThanOrEqual(240);
    expect(pack.coverage.bySignal.filesig).toBeGreaterThanOrEqual(130);
    expect(pack.coverage.bySignal.netconn).toBeGreaterThanOrEqual(190);
    expect(pack.rules.filter((r) => !r.meta.toolId).map((r) => r.meta.signal)).toEqual([
      'createproc',
      'filesig',
      'netconn',
    ]);
  });

  it('has the seeds\u2019 shape', () => {
    for (const r of pack.rules) {
      expect(r.query.startsWith('let Time_start = now(-5d);\nlet Time_end = now();\n//\n'), r.meta.file).toBe(
        true,
      );
      expect(r.query).toContain(`${r.meta.table}\n| where Timestamp between (Time_start..Time_end)\n`);
      expect(r.query).toContain(
        '| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), \n    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName',
      );
      expect(r).toMatchObject({ tactics: 'CommandAndControl', relevantTechniques: 'T1219' });
      expect(r.requiredDataConnectors).toEqual([
        { connectorId: 'MicrosoftThreatProtection', dataTypes: [r.meta.table] },
      ]);
    }
    for (const r of perTool) expect(r.query.endsWith('by DeviceId, DeviceName\n'), r.meta.file).toBe(true);
    const serverEye = pack.rules.find((r) => r.id === packRuleId('servereye', 'createproc'))!;
    expect(serverEye.query).toContain(
      "| where (ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'\n        and ProcessVersionInfoProductName has_any ('ServerEye', 'Server-Eye'))",
    );
    const kaseya = pack.rules.find((r) => r.id === packRuleId('kaseya-vsa', 'filesig'))!;
    expect(kaseya.query).toContain("| where Signer has 'Kaseya'\n");
    const all = pack.rules.find((r) => r.id === packRuleId('all', 'netconn'))!;
    expect(all.query).toContain("let rmm_networkSet = datatable(Indicator:string, RMM_Tool:string) [\n    '");
    expect(all.query).toContain("    'server-eye.de', 'ServerEye'");
  });

  it('uses no indicator the catalog marks as too generic', () => {
    const excluded = new Set(
      catalog.tools.flatMap((t) =>
        Object.values(t.indicators)
          .flat()
          .filter((i) => i.excluded)
          .map((i) => i.value.toLowerCase()),
      ),
    );
    const usedSomewhereUsable = new Set(
      catalog.tools.flatMap((t) =>
        Object.values(t.indicators)
          .flat()
          .filter((i) => !i.excluded)
          .map((i) => i.value.toLowerCase()),
      ),
    );
    for (const r of pack.rules) {
      for (const tok of lex(r.query).tokens) {
        if (tok.kind !== 'string') continue;
        const v = tok.text.toLowerCase();
        if (excluded.has(v) && !usedSomewhereUsable.has(v))
          throw new Error(`${r.meta.file} uses excluded '${tok.text}'`);
      }
    }
  });

  it('references only columns of its table (schema check before the compiler exists)', () => {
    const schema = defenderSchema();
    for (const r of pack.rules) expect(unknownColumns(r, schema), r.meta.file).toEqual([]);
    // Independently of the generator's own bookkeeping: every capitalised identifier in a query is
    // the table, a column of it, or a name the query itself defines.
    const defined = new Set([
      'Time_start',
      'Time_end',
      'FirstSeen',
      'LastSeen',
      'Report',
      'Count',
      'Indicator',
      'RMM_Tool',
    ]);
    for (const r of pack.rules) {
      const table = schema.table(r.meta.table)!;
      for (const tok of lex(r.query).tokens) {
        if (
          tok.kind !== 'ident' ||
          !/^[A-Z]/.test(tok.text) ||
          defined.has(tok.text) ||
          tok.text === r.meta.table
        )
          continue;
        expect(
          table.columns.some((c) => c.name === tok.text),
          `${r.meta.file}: ${tok.text}`,
        ).toBe(true);
      }
    }
  });

  it("is accepted and bound by Microsoft's KQL analyzer against the Defender schema", () => {
    const failures = pack.rules.flatMap((r) => {
      const a = oracleAnalyze(r.query);
      return a.ok
        ? []
        : [
            `${r.meta.file}: ${a.diagnostics
              .filter((d) => d.severity === 'error')
              .map((d) => d.message)
              .join('; ')}`,
          ];
    });
    expect(failures).toEqual([]);
  });

  it('committed files are what the generator makes (run scripts/gen-rmm-pack.mjs after changes)', () => {
    const expected = new Map(pack.rules.map((r) => [r.meta.file, packRuleYaml(r)]));
    expected.set('README.md', packReadme(pack, catalog));
    expect(filesUnder(PACK_DIR).sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(readFileSync(join(PACK_DIR, file), 'utf8'), file).toBe(text);
  });

  it('loads back through the rule loader with the same metadata', () => {
    const loaded = loadRules(PACK_DIR);
    expect(loaded.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(loaded.rules).toHaveLength(pack.rules.length);
    const byId = new Map(loaded.rules.map((r) => [r.id, r]));
    for (const r of pack.rules) {
      const back = byId.get(r.id)!;
      expect(back.query).toBe(r.query);
      expect(back.name).toBe(r.name);
      expect(back.tactics).toEqual(['CommandAndControl']);
      expect(back.requiredDataConnectors).toEqual(r.requiredDataConnectors);
      expect(back.queryLocation.style).toBe('literal');
    }
  });
});
