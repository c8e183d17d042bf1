// The oracle wrapper's plumbing, checked on facts from the KQL docs (semantics.md sections cited).
import { describe, expect, it } from 'vitest';
import { oracleAnalyze, oracleCheck, oracleParse, oracleVersion } from './kusto-oracle.js';

describe('kusto oracle', () => {
  it('is the pinned Kusto.Language build', () => {
    expect(oracleVersion()).toBe('12.4.1');
  });

  it('accepts valid syntax and rejects broken syntax with KS diagnostics', () => {
    expect(oracleParse('DeviceProcessEvents | where FileName =~ "a.exe" | take 10').ok).toBe(true);
    const bad = oracleParse('DeviceProcessEvents | where FileName == (');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]?.code).toMatch(/^KS\d+$/);
    expect(bad.diagnostics[0]?.end).toBeGreaterThanOrEqual(bad.diagnostics[0]!.start);
    // Two queries with no ';' between them are one invalid query to the parser.
    expect(oracleParse('print 1\n\nprint 2').ok).toBe(false);
  });

  it('parses without a schema, binds against ours', () => {
    const q = 'DeviceProcessEvents | where ProcessCommandline has "x"';
    expect(oracleParse(q).ok).toBe(true);
    const a = oracleAnalyze(q);
    expect(a.syntaxOk).toBe(true);
    expect(a.ok).toBe(false);
    expect(oracleAnalyze('NoSuchTable | take 1').ok).toBe(false);
  });

  it('reports result columns with KQL types (semantics.md 4 default names, 6 print/count)', () => {
    expect(oracleAnalyze('print 1').resultColumns).toEqual([{ name: 'print_0', type: 'long' }]);
    expect(oracleAnalyze('DeviceProcessEvents | summarize count() by DeviceName').resultColumns).toEqual([
      { name: 'DeviceName', type: 'string' },
      { name: 'count_', type: 'long' },
    ]);
    expect(oracleAnalyze('DeviceProcessEvents | summarize make_set(FileName)').resultColumns).toEqual([
      { name: 'set_FileName', type: 'dynamic' },
    ]);
    expect(oracleAnalyze('DeviceProcessEvents | count').resultColumns).toEqual([
      { name: 'Count', type: 'long' },
    ]);
  });

  it('knows the TimeGenerated alias unless told not to, and marks it in results', () => {
    const q = 'DeviceProcessEvents | where TimeGenerated > ago(1d) | project TimeGenerated, DeviceName';
    const a = oracleAnalyze(q);
    expect(a.ok).toBe(true);
    expect(a.resultColumns).toEqual([
      { name: 'TimeGenerated', type: 'datetime', alias: true },
      { name: 'DeviceName', type: 'string' },
    ]);
    expect(oracleAnalyze(q, { aliases: false }).ok).toBe(false);
    const renamed = oracleAnalyze('DeviceProcessEvents | project T2 = TimeGenerated');
    expect(renamed.resultColumns).toEqual([{ name: 'T2', type: 'datetime' }]);
  });

  it('checks with aliases only when it can change the verdict', () => {
    const viaAlias = oracleCheck('DeviceProcessEvents | where TimeGenerated > ago(1d) | count');
    expect(viaAlias).toMatchObject({ okWithAliases: true, needsAliases: true, analysis: { ok: false } });
    const plain = oracleCheck('DeviceProcessEvents | take 1 | project DeviceName');
    expect(plain).toMatchObject({
      okWithAliases: true,
      needsAliases: false,
      analysis: { ok: true, resultColumns: [{ name: 'DeviceName', type: 'string' }] },
    });
    const broken = oracleCheck('DeviceProcessEvents | where NoSuchColumn > 1');
    expect(broken).toMatchObject({ okWithAliases: false, needsAliases: false });
    expect(broken.aliasDiagnostics[0]?.code).toBe('KS142');
  });
});
