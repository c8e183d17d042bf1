import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { cli, jsonl, sandbox, streamRecord, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const rec = (n: number, ts = '2024-05-01T10:00:00.1234567Z') =>
  streamRecord('DeviceProcessEvents', { Timestamp: ts, DeviceName: 'ws-01', ProcessId: n });

describe('socfeed ingest', () => {
  test('exit 0, a readable summary; --json prints one summary object', async () => {
    const file = sb.file('a.json', jsonl([rec(1), rec(2, '2024-05-02T00:00:00Z')]));
    const text = await cli(['ingest', '--db', sb.db, file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`ingested    ${file}`);
    expect(text.stdout).toContain('rows: DeviceProcessEvents 2');
    expect(text.stdout).toContain('1 file: 1 ingested · 2 rows into 1 table · 0 rejects');
    const again = await cli(['ingest', '--db', sb.db, '--json', file]);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as {
      files: { status: string }[];
      totals: { unchanged: number; rows: number };
    };
    expect(summary.files[0]!.status).toBe('unchanged');
    expect(summary.totals).toMatchObject({ unchanged: 1, rows: 0 });
  });

  test('exit 2 for user errors, before any store is created', async () => {
    const file = sb.file('a.json', jsonl([rec(1)]));
    const cases: [string[], string, RegExp][] = [
      [['ingest', '--db', sb.db, `${sb.dir}/missing.json`], 'SF-INGEST-NO-PATH', /no such file or directory/],
      [['ingest', '--db', sb.db, `${sb.dir}/*.parquet`], 'SF-INGEST-NO-MATCH', /no files match/],
      [
        ['ingest', '--db', sb.db, '--format', 'xml', file],
        'SF-INGEST-FORMAT',
        /hint: use one of auto, defender, jsonl, json, csv, parquet, sysmon/,
      ],
      [
        ['ingest', '--db', sb.db, '--table', 'DeviceProcessEvent', file],
        'SF-INGEST-TABLE',
        /did you mean DeviceProcessEvents\?/,
      ],
      [['ingest', '--db', sb.db], 'SF-CLI-ARGS', /wrong number of arguments/],
    ];
    for (const [args, code, hint] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`error[${code}]`);
      expect(r.stderr).toMatch(hint);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(sb.db)).toBe(false);
  });

  test('exit 1 when --strict meets a reject, or a file cannot be read', async () => {
    const bad = sb.file('bad.json', jsonl([rec(1)]) + '{"broken\n');
    const strict = await cli(['ingest', '--db', sb.db, '--strict', bad]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('rolled-back');
    expect(strict.stdout).toContain('--strict: nothing kept (1 rows would have been ingested)');
    const lenient = await cli(['ingest', '--db', sb.db, bad]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('rejects: 1 — malformed JSON or not a JSON object ×1');
    const corrupt = sb.file('c.json.gz', Buffer.from('not gzip at all'));
    const failed = await cli(['ingest', '--db', sb.db, corrupt]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/failed +.*c\.json\.gz: incorrect header check/);
  });
});

describe('socfeed tables', () => {
  test('text (tables with rows first, --all for the empty ones) and --json', async () => {
    await cli(['ingest', '--db', sb.db, sb.file('a.json', jsonl([rec(1), rec(2, '2024-05-02T00:00:00Z')]))]);
    const text = await cli(['tables', '--db', sb.db]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^table +rows +first Timestamp +last Timestamp$/);
    expect(lines[1]).toMatch(/^DeviceProcessEvents +2 +2024-05-01T10:00:00\.1234567Z +2024-05-02T00:00:00Z$/);
    expect(lines.at(-1)).toMatch(/^\(61 empty tables not shown; --all lists them\)$/);
    const all = await cli(['tables', '--db', sb.db, '--all']);
    expect(all.stdout.trim().split('\n').length).toBe(1 + 62);
    const json = await cli(['tables', '--db', sb.db, '--json']);
    const stats = JSON.parse(json.stdout) as { table: string; rows: number; firstTimestamp: string | null }[];
    expect(stats.length).toBe(62);
    expect(stats[0]).toEqual({
      table: 'DeviceProcessEvents',
      rows: 2,
      firstTimestamp: '2024-05-01T10:00:00.1234567Z',
      lastTimestamp: '2024-05-02T00:00:00Z',
    });
    expect(stats.find((s) => s.table === 'DeviceTvmSoftwareInventory')).toEqual({
      table: 'DeviceTvmSoftwareInventory',
      rows: 0,
      firstTimestamp: null,
      lastTimestamp: null,
    });
  });

  test('a missing store is a user error', async () => {
    const r = await cli(['tables', '--db', `${sb.dir}/nope.duckdb`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SF-STORE-MISSING]');
  });
});
