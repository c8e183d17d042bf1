import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { count, ingest, jsonl, query, sandbox, streamRecord, zipArchive, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const rec = (n: number, extra: Record<string, unknown> = {}) =>
  streamRecord('DeviceProcessEvents', {
    Timestamp: '2024-05-01T10:00:00Z',
    DeviceName: 'ws-01',
    ProcessId: n,
    ...extra,
  });

describe('nothing doubled', () => {
  test('re-ingesting an unchanged file is a no-op; a changed file is new', async () => {
    const file = sb.file('a.json', jsonl([rec(1), rec(2)]));
    const first = await ingest(sb.db, [file]);
    const second = await ingest(sb.db, [file]);
    expect(first.files[0]!.status).toBe('ingested');
    expect(second.files[0]!.status).toBe('unchanged');
    expect(second.totals.rows).toBe(0);
    expect(await count(sb.db, 'DeviceProcessEvents')).toBe(2);
    const [files] = await query(
      sb.db,
      'SELECT path, size, rows_ingested, rejects, format, length(sha256) AS l FROM _socfeed_ingested_files',
    );
    expect(files).toEqual({
      path: file,
      size: String(first.files[0]!.bytes),
      rows_ingested: '2',
      rejects: '0',
      format: 'defender (streaming API, storage JSON lines)',
      l: '64',
    });
    sb.file('a.json', jsonl([rec(1), rec(2), rec(3)]));
    const third = await ingest(sb.db, [file]);
    expect(third.files[0]!.status).toBe('ingested');
    expect(await count(sb.db, 'DeviceProcessEvents')).toBe(5);
  });

  test('the same data plain, gzipped and zipped is ingested once (decompressed content is recognised)', async () => {
    const data = Buffer.from(jsonl([rec(1), rec(2), rec(3)]));
    const plain = sb.file('x.json', data);
    const gz = sb.file('x.json.gz', gzipSync(data));
    const zip = sb.file('x.zip', zipArchive([{ name: 'x.json', data, deflate: true }]));
    const s = await ingest(sb.db, [plain, gz, zip]);
    expect(s.totals.rows).toBe(3);
    expect(s.files[1]!.members[0]!.skipped).toMatch(/^same content as .*x\.json, already ingested$/);
    expect(s.files[2]!.members[0]!.skipped).toMatch(/^same content as /);
    // In the other order too: the archive first, then the plain copy.
    const other = sandbox();
    try {
      const s2 = await ingest(other.db, [zip, plain]);
      expect(s2.files.map((f) => f.status)).toEqual(['ingested', 'unchanged']);
      expect(s2.files[1]!.note).toMatch(/same content as .*x\.zip!x\.json/);
      expect(await count(other.db, 'DeviceProcessEvents')).toBe(3);
    } finally {
      other.cleanup();
    }
  });
});

describe('unknown extra columns', () => {
  test('merged into AdditionalFields (original text kept, original keys win); reported per table/column', async () => {
    const file = sb.file(
      'extras.json',
      jsonl([
        rec(1, {
          AdditionalFields: '{"ProcessStartKey":5, "Note":"keep  spacing"}',
          NewPreviewColumn: 'v1',
          Nested: { a: [1, 2] },
        }),
        rec(2, { AdditionalFields: '{"NewPreviewColumn":"original"}', NewPreviewColumn: 'ignored' }),
        rec(3, { AdditionalFields: 'not json', NewPreviewColumn: 'v3' }),
        rec(4, { AdditionalFields: '{}', NewPreviewColumn: null }),
      ]),
    );
    const s = await ingest(sb.db, [file]);
    const af = (
      await query(sb.db, 'SELECT ProcessId, AdditionalFields FROM DeviceProcessEvents ORDER BY ProcessId')
    ).map((r) => r['AdditionalFields']);
    expect(af).toEqual([
      '{"MachineGroup":"UnassignedGroup","NewPreviewColumn":"v1","Nested":{"a":[1,2]},"ProcessStartKey":5, "Note":"keep  spacing"}',
      '{"MachineGroup":"UnassignedGroup","NewPreviewColumn":"original"}',
      '{"MachineGroup":"UnassignedGroup","NewPreviewColumn":"v3","AdditionalFields":"not json"}',
      '{"MachineGroup":"UnassignedGroup"}',
    ]);
    expect(s.files[0]!.extraColumns).toEqual([
      { table: 'DeviceProcessEvents', column: 'MachineGroup', rows: 4, kept: 'AdditionalFields' },
      { table: 'DeviceProcessEvents', column: 'NewPreviewColumn', rows: 3, kept: 'AdditionalFields' },
      { table: 'DeviceProcessEvents', column: 'Nested', rows: 1, kept: 'AdditionalFields' },
    ]);
  });

  test('tables without AdditionalFields: extras are counted and reported, not silently dropped', async () => {
    const cert = (n: number, extra: Record<string, unknown> = {}) =>
      streamRecord('DeviceFileCertificateInfo', {
        Timestamp: '2024-05-01T10:00:00Z',
        SHA1: `${n}`.padStart(40, '0'),
        IsSigned: true,
        ...extra,
      });
    const s = await ingest(sb.db, [
      sb.file('c.json', jsonl([cert(1), cert(2, { Brand: 'new' }), cert(3, { 'weird "key"': 1 })])),
    ]);
    expect(s.files[0]!.rows).toEqual({ DeviceFileCertificateInfo: 3 });
    expect(s.files[0]!.extraColumns).toEqual([
      { table: 'DeviceFileCertificateInfo', column: 'MachineGroup', rows: 3, kept: 'dropped' },
      { table: 'DeviceFileCertificateInfo', column: 'Brand', rows: 1, kept: 'dropped' },
      { table: 'DeviceFileCertificateInfo', column: 'weird "key"', rows: 1, kept: 'dropped' },
    ]);
  });

  test('keys only padded with null or "" (a union export) are not data and not reported', async () => {
    const rows = [1, 2].map((n) => ({
      Type: 'DeviceProcessEvents',
      Timestamp: '2024-05-01T10:00:00Z',
      ProcessId: n,
      Application: '',
      City: null,
    }));
    const s = await ingest(sb.db, [sb.file('u.json', jsonl(rows))]);
    expect(s.files[0]!.extraColumns).toEqual([]);
    expect(await query(sb.db, 'SELECT DISTINCT AdditionalFields FROM DeviceProcessEvents')).toEqual([
      { AdditionalFields: '' },
    ]);
  });
});
