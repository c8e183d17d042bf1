import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { count, ingest, jsonl, query, sandbox, streamRecord, zipArchive, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const proc = (over: Record<string, unknown> = {}) => ({
  Timestamp: '2024-05-01T10:00:00.1234567Z',
  DeviceId: 'dev-1',
  DeviceName: 'ws-01.corp.example.com',
  ActionType: 'ProcessCreated',
  FileName: 'AnyDesk.exe',
  ProcessId: 4242,
  ProcessCommandLine: '"AnyDesk.exe" --service',
  ProcessCreationTime: '2024-05-01T09:59:59.9999999Z',
  LogonId: 999,
  AdditionalFields: '{"ProcessStartKey":17}',
  InitiatingProcessFileName: 'services.exe',
  IsProcessRemoteSession: false,
  ...over,
});

describe('Defender streaming API', () => {
  test('Storage JSON lines: typed columns, tables from category, MachineGroup kept in AdditionalFields', async () => {
    const file = sb.file(
      'PT1H.json',
      jsonl([
        streamRecord('DeviceProcessEvents', proc()),
        streamRecord('DeviceNetworkEvents', {
          Timestamp: '2024-05-01T10:00:01Z',
          RemoteIP: '8.8.8.8',
          RemotePort: 443,
          Protocol: 'Tcp',
        }),
        streamRecord(
          'DeviceProcessEvents',
          proc({ FileName: 'cmd.exe', AdditionalFields: null, LogonId: null }),
        ),
      ]),
    );
    const s = await ingest(sb.db, [file]);
    expect(s.files[0]!.status).toBe('ingested');
    expect(s.files[0]!.members[0]!.format).toContain('defender');
    expect(s.files[0]!.rows).toEqual({ DeviceNetworkEvents: 1, DeviceProcessEvents: 2 });
    const rows = await query(
      sb.db,
      `SELECT CAST(Timestamp AS VARCHAR) AS ts, CAST(ProcessCreationTime AS VARCHAR) AS pct, ProcessId, LogonId, FileName,
              AdditionalFields, IsProcessRemoteSession, AccountName, _socfeed_ingestion_time IS NOT NULL AS has_ingest_time
       FROM DeviceProcessEvents ORDER BY FileName`,
    );
    expect(rows[0]).toEqual({
      ts: '2024-05-01 10:00:00.1234567',
      pct: '2024-05-01 09:59:59.9999999',
      ProcessId: '4242',
      LogonId: '999',
      FileName: 'AnyDesk.exe',
      AdditionalFields: '{"MachineGroup":"UnassignedGroup","ProcessStartKey":17}',
      IsProcessRemoteSession: false,
      AccountName: '',
      has_ingest_time: true,
    });
    expect(rows[1]).toMatchObject({
      FileName: 'cmd.exe',
      LogonId: null,
      AdditionalFields: '{"MachineGroup":"UnassignedGroup"}',
    });
    expect(await query(sb.db, 'SELECT RemoteIP, RemotePort FROM DeviceNetworkEvents')).toEqual([
      { RemoteIP: '8.8.8.8', RemotePort: 443 },
    ]);
  });

  test('Event Hubs messages: {"records":[...]} pretty-printed and one message per line', async () => {
    const message = (n: number) => ({
      records: [
        streamRecord('DeviceProcessEvents', proc({ ProcessId: n })),
        streamRecord('DeviceProcessEvents', proc({ ProcessId: n + 1 })),
      ],
    });
    const pretty = sb.file('eh-pretty.json', JSON.stringify(message(1), null, 2));
    const lines = sb.file(
      'eh-lines.json',
      `${JSON.stringify(message(10))}\n${JSON.stringify(message(20))}\n`,
    );
    const s = await ingest(sb.db, [pretty, lines]);
    expect(s.files.map((f) => f.members[0]!.format)).toEqual([
      'defender (streaming API, Event Hubs messages)',
      'defender (streaming API, Event Hubs messages)',
    ]);
    expect(await query(sb.db, 'SELECT ProcessId FROM DeviceProcessEvents ORDER BY 1')).toEqual(
      [1, 2, 10, 11, 20, 21].map((n) => ({ ProcessId: String(n) })),
    );
  });

  test('dynamic columns arrive as JSON text in strings and are stored as JSON', async () => {
    const file = sb.file(
      'cloud.json',
      jsonl([
        streamRecord('CloudAppEvents', {
          Timestamp: '2024-05-01T10:00:00Z',
          ActionType: 'MailItemsAccessed',
          ApplicationId: 20893,
          ActivityObjects: '[{"Type":"User","Name":"Gustavo"}]',
          RawEventData: '{"Operation":"MailItemsAccessed","RecordType":50}',
          AdditionalFields: '{"IsSatelliteProvider":false}',
          IsAdminOperation: 0,
        }),
      ]),
    );
    await ingest(sb.db, [file]);
    const [row] = await query(
      sb.db,
      `SELECT ActivityObjects->>'$[0].Name' AS name, RawEventData->>'$.RecordType' AS rt, json_type(ActivityObjects) AS t,
              AdditionalFields AS af, IsAdminOperation, ApplicationId FROM CloudAppEvents`,
    );
    expect(row).toEqual({
      name: 'Gustavo',
      rt: '50',
      t: 'ARRAY',
      af: '{"MachineGroup":"UnassignedGroup","IsSatelliteProvider":false}',
      IsAdminOperation: false,
      ApplicationId: 20893,
    });
  });
});

describe('plain records', () => {
  test('JSON lines and a JSON array for one table (--table)', async () => {
    const lines = sb.file('rows.jsonl', jsonl([proc({ ProcessId: 1 }), proc({ ProcessId: 2 })]));
    const array = sb.file(
      'rows.json',
      JSON.stringify([proc({ ProcessId: 3 }), proc({ ProcessId: 4 })], null, 1),
    );
    const s = await ingest(sb.db, [lines, array], { table: 'DeviceProcessEvents' });
    expect(s.files.map((f) => f.members[0]!.format)).toEqual([
      'jsonl (records, one per line)',
      'json (records in a document)',
    ]);
    expect(await count(sb.db, 'DeviceProcessEvents')).toBe(4);
    // Plain rows carry no MachineGroup: AdditionalFields is stored exactly as given.
    expect(await query(sb.db, 'SELECT DISTINCT AdditionalFields FROM DeviceProcessEvents')).toEqual([
      { AdditionalFields: '{"ProcessStartKey":17}' },
    ]);
  });

  test('Sentinel/Log Analytics rows: routed by Type, TimeGenerated, union-suffixed columns mapped back', async () => {
    const row = {
      TenantId: '11111111-2222-3333-4444-555555555555',
      SourceSystem: 'Microsoft 365 Defender',
      TimeGenerated: '2024-05-01T10:00:00.5Z',
      Type: 'DeviceProcessEvents',
      DeviceName: 'ws-02',
      FileName: 'TeamViewer.exe',
      ReportId_long: 113597,
      ReportId_string: '',
      AdditionalFields_dynamic: { Source: 'sentinel' },
      AdditionalFields_string: '',
      ProcessId: '',
    };
    const s = await ingest(sb.db, [
      sb.file('sentinel.json', jsonl([row, { ...row, Type: 'DeviceNetworkEvents', RemoteIP: '10.0.0.1' }])),
    ]);
    const f = s.files[0]!;
    expect(f.rows).toEqual({ DeviceNetworkEvents: 1, DeviceProcessEvents: 1 });
    expect(f.renamedColumns.map((r) => `${r.from}>${r.to}`)).toEqual(
      expect.arrayContaining(['ReportId_long>ReportId', 'AdditionalFields_dynamic>AdditionalFields']),
    );
    const [p] = await query(
      sb.db,
      'SELECT CAST(Timestamp AS VARCHAR) AS ts, ReportId, ProcessId, AdditionalFields FROM DeviceProcessEvents',
    );
    expect(p).toEqual({
      ts: '2024-05-01 10:00:00.5',
      ReportId: '113597',
      ProcessId: null,
      AdditionalFields:
        '{"TenantId":"11111111-2222-3333-4444-555555555555","SourceSystem":"Microsoft 365 Defender","Source":"sentinel"}',
    });
  });

  test('CSV with a header row: quoted delimiters and line breaks, empty cells, portal-style datetimes', async () => {
    const csv = [
      'Timestamp,DeviceName,FileName,ProcessCommandLine,ProcessId,IsProcessRemoteSession,AdditionalFields',
      '2024-05-01T10:00:00.1234567Z,ws-01,cmd.exe,"cmd /c ""echo a,b""",12,True,"{""k"":1}"',
      '5/1/2024 10:00:01 AM,ws-01,notepad.exe,"notepad.exe',
      'second line",,false,',
    ].join('\r\n');
    const s = await ingest(sb.db, [sb.file('export.csv', csv)], { table: 'DeviceProcessEvents' });
    expect(s.files[0]!.rows).toEqual({ DeviceProcessEvents: 2 });
    expect(
      await query(
        sb.db,
        'SELECT CAST(Timestamp AS VARCHAR) AS ts, ProcessCommandLine, ProcessId, IsProcessRemoteSession, AdditionalFields FROM DeviceProcessEvents ORDER BY 1',
      ),
    ).toEqual([
      {
        ts: '2024-05-01 10:00:00.1234567',
        ProcessCommandLine: 'cmd /c "echo a,b"',
        ProcessId: '12',
        IsProcessRemoteSession: true,
        AdditionalFields: '{"k":1}',
      },
      {
        ts: '2024-05-01 10:00:01',
        ProcessCommandLine: 'notepad.exe\r\nsecond line',
        ProcessId: null,
        IsProcessRemoteSession: false,
        AdditionalFields: '',
      },
    ]);
  });

  test('Parquet, read by DuckDB', async () => {
    const path = `${sb.dir}/rows.parquet`;
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    await c.run(
      `COPY (SELECT make_timestamp_ns(epoch_ns(TIMESTAMP_NS '2024-05-01 10:00:00.1234567') + i * 1000000000) AS Timestamp, 'ws-' || i AS DeviceName,
              i::BIGINT AS ProcessId, 'p' || i || '.exe' AS FileName FROM range(5) t(i)) TO '${path}' (FORMAT parquet)`,
    );
    c.closeSync();
    inst.closeSync();
    const s = await ingest(sb.db, [path], { table: 'DeviceProcessEvents' });
    expect(s.files[0]!.members[0]!.format).toBe('parquet');
    expect(
      await query(
        sb.db,
        'SELECT CAST(min(Timestamp) AS VARCHAR) AS t, sum(ProcessId) AS s, count(*) AS n FROM DeviceProcessEvents',
      ),
    ).toEqual([{ t: '2024-05-01 10:00:00.1234567', s: '10', n: '5' }]);
  });

  test('gzip and zip (deflated and stored members; unreadable members are reported, not fatal)', async () => {
    const gz = sb.file(
      'a.jsonl.gz',
      gzipSync(jsonl([streamRecord('DeviceProcessEvents', proc({ ProcessId: 1 }))])),
    );
    const zip = sb.file(
      'b.zip',
      zipArchive([
        {
          name: 'events/b.jsonl',
          data: Buffer.from(jsonl([streamRecord('DeviceProcessEvents', proc({ ProcessId: 2 }))])),
          deflate: true,
        },
        { name: 'c.csv', data: Buffer.from('Timestamp,DeviceName,ProcessId\n2024-05-01 10:00:00,ws-9,3\n') },
        { name: 'README.txt', data: Buffer.from('hello world') },
      ]),
    );
    const s = await ingest(sb.db, [gz, zip], { table: 'DeviceProcessEvents' });
    expect(s.files.map((f) => f.status)).toEqual(['ingested', 'ingested']);
    expect(
      s.files[1]!.members.map((m) => [m.name.replace(/.*!/, ''), m.skipped ? 'skipped' : m.format]),
    ).toEqual([
      ['events/b.jsonl', 'defender (streaming API, storage JSON lines)'],
      ['c.csv', 'csv'],
      ['README.txt', 'skipped'],
    ]);
    expect(await query(sb.db, 'SELECT ProcessId FROM DeviceProcessEvents ORDER BY 1')).toEqual(
      [1, 2, 3].map((n) => ({ ProcessId: String(n) })),
    );
  });

  test('directories are read recursively and globs are expanded', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${sb.dir}/in/deep`, { recursive: true });
    sb.file('in/one.json', jsonl([streamRecord('DeviceProcessEvents', proc({ ProcessId: 1 }))]));
    sb.file('in/deep/two.json', jsonl([streamRecord('DeviceProcessEvents', proc({ ProcessId: 2 }))]));
    sb.file('in/deep/notes.md', '# not telemetry');
    const s = await ingest(sb.db, [`${sb.dir}/in`]);
    expect(s.files.map((f) => f.path.replace(sb.dir, ''))).toEqual(['/in/deep/two.json', '/in/one.json']);
    const g = sandbox();
    try {
      const s2 = await ingest(g.db, [`${sb.dir}/in/**/*.json`]);
      expect(s2.files.length).toBe(2);
      const s3 = await ingest(g.db, [`${sb.dir}/in/*.json`]);
      expect(s3.files.map((f) => f.status)).toEqual(['unchanged']);
    } finally {
      g.cleanup();
    }
  });
});

describe('value coercion', () => {
  test('datetimes of the common shapes; .NET MinValue means no value', async () => {
    const shapes = [
      ['2024-05-01T10:00:00Z', '2024-05-01 10:00:00'],
      ['2024-05-01T10:00:00.1234567Z', '2024-05-01 10:00:00.1234567'],
      ['2024-05-01T12:00:00.5+02:00', '2024-05-01 10:00:00.5'],
      ['2024-05-01 10:00:00.123', '2024-05-01 10:00:00.123'],
      ['5/1/2024 10:00:00 AM', '2024-05-01 10:00:00'],
      ['May 1, 2024 10:00:00 PM', '2024-05-01 22:00:00'],
      [1714557600, '2024-05-01 10:00:00'],
      [1714557600123, '2024-05-01 10:00:00.123'],
    ] as const;
    const records = shapes.map(([ts], i) =>
      streamRecord(
        'DeviceProcessEvents',
        proc({ Timestamp: ts, ProcessId: i, ProcessCreationTime: '0001-01-01T00:00:00Z' }),
      ),
    );
    const s = await ingest(sb.db, [sb.file('ts.json', jsonl(records))]);
    expect(s.files[0]!.rejects).toBe(0);
    const rows = await query(
      sb.db,
      'SELECT ProcessId, CAST(Timestamp AS VARCHAR) AS ts, ProcessCreationTime FROM DeviceProcessEvents ORDER BY ProcessId',
    );
    expect(rows.map((r) => r['ts'])).toEqual(shapes.map(([, want]) => want));
    expect(rows.every((r) => r['ProcessCreationTime'] === null)).toBe(true);
  });

  test('longs, ints, bools and guids from text, numbers and hex', async () => {
    const s = await ingest(
      sb.db,
      [
        sb.file(
          'agents.jsonl',
          jsonl([
            {
              Timestamp: '2024-05-01T10:00:00Z',
              AIAgentId: '{39E4A257-F1B3-5F8B-A700-000000000700}',
              IsBlocked: 'true',
              AIAgentName: 'a',
            },
            {
              Timestamp: '2024-05-01T10:00:00Z',
              AIAgentId: '39e4a257f1b35f8ba700000000000701',
              IsBlocked: 0,
              AIAgentName: 'b',
            },
          ]),
        ),
      ],
      { table: 'AIAgentsInfo' },
    );
    const p = await ingest(
      sb.db,
      [sb.file('p.jsonl', jsonl([proc({ ProcessId: '0x10', LogonId: '  42 ', IsProcessRemoteSession: 1 })]))],
      {
        table: 'DeviceProcessEvents',
      },
    );
    expect(s.totals.rejects + p.totals.rejects).toBe(0);
    expect(
      await query(sb.db, 'SELECT ProcessId, LogonId, IsProcessRemoteSession FROM DeviceProcessEvents'),
    ).toEqual([{ ProcessId: '16', LogonId: '42', IsProcessRemoteSession: true }]);
    expect(
      await query(
        sb.db,
        'SELECT CAST(AIAgentId AS VARCHAR) AS id, IsBlocked FROM AIAgentsInfo ORDER BY AIAgentName',
      ),
    ).toEqual([
      { id: '39e4a257-f1b3-5f8b-a700-000000000700', IsBlocked: true },
      { id: '39e4a257-f1b3-5f8b-a700-000000000701', IsBlocked: false },
    ]);
  });
});
