import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { IngestSummary } from '../../src/store/ingest/index.js';
import { count, ingest, query, sandbox, TELEMETRY, type Sandbox } from './helpers.js';

/*
 * The real data in shared/telemetry (OTRF Security-Datasets Sysmon sets, the GoldenSAML Defender
 * export, Elastic's streaming-API records), ingested as a whole; expectations are computed here
 * from the source files with an independent reader (JSON.parse, a few lines of ZIP parsing).
 */

const OTRF = join(TELEMETRY, 'otrf-security-datasets');
const SYSMON_DIR = join(OTRF, 'sysmon');
const TABLE_OF_EID: Record<number, string> = {
  1: 'DeviceProcessEvents',
  3: 'DeviceNetworkEvents',
  7: 'DeviceImageLoadEvents',
  11: 'DeviceFileEvents',
  23: 'DeviceFileEvents',
  12: 'DeviceRegistryEvents',
  13: 'DeviceRegistryEvents',
  14: 'DeviceRegistryEvents',
  22: 'DeviceEvents',
};

type Event = Record<string, unknown>;

/** Members of a ZIP via its central directory (test-side reader, deflate only). */
function unzip(path: string): Map<string, Buffer> {
  const buf = readFileSync(path);
  let eocd = buf.length - 22;
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < entries; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const local = buf.readUInt32LE(p + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : data);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

function events(text: string): Event[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Event);
}

/** Every OTRF Sysmon dataset once (the .json files are extracted copies of zip members). */
function sysmonDatasets(): Map<string, Event[]> {
  const sets = new Map<string, Event[]>();
  for (const f of readdirSync(SYSMON_DIR)) {
    if (f.endsWith('.zip'))
      for (const [name, data] of unzip(join(SYSMON_DIR, f))) sets.set(name, events(data.toString('utf8')));
  }
  return sets;
}

const isSysmon = (e: Event) =>
  e['SourceName'] === 'Microsoft-Windows-Sysmon' ||
  String(e['Channel']).startsWith('Microsoft-Windows-Sysmon');
const base = (p: string) => p.split('\\').pop()!;
const dash = (v: unknown) => (v === '-' ? '' : String(v));

let sb: Sandbox;
let summary: IngestSummary;
let datasets: Map<string, Event[]>;

beforeAll(async () => {
  sb = sandbox();
  datasets = sysmonDatasets();
  summary = await ingest(sb.db, [TELEMETRY]);
}, 300_000);
afterAll(() => sb.cleanup());

describe('shared/telemetry, all of it', () => {
  test('every file is read, nothing rejected, nothing failed', () => {
    expect(summary.files.length).toBeGreaterThanOrEqual(13);
    for (const f of summary.files) {
      expect(f.status, `${f.path}: ${f.error ?? ''}`).toBe('ingested');
      expect(f.rejects, f.path).toBe(0);
    }
    expect(summary.totals.rejects).toBe(0);
  });

  test('Sysmon: rows per table equal the mapped events of each dataset, counted once (plain and zipped copies)', async () => {
    const expected = new Map<string, number>();
    for (const evs of datasets.values()) {
      for (const e of evs) {
        const t = isSysmon(e) ? TABLE_OF_EID[Number(e['EventID'])] : undefined;
        if (t) expected.set(t, (expected.get(t) ?? 0) + 1);
      }
    }
    // GoldenSAML adds DeviceEvents rows (LdapSearch) on top of Sysmon's DNS events.
    expected.set('DeviceEvents', (expected.get('DeviceEvents') ?? 0) + 5);
    const actual = new Map<string, number>();
    for (const t of new Set(Object.values(TABLE_OF_EID))) actual.set(t, await count(sb.db, t));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  test('Sysmon: unmapped events are skipped and counted by EID, per file', () => {
    const schtask = summary.files.find((f) => f.path.endsWith('schtask_create_2020-12-1907003032.json'))!;
    const evs = datasets.get('schtask_create_2020-12-1907003032.json')!;
    const eid10 = evs.filter((e) => isSysmon(e) && e['EventID'] === 10).length;
    expect(schtask.skipped['Sysmon EID 10']).toBe(eid10);
    const security4688 = evs.filter((e) => e['Channel'] === 'Security' && e['EventID'] === 4688).length;
    expect(schtask.skipped['Security EID 4688']).toBe(security4688);
    const skippedTotal = Object.values(schtask.skipped).reduce((a, b) => a + b, 0);
    const mapped = evs.filter((e) => isSysmon(e) && TABLE_OF_EID[Number(e['EventID'])]).length;
    expect(skippedTotal + mapped).toBe(evs.length);
  });

  test('Sysmon EID 1 → DeviceProcessEvents: PsExec, fields where hunts look for them', async () => {
    const evs = datasets.get('cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json')!;
    const psexec = evs.find(
      (e) => isSysmon(e) && e['EventID'] === 1 && String(e['Image']).endsWith('PsExec.exe'),
    )!;
    expect(psexec).toBeDefined();
    const hashes = Object.fromEntries(
      String(psexec['Hashes'])
        .split(',')
        .map((kv) => kv.split('=') as [string, string]),
    );
    const [row] = await query(
      sb.db,
      `SELECT CAST(Timestamp AS VARCHAR) AS ts, DeviceName, ActionType, FileName, FolderPath, ProcessCommandLine, ProcessId,
              ProcessVersionInfoCompanyName, ProcessVersionInfoProductName, ProcessVersionInfoFileDescription,
              ProcessVersionInfoOriginalFileName, ProcessVersionInfoProductVersion, SHA1, MD5, SHA256, ProcessIntegrityLevel,
              AccountDomain, AccountName, LogonId, CreatedProcessSessionId, InitiatingProcessFileName, InitiatingProcessFolderPath,
              InitiatingProcessCommandLine, InitiatingProcessId, AdditionalFields->>'$.ProcessGuid' AS guid
       FROM DeviceProcessEvents WHERE FileName = 'PsExec.exe'`,
    );
    const [domain, user] = String(psexec['User']).split('\\');
    expect(row).toEqual({
      ts: String(psexec['UtcTime']),
      DeviceName: String(psexec['Hostname']).toLowerCase(),
      ActionType: 'ProcessCreated',
      FileName: base(String(psexec['Image'])),
      FolderPath: psexec['Image'],
      ProcessCommandLine: psexec['CommandLine'],
      ProcessId: String(psexec['ProcessId']),
      ProcessVersionInfoCompanyName: psexec['Company'],
      ProcessVersionInfoProductName: psexec['Product'],
      ProcessVersionInfoFileDescription: psexec['Description'],
      ProcessVersionInfoOriginalFileName: psexec['OriginalFileName'],
      ProcessVersionInfoProductVersion: psexec['FileVersion'],
      SHA1: hashes['SHA1']!.toLowerCase(),
      MD5: hashes['MD5']!.toLowerCase(),
      SHA256: hashes['SHA256']!.toLowerCase(),
      ProcessIntegrityLevel: psexec['IntegrityLevel'],
      AccountDomain: domain,
      AccountName: user,
      LogonId: String(parseInt(String(psexec['LogonId']), 16)),
      CreatedProcessSessionId: String(psexec['TerminalSessionId']),
      InitiatingProcessFileName: base(String(psexec['ParentImage'])),
      InitiatingProcessFolderPath: psexec['ParentImage'],
      InitiatingProcessCommandLine: psexec['ParentCommandLine'],
      InitiatingProcessId: String(psexec['ParentProcessId']),
      guid: psexec['ProcessGuid'],
    });
    // PSEXESVC's parent is services.exe; Company "Sysinternals" lands in the version-info column.
    const [svc] = await query(
      sb.db,
      `SELECT ProcessVersionInfoCompanyName AS c, InitiatingProcessFileName AS p FROM DeviceProcessEvents WHERE FileName = 'PSEXESVC.exe'`,
    );
    expect(svc).toEqual({ c: 'Sysinternals', p: 'services.exe' });
  });

  test('Sysmon EID 3, 7, 11, 13, 22 land in their tables and columns', async () => {
    const evs = datasets.get('cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json')!;
    const sys = (id: number) => evs.filter((e) => isSysmon(e) && e['EventID'] === id);
    const net = sys(3).find((e) => e['Initiated'] === 'true')!;
    expect(
      await query(
        sb.db,
        `SELECT ActionType, LocalIP, LocalPort, RemoteIP, RemotePort, Protocol, InitiatingProcessFileName FROM DeviceNetworkEvents
         WHERE CAST(Timestamp AS VARCHAR) = ? AND LocalPort = ?`,
        [String(net['UtcTime']), Number(net['SourcePort'])],
      ),
    ).toEqual([
      {
        ActionType: 'ConnectionSuccess',
        LocalIP: net['SourceIp'],
        LocalPort: Number(net['SourcePort']),
        RemoteIP: net['DestinationIp'],
        RemotePort: Number(net['DestinationPort']),
        Protocol: 'Tcp',
        InitiatingProcessFileName: base(String(net['Image'])),
      },
    ]);
    const load = sys(7)[0]!;
    const [img] = await query(
      sb.db,
      `SELECT FileName, FolderPath, InitiatingProcessFileName FROM DeviceImageLoadEvents WHERE CAST(Timestamp AS VARCHAR) = ? AND FolderPath = ?`,
      [String(load['UtcTime']), String(load['ImageLoaded'])],
    );
    expect(img).toEqual({
      FileName: base(String(load['ImageLoaded'])),
      FolderPath: load['ImageLoaded'],
      InitiatingProcessFileName: base(String(load['Image'])),
    });
    const created = sys(11)[0]!;
    expect(
      await query(
        sb.db,
        `SELECT ActionType, FileName FROM DeviceFileEvents WHERE FolderPath = ? AND CAST(Timestamp AS VARCHAR) = ?`,
        [String(created['TargetFilename']), String(created['UtcTime'])],
      ),
    ).toEqual([{ ActionType: 'FileCreated', FileName: base(String(created['TargetFilename'])) }]);
    const setValue = sys(13).find((e) => String(e['Details']).startsWith('DWORD'))!;
    const target = String(setValue['TargetObject'])
      .replace(/^HKLM\\/, 'HKEY_LOCAL_MACHINE\\')
      .replace(/^HKU\\/, 'HKEY_USERS\\');
    const cut = target.lastIndexOf('\\');
    expect(
      await query(
        sb.db,
        `SELECT DISTINCT ActionType, RegistryValueType, RegistryValueData FROM DeviceRegistryEvents
         WHERE RegistryKey = ? AND RegistryValueName = ? AND CAST(Timestamp AS VARCHAR) = ?`,
        [target.slice(0, cut), target.slice(cut + 1), String(setValue['UtcTime'])],
      ),
    ).toEqual([
      {
        ActionType: 'RegistryValueSet',
        RegistryValueType: 'Dword',
        RegistryValueData: String(parseInt(/0x[0-9a-f]+/i.exec(String(setValue['Details']))![0], 16)),
      },
    ]);
    const dns = sys(22)[0]!;
    expect(
      await query(
        sb.db,
        `SELECT ActionType, AdditionalFields->>'$.DnsQueryString' AS q FROM DeviceEvents WHERE RemoteUrl = ? AND CAST(Timestamp AS VARCHAR) = ?`,
        [dash(dns['QueryName']), String(dns['UtcTime'])],
      ),
    ).toEqual([{ ActionType: 'DnsQueryResponse', q: dns['QueryName'] }]);
  });

  test('Defender streaming-API records (Elastic fixture): every property where it belongs', async () => {
    const [logon, cert] = readFileSync(
      join(TELEMETRY, 'elastic-m365-defender-fixture/streaming-api-records.sample.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { properties: Record<string, unknown> })
      .sort((a) => (String((a as unknown as Event)['category']).endsWith('LogonEvents') ? -1 : 1));
    const lp = logon!.properties;
    const [l] = await query(
      sb.db,
      `SELECT CAST(Timestamp AS VARCHAR) AS ts, ActionType, AccountName, AccountDomain, LogonType, Protocol, FailureReason, RemoteIP,
              RemoteIPType, RemotePort, ReportId, InitiatingProcessId, AdditionalFields FROM DeviceLogonEvents WHERE DeviceName = ?`,
      [String(lp['DeviceName'])],
    );
    expect(l).toEqual({
      ts: String(lp['Timestamp']).replace('T', ' ').replace('Z', ''),
      ActionType: lp['ActionType'],
      AccountName: lp['AccountName'],
      AccountDomain: '',
      LogonType: lp['LogonType'],
      Protocol: lp['Protocol'],
      FailureReason: lp['FailureReason'],
      RemoteIP: lp['RemoteIP'],
      RemoteIPType: lp['RemoteIPType'],
      RemotePort: lp['RemotePort'],
      ReportId: String(lp['ReportId']),
      InitiatingProcessId: String(lp['InitiatingProcessId']),
      AdditionalFields: `{"MachineGroup":"${lp['MachineGroup']}",${String(lp['AdditionalFields']).slice(1)}`,
    });
    const cp = cert!.properties;
    const [c] = await query(
      sb.db,
      `SELECT Signer, Issuer, IsSigned, IsTrusted, IsRootSignerMicrosoft, CertificateSerialNumber, CrlDistributionPointUrls,
              CAST(CertificateExpirationTime AS VARCHAR) AS exp FROM DeviceFileCertificateInfo WHERE SHA1 = ?`,
      [String(cp['SHA1'])],
    );
    expect(c).toEqual({
      Signer: cp['Signer'],
      Issuer: cp['Issuer'],
      IsSigned: true,
      IsTrusted: true,
      IsRootSignerMicrosoft: true,
      CertificateSerialNumber: cp['CertificateSerialNumber'],
      CrlDistributionPointUrls: cp['CrlDistributionPointUrls'],
      exp: '2022-09-01 18:23:41',
    });
    const f = summary.files.find((x) => x.path.endsWith('streaming-api-records.sample.jsonl'))!;
    expect(f.extraColumns).toEqual([
      { table: 'DeviceFileCertificateInfo', column: 'MachineGroup', rows: 1, kept: 'dropped' },
      { table: 'DeviceLogonEvents', column: 'MachineGroup', rows: 1, kept: 'AdditionalFields' },
    ]);
  });

  test('GoldenSAML (Log Analytics union export, no Type): tables inferred, suffixed columns mapped back', async () => {
    const rows = events(readFileSync(join(OTRF, 'm365d-goldensaml/Microsoft365DefenderEvents.json'), 'utf8'));
    const f = summary.files.find((x) => x.path.endsWith('Microsoft365DefenderEvents.json'))!;
    expect(f.inferredTables).toEqual({ DeviceEvents: 5, IdentityDirectoryEvents: 2, CloudAppEvents: 2 });
    const ldap = rows[0]!;
    const [d] = await query(
      sb.db,
      `SELECT ReportId, InitiatingProcessFileName, InitiatingProcessLogonId, AdditionalFields->>'$.SearchFilter' AS filter
       FROM DeviceEvents WHERE ActionType = 'LdapSearch' AND ReportId = ?`,
      [Number(ldap['ReportId_long'])],
    );
    expect(d).toEqual({
      ReportId: String(ldap['ReportId_long']),
      InitiatingProcessFileName: ldap['InitiatingProcessFileName'],
      InitiatingProcessLogonId: String(ldap['InitiatingProcessLogonId']),
      filter: JSON.parse(String(ldap['AdditionalFields_string']))['SearchFilter'],
    });
    const repl = rows.find((r) => r['ActionType'] === 'Directory Services replication')!;
    expect(
      await query(
        sb.db,
        `SELECT DISTINCT Protocol, DestinationPort, AdditionalFields->>'$."ARG.TASK"' AS task FROM IdentityDirectoryEvents`,
      ),
    ).toEqual([
      {
        Protocol: repl['Protocol'],
        DestinationPort: repl['DestinationPort'],
        task: 'Directory Services replication',
      },
    ]);
    const mail = rows.find((r) => r['ActionType'] === 'MailItemsAccessed')!;
    expect(
      await query(
        sb.db,
        `SELECT ApplicationId, Isp, UserAgent FROM CloudAppEvents WHERE ActionType = 'MailItemsAccessed'`,
      ),
    ).toEqual([
      { ApplicationId: mail['ApplicationId'], Isp: mail['ISP'], UserAgent: mail['UserAgent_string'] },
    ]);
  });
});
