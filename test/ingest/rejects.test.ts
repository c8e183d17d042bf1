import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { count, ingest, jsonl, query, sandbox, streamRecord, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const good = (n: number) =>
  streamRecord('DeviceProcessEvents', {
    Timestamp: '2024-05-01T10:00:00Z',
    DeviceName: 'ws-01',
    ProcessId: n,
  });

/** A file with one good record per line except the bad ones, at known lines. */
function mixedFile(): { text: string; bad: { line: number; reason: RegExp; raw: string }[] } {
  const bad = [
    {
      line: 2,
      raw: '{"category":"AdvancedHunting-DeviceProcessEvents","properties":{"Timestamp":',
      reason: /^malformed JSON/,
    },
    {
      line: 4,
      raw: JSON.stringify(streamRecord('DeviceFooEvents', { Timestamp: '2024-05-01T10:00:00Z' })),
      reason: /^unknown table 'DeviceFooEvents'$/,
    },
    {
      line: 5,
      raw: JSON.stringify(
        streamRecord('DeviceProcessEvents', {
          Timestamp: '2024-05-01T10:00:00Z',
          ProcessId: 'four',
          FileSize: 12,
        }),
      ),
      reason: /^ProcessId: not a long: "four"$/,
    },
    {
      line: 7,
      raw: JSON.stringify(streamRecord('DeviceProcessEvents', { DeviceName: 'no-time' })),
      reason: /^missing Timestamp$/,
    },
    {
      line: 8,
      raw: JSON.stringify(streamRecord('DeviceProcessEvents', { Timestamp: 'yesterday' })),
      reason: /^Timestamp: not a datetime: "yesterday"$/,
    },
    { line: 9, raw: '[1,2,3]', reason: /^not a streaming API record \(no category, no properties\)$/ },
    {
      line: 10,
      raw: '{"category":"Something","properties":{}}',
      reason: /^category 'Something': not AdvancedHunting-<Table>$/,
    },
    {
      line: 11,
      raw: '{"category":"AdvancedHunting-DeviceProcessEvents"}',
      reason: /^streaming record without a properties object$/,
    },
  ];
  const lines: string[] = [];
  for (let i = 1; i <= 12; i++) lines.push(bad.find((b) => b.line === i)?.raw ?? JSON.stringify(good(i)));
  return { text: lines.join('\n') + '\n', bad };
}

describe('rejects', () => {
  test('each bad record is kept with source, line, reason and raw text; the rest of the file goes in', async () => {
    const { text, bad } = mixedFile();
    const file = sb.file('mixed.json', text);
    const s = await ingest(sb.db, [file]);
    const f = s.files[0]!;
    expect(f.status).toBe('ingested');
    expect(f.rejects).toBe(bad.length);
    expect(f.rows).toEqual({ DeviceProcessEvents: 12 - bad.length });
    const rejects = await query(
      sb.db,
      'SELECT source, line, record, table_name, reason, raw, run_id, rejected_at IS NOT NULL AS has_time FROM _socfeed_rejects ORDER BY line',
    );
    expect(rejects.map((r) => r['line'])).toEqual(bad.map((b) => String(b.line)));
    rejects.forEach((r, i) => {
      expect(r['source']).toBe(file);
      expect(r['record']).toBe(String(bad[i]!.line));
      expect(String(r['reason'])).toMatch(bad[i]!.reason);
      expect(r['raw']).toBe(bad[i]!.raw);
      expect(r['run_id']).toBe(s.runId);
      expect(r['has_time']).toBe(true);
    });
    expect(f.rejectSamples[0]).toEqual({
      source: file,
      line: 2,
      record: 2,
      reason: 'malformed JSON or not a JSON object',
    });
    expect(f.rejectReasons['ProcessId: not a long: "…"']).toBe(1);
  });

  test('--strict: any reject rolls the whole file back; other files are still ingested', async () => {
    const { text } = mixedFile();
    const badFile = sb.file('mixed.json', text);
    const goodFile = sb.file('good.json', jsonl([good(100), good(101)]));
    const s = await ingest(sb.db, [badFile, goodFile], { strict: true });
    expect(s.files.map((f) => f.status)).toEqual(['rolled-back', 'ingested']);
    expect(s.files[0]!.rows).toEqual({});
    expect(s.files[0]!.rowsRead).toBe(4);
    expect(s.files[0]!.rejectSamples.length).toBeGreaterThan(0);
    expect(await count(sb.db, 'DeviceProcessEvents')).toBe(2);
    expect(await count(sb.db, '_socfeed_rejects')).toBe(0);
    expect(await count(sb.db, '_socfeed_ingested_files')).toBe(1);
    // Without --strict the same file goes in (it was not recorded as ingested).
    const again = await ingest(sb.db, [badFile]);
    expect(again.files[0]!.status).toBe('ingested');
    expect(await count(sb.db, 'DeviceProcessEvents')).toBe(6);
  });

  test('bytes that are not UTF-8, CSV rows with the wrong field count, a truncated JSON document', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(JSON.stringify(good(1)) + '\n'),
      Buffer.from('{"category":"AdvancedHunting-DeviceProcessEvents","properties":{"DeviceName":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}}\n'),
    ]);
    const csv = 'Timestamp,DeviceName,ProcessId\n2024-05-01 10:00:00,ws-1,1\n2024-05-01 10:00:00,ws-2\n';
    const truncated = JSON.stringify([good(7).properties, good(8).properties]).slice(0, -30);
    const s = await ingest(
      sb.db,
      [sb.file('latin1.json', latin1), sb.file('short.csv', csv), sb.file('cut.json', truncated)],
      { table: 'DeviceProcessEvents' },
    );
    expect(s.files.map((f) => [f.rows['DeviceProcessEvents'] ?? 0, f.rejects])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const rejects = await query(sb.db, 'SELECT line, reason, raw FROM _socfeed_rejects ORDER BY source');
    expect(rejects).toEqual([
      {
        line: '1',
        reason: expect.stringMatching(/^unbalanced JSON/),
        raw: expect.stringMatching(/^\{"MachineGroup":"UnassignedGroup","Timestamp"/),
      },
      { line: '2', reason: 'invalid UTF-8', raw: expect.stringContaining('caf\uFFFD') },
      { line: '3', reason: 'expected 3 fields (as in the header), found 2', raw: '2024-05-01 10:00:00,ws-2' },
    ]);
  });

  test('records with no table: reported, with the fix in the reason', async () => {
    const s = await ingest(sb.db, [sb.file('rows.jsonl', jsonl([{ Foo: 1 }, { Bar: 'x', Baz: 2 }]))]);
    expect(s.files[0]!.rejects).toBe(2);
    expect(Object.keys(s.files[0]!.rejectReasons)).toEqual([
      'no table: the record has no Type naming a known table and no --table was given',
    ]);
  });
});
