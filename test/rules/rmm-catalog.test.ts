import { describe, expect, it } from 'vitest';
import { rmmCatalog, type RmmIndicatorKind, type RmmTool } from '../../src/rules/rmm-catalog.js';

const catalog = rmmCatalog();
const tool = (id: string): RmmTool => {
  const t = catalog.tool(id);
  if (!t) throw new Error(`no tool ${id}`);
  return t;
};
const indicator = (id: string, kind: RmmIndicatorKind, value: string) =>
  tool(id).indicators[kind].find((i) => i.value.toLowerCase() === value.toLowerCase());

describe('RMM indicator catalog: figures', () => {
  it('reflects the LOLRMM source as counted from its files', () => {
    const l = catalog.data.lolrmm;
    expect(l['files']).toBe(319);
    expect(l['distinctNames']).toBe(313);
    expect(l['withAnyIndicator']).toBeGreaterThanOrEqual(295); // "~300 with some indicator"
    expect(l['withCodeSigningSection']).toBe(143); // "signers for ~143"
    expect(l['withSigners']).toBe(137);
    expect(l['withDomainEntries']).toBe(231); // "domains for ~229" (with the user_managed placeholder)
    expect(l['withDomains']).toBe(214);
    expect(l['withFileNamesOrPaths']).toBeGreaterThanOrEqual(286);
  });

  it('merges both sources into one entry per tool', () => {
    expect(catalog.tools.length).toBeGreaterThan(280);
    const withBoth = catalog.tools.filter((t) => t.sourceFiles.lolrmm && t.sourceFiles.jischell);
    expect(withBoth.length).toBeGreaterThanOrEqual(70);
    // every jischell folder landed somewhere
    expect(catalog.tools.filter((t) => t.sourceFiles.jischell)).toHaveLength(76);
    expect(new Set(catalog.tools.map((t) => t.id)).size).toBe(catalog.tools.length);
  });
});

describe('RMM indicator catalog: tools', () => {
  it('resolves names, aliases and renamed tools across sources', () => {
    expect(catalog.tool('server-eye')!.id).toBe('servereye');
    expect(catalog.tool('NinjaRMM')!.id).toBe('ninjaone');
    expect(catalog.tool('ConnectWise Control')!.id).toBe('screenconnect');
    expect(catalog.tool('TechInline')!.id).toBe('fixme-it');
    expect(tool('ninjaone').sourceFiles.lolrmm).toEqual([
      'yaml/ninjarmm.yaml',
      'yaml/ninjaone_(formerly_ninjarmm).yaml',
    ]);
    expect(tool('ninjaone').sourceFiles.jischell).toContain('RMM/NinjaRMM/rmm_NinjaRMM_createproc.yaml');
  });

  it('says which source gave each ServerEye indicator', () => {
    const t = tool('servereye');
    expect(t.vendor).toBe('Krämer IT Solutions GmbH');
    expect(indicator('servereye', 'companyNames', 'Krämer IT Solutions GmbH')!.sources).toEqual([
      'jischell-query',
    ]);
    expect(indicator('servereye', 'signers', 'Krämer IT Solutions GmbH')!.sources).toEqual([
      'jischell-query',
      'jischell-summary',
    ]);
    expect(indicator('servereye', 'productNames', 'Server-Eye')!.sources).toEqual(['jischell-query']);
    const domain = indicator('servereye', 'domains', 'server-eye.de')!;
    expect(domain.sources).toEqual(['lolrmm', 'jischell-query', 'jischell-summary', 'jischell-network']);
    expect(domain.raw).toEqual(['*.server-eye.de']);
    expect(indicator('servereye', 'fileNames', 'servereye*.exe')!.sources).toEqual(['lolrmm']);
  });

  it('keeps AnyDesk indicators from both sources', () => {
    expect(indicator('anydesk', 'signers', 'AnyDesk Software GmbH')!.sources).toEqual(['lolrmm']);
    expect(indicator('anydesk', 'signers', 'philandro Software GmbH')!.sources).toEqual(['jischell-summary']);
    expect(indicator('anydesk', 'productNames', 'AnyDesk')!.sources).toEqual(['lolrmm', 'jischell-query']);
    expect(indicator('anydesk', 'originalFileNames', 'AnyDesk.exe')!.sources).toEqual(['lolrmm']);
    expect(indicator('anydesk', 'domains', 'api.playanext.com')!.sources).toContain('jischell-network');
    // a regex host is reduced to its literal suffix, the original kept
    expect(indicator('anydesk', 'domains', 'net.anydesk.com')!.raw).toEqual([
      'relay-[a-f0-9]{8}.net.anydesk.com:443',
    ]);
    expect(indicator('anydesk', 'installPaths', 'C:\\Program Files\\AnyDesk\\*')!.excluded).toBeUndefined();
  });

  it('reads indicators out of the jischell KQL (has, has_any, =~, startswith, verbatim strings)', () => {
    expect(indicator('pdq-connect', 'fileNames', 'pdq-connect-agent.exe')!.sources).toContain(
      'jischell-query',
    );
    expect(indicator('level', 'fileNames', 'level*')!.sources).toEqual(['jischell-query']);
    expect(indicator('level', 'installPaths', '\\Program Files (x86)\\Level\\')!.sources).toEqual([
      'jischell-query',
    ]);
    expect(indicator('dw-service', 'signers', 'DWSNET OÜ')!.sources).toContain('jischell-query');
    expect(indicator('screenconnect', 'domains', 'itsupport247.net')!.sources).toContain('jischell-query');
  });

  it('flags generic indicators with a reason instead of dropping them', () => {
    const reason = (id: string, kind: RmmIndicatorKind, v: string) =>
      indicator(id, kind, v)?.excluded?.reason;
    expect(reason('itarian', 'productNames', 'Remote')).toMatch(/generic word 'remote'/);
    expect(reason('itarian', 'productNames', 'RMM')).toMatch(/generic word 'rmm'/);
    expect(reason('monitic', 'fileNames', 'agent.exe')).toMatch(/generic file name/);
    expect(reason('glpi-agent', 'domains', 'github.com')).toMatch(/shared cloud\/CDN domain/);
    expect(reason('pdq-connect', 'domains', 'r2.cloudflarestorage.com')).toMatch(/shared cloud\/CDN domain/);
    expect(reason('rustdesk', 'domains', 'user_managed')).toMatch(/placeholder/);
    expect(reason('chrome-remote-desktop', 'signers', 'Google LLC')).toMatch(/multi-product platform vendor/);
    expect(reason('level', 'signers', 'win.rar GmbH')).toMatch(/bundled third-party component/);
    expect(reason('atera', 'signers', '.NET')).toMatch(/not a publisher/);
    expect(reason('simplehelp', 'domains', '51.255.19.178')).toMatch(/IP address/);
    expect(reason('crossloop', 'domains', 'crossloop.en.softonic.com')).toMatch(/download portal/);
    expect(reason('tiflux', 'fileNames', 'si.exe')).toMatch(/too short/);
    expect(reason('addigy', 'fileNames', 'launchd')).toMatch(/built-in/);
    // a specific subdomain of shared infrastructure stays usable
    expect(reason('chrome-remote-desktop', 'domains', 'remotedesktop-pa.googleapis.com')).toBeUndefined();
    // non-English publisher names are not "generic"
    expect(reason('aweray', 'companyNames', '上海貝銳信息科技股份有限公司')).toBeUndefined();
    const excluded = catalog.tools
      .flatMap((t) => Object.values(t.indicators).flat())
      .filter((i) => i.excluded);
    expect(excluded.length).toBeGreaterThan(100);
    for (const i of excluded) expect(i.excluded!.reason.length).toBeGreaterThan(5);
  });

  it('names other tools that claim the same value', () => {
    expect(indicator('aweray', 'signers', 'DUC FABULOUS CO.,LTD')!.sharedWith).toContain('ultraviewer');
  });

  it('matches a rule to the tools it hunts', () => {
    const ids = catalog
      .toolsForRule(
        'Remote Management and Monitoring tool - ServerEye - Create Process',
        "DeviceProcessEvents | where ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'",
      )
      .map((t) => t.id);
    expect(ids).toEqual(['servereye']);
    expect(
      catalog.toolsForRule('x', "DeviceNetworkEvents | where RemoteUrl has 'anydesk.com'").map((t) => t.id),
    ).toEqual(['anydesk']);
  });

  it('names the tools an observed value equals, and several for a shared indicator', () => {
    expect(catalog.toolsForValue('TeamViewer Germany GmbH').map((t) => t.id)).toEqual(['teamviewer']);
    expect(catalog.toolsForValue(' anydesk.com ').map((t) => t.id)).toEqual(['anydesk']);
    expect(
      catalog
        .toolsForValue('DUC FABULOUS CO.,LTD')
        .map((t) => t.id)
        .sort(),
    ).toEqual(['aweray', 'ultraviewer']);
    // A host below a tool's domain is not the tool itself (a browser download is no client).
    expect(catalog.toolsForValue('download.teamviewer.com')).toEqual([]);
  });
});
