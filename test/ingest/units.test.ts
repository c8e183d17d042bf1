import { describe, expect, test } from 'vitest';
import { globBase, globToRegExp } from '../../src/store/ingest/inputs/glob.js';
import { JsonRecordScanner } from '../../src/store/ingest/formats/json-scanner.js';
import { CsvParser } from '../../src/store/ingest/formats/csv.js';
import {
  expandHive,
  hexToDecimal,
  registryDetails,
  splitHashes,
  splitUser,
} from '../../src/store/ingest/sysmon/fields.js';
import { ipType } from '../../src/store/ingest/sysmon/ip-type.js';
import { SysmonMapper } from '../../src/store/ingest/sysmon/map.js';
import { ProcessIndex } from '../../src/store/ingest/sysmon/process-index.js';
import { normalizeWindowsEvent } from '../../src/store/ingest/sysmon/windows-event.js';
import { KeyClassifier } from '../../src/store/ingest/key-classes.js';
import { TableInference } from '../../src/store/ingest/infer-table.js';
import { defenderSchema } from '../../src/schema/index.js';

describe('glob', () => {
  test.each([
    ['logs/*.json', 'logs/a.json', true],
    ['logs/*.json', 'logs/sub/a.json', false],
    ['logs/**/*.json', 'logs/a.json', true],
    ['logs/**/*.json', 'logs/x/y/a.json', true],
    ['logs/*.{json,csv}', 'logs/a.csv', true],
    ['logs/[ab].json', 'logs/c.json', false],
    ['logs/?.json', 'logs/a.json', true],
    ['*.json', '.hidden.json', false],
  ])('%s ~ %s → %s', (pattern, path, want) => {
    expect(globToRegExp(pattern).test(path)).toBe(want);
  });
  test('the walk starts at the static prefix', () => {
    expect(globBase('logs/2024/*/x.json')).toBe('logs/2024');
    expect(globBase('*.json')).toBe('.');
    expect(globBase('/data/**/*.gz')).toBe('/data');
  });
});

function scan(chunks: string[]): { records: [string, number][]; errors: string[]; wrapper: boolean } {
  const records: [string, number][] = [];
  const errors: string[] = [];
  const s = new JsonRecordScanner(
    (r) => records.push([r.bytes.toString(), r.line]),
    (m, line) => errors.push(`${line}: ${m}`),
  );
  for (const c of chunks) s.feed(Buffer.from(c));
  s.end();
  return { records, errors, wrapper: s.sawWrapper };
}

describe('JSON record scanner', () => {
  test('array elements, with their line, across chunk boundaries and strings with brackets', () => {
    const r = scan(['[\n {"a":"x]}"}', ',\n {"b":[1,{"c":2}]}, 3,', ' "s\\"}", null\n]']);
    expect(r.records).toEqual([
      ['{"a":"x]}"}', 2],
      ['{"b":[1,{"c":2}]}', 3],
      ['3', 3],
      ['"s\\"}"', 3],
      ['null', 3],
    ]);
  });
  test('Event Hubs messages: only the records, whatever other keys come first', () => {
    const r = scan([
      '{"other":{"records":[9]},"records":[{"x":1},{"x":2}],"tail":[3]}\n{"records":[{"x":3}]}',
    ]);
    expect(r.records.map(([t]) => t)).toEqual(['{"x":1}', '{"x":2}', '{"x":3}']);
    expect(r.wrapper).toBe(true);
  });
  test('a top-level object is a record; a truncated document is reported', () => {
    expect(scan(['{"a":1}\n{"b":2}']).records.map(([t]) => t)).toEqual(['{"a":1}', '{"b":2}']);
    expect(scan(['[{"a":1},{"b":']).errors).toEqual([
      '1: unbalanced JSON: the document ends inside this record (truncated file?)',
    ]);
  });
});

describe('CSV', () => {
  test('quotes, doubled quotes, CRLF, line breaks in fields, BOM, delimiter sniffing', () => {
    const rows: string[][] = [];
    const lines: number[] = [];
    const p = new CsvParser(undefined, (r) => {
      rows.push(r.fields);
      lines.push(r.line);
    });
    for (const c of ['\uFEFFa;b;c\r\n1;"x;""y"";', 'z";3\r\n\r\n4;"multi\nline";6\n7;8;9'])
      p.feed(Buffer.from(c));
    p.end();
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x;"y";z', '3'],
      ['4', 'multi\nline', '6'],
      ['7', '8', '9'],
    ]);
    expect(lines).toEqual([1, 2, 4, 6]);
  });
});

describe('Sysmon field conversions', () => {
  test('hashes, users, hex logon ids, hives, registry details, IP types', () => {
    expect(splitHashes('SHA1=AB,MD5=CD,SHA256=EF,IMPHASH=01')).toEqual({
      SHA1: 'ab',
      MD5: 'cd',
      SHA256: 'ef',
      IMPHASH: '01',
    });
    expect(splitUser('NT AUTHORITY\\SYSTEM')).toEqual(['NT AUTHORITY', 'SYSTEM']);
    expect(hexToDecimal('0x3e7')).toBe('999');
    expect(hexToDecimal('0xffffffffffffffff')).toBe('18446744073709551615');
    expect(expandHive('HKLM\\System\\x')).toBe('HKEY_LOCAL_MACHINE\\System\\x');
    expect(expandHive('HKU\\S-1-5-18')).toBe('HKEY_USERS\\S-1-5-18');
    expect(registryDetails('DWORD (0x0000010b)')).toEqual({ type: 'Dword', data: '267' });
    expect(registryDetails('QWORD (0x00000001-0x00000002)')).toEqual({
      type: 'Qword',
      data: String(2 ** 32 + 2),
    });
    expect(registryDetails('C:\\x.exe')).toEqual({ type: 'String', data: 'C:\\x.exe' });
    expect(
      [
        '10.1.2.3',
        '8.8.8.8',
        '127.0.0.1',
        '169.254.1.1',
        'fe80:0:0:0:1',
        '::1',
        '2a00::1',
        '::ffff:1.2.3.4',
      ].map(ipType),
    ).toEqual([
      'Private',
      'Public',
      'Loopback',
      'Reserved',
      'Reserved',
      'Loopback',
      'Public',
      'FourToSixMapping',
    ]);
  });

  test('events: rename (EID 14), delete (EID 23), NXLog EID 12 without EventType, Winlogbeat shape, parent facts', () => {
    const index = new ProcessIndex();
    const parent = normalizeWindowsEvent({
      SourceName: 'Microsoft-Windows-Sysmon',
      EventID: 1,
      Hostname: 'H',
      ProcessGuid: '{AAAA0000-0000-0000-0000-000000000001}',
      Image: 'C:\\Tools\\AnyDesk.exe',
      Company: 'philandro Software GmbH',
      Hashes: 'SHA256=FF',
      UtcTime: '2024-01-01 00:00:00.000',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentProcessId: '10',
      User: 'CORP\\ann',
      LogonId: '0x10',
    });
    index.addCreation(parent);
    const mapper = new SysmonMapper(defenderSchema(), index);
    const rename = mapper.map(
      normalizeWindowsEvent({
        SourceName: 'Microsoft-Windows-Sysmon',
        EventID: 14,
        EventType: 'RenameKey',
        TargetObject: 'HKLM\\A\\Old',
        NewName: 'HKLM\\A\\New',
        UtcTime: 't',
      }),
    );
    expect(rename).toMatchObject({
      table: 'DeviceRegistryEvents',
      row: {
        ActionType: 'RegistryKeyRenamed',
        PreviousRegistryKey: 'HKEY_LOCAL_MACHINE\\A\\Old',
        RegistryKey: 'HKEY_LOCAL_MACHINE\\A\\New',
      },
    });
    const nxlog = mapper.map(
      normalizeWindowsEvent({
        SourceName: 'Microsoft-Windows-Sysmon',
        EventID: 12,
        EventType: 'INFO',
        TargetObject: 'HKLM\\K',
        UtcTime: 't',
      }),
    );
    expect(nxlog).toMatchObject({ row: { ActionType: '', RegistryKey: 'HKEY_LOCAL_MACHINE\\K' } });
    const deleted = mapper.map(
      normalizeWindowsEvent({
        winlog: {
          event_id: 23,
          provider_name: 'Microsoft-Windows-Sysmon',
          computer_name: 'WS1.corp',
          event_data: {
            TargetFilename: 'C:\\t\\a.ps1',
            Hashes: 'MD5=AA',
            ProcessGuid: '{aaaa0000-0000-0000-0000-000000000001}',
            Image: 'C:\\Tools\\AnyDesk.exe',
            UtcTime: 't',
          },
        },
      }),
    );
    expect(deleted).toMatchObject({
      table: 'DeviceFileEvents',
      row: {
        ActionType: 'FileDeleted',
        DeviceName: 'ws1.corp',
        FileName: 'a.ps1',
        MD5: 'aa',
        InitiatingProcessFileName: 'AnyDesk.exe',
        InitiatingProcessVersionInfoCompanyName: 'philandro Software GmbH',
        InitiatingProcessSHA256: 'ff',
        InitiatingProcessParentFileName: 'explorer.exe',
        InitiatingProcessAccountName: 'ann',
      },
    });
    expect(mapper.map(normalizeWindowsEvent({ Channel: 'Security', EventID: 4624 }))).toEqual({
      skip: 'Security EID 4624',
    });
    expect(
      mapper.map(normalizeWindowsEvent({ SourceName: 'Microsoft-Windows-Sysmon', EventID: 10 })),
    ).toEqual({ skip: 'Sysmon EID 10' });
  });
});

describe('keys and tables', () => {
  const schema = defenderSchema();
  test('other spellings of a column, routing keys, extras', () => {
    const c = new KeyClassifier(schema.table('CloudAppEvents')!, 'flat');
    expect(
      ['Isp', 'ISP', 'ReportId_string', 'Type', 'TimeGenerated', 'MachineGroup'].map((k) => c.classify(k)),
    ).toEqual([
      { kind: 'column' },
      { kind: 'variant', column: 'Isp' },
      { kind: 'variant', column: 'ReportId' },
      { kind: 'consumed' },
      { kind: 'consumed' },
      { kind: 'extra' },
    ]);
  });
  test('table inference by column names; ambiguity is not guessed', () => {
    const t = new TableInference(schema);
    // Only DeviceEvents has all of RegistryKey, FileOriginUrl and RemoteUrl.
    expect(
      t.infer({
        Timestamp: 'x',
        ActionType: 'x',
        RegistryKey: 'k',
        FileOriginUrl: 'u',
        RemoteUrl: 'r',
        Application: '',
      }),
    ).toBe('DeviceEvents');
    expect(t.infer({ Timestamp: 'x' })).toBeUndefined();
    expect(t.infer({ Foo: 1, Bar: 2 })).toBeUndefined();
  });
});
