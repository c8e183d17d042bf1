// `socfeed ingest/query --engine clickhouse --url …` end to end through the official client,
// against a local HTTP endpoint backed by chdb: rows land once (re-ingesting adds nothing) and
// query results equal the DuckDB store's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../demo/helpers.js';
import { chdbSkipReason } from './harness.js';
import { ChdbHttpShim } from './http-shim.js';
import { cliWithEnv } from '../cli-run.js';

const skip = chdbSkipReason('clickhouse over HTTP');
const QUERY = `DeviceProcessEvents | where FileName has "anydesk" | summarize Runs = count(), First = min(Timestamp) by DeviceName | order by DeviceName asc`;

describe.skipIf(skip !== undefined)('ingest and query --engine clickhouse over HTTP', () => {
  const shim = skip ? undefined : new ChdbHttpShim();
  let url = '';
  const dir = tempDir();
  const db = join(dir, 'staging.duckdb');
  const file = join(dir, 'events.jsonl');
  beforeAll(async () => {
    url = await shim!.start();
    const rows = [
      {
        Timestamp: '2025-03-01T10:00:00.1234567Z',
        DeviceName: 'ws-01',
        FileName: 'AnyDesk.exe',
        ReportId: 1,
      },
      { Timestamp: '2025-03-01T09:00:00Z', DeviceName: 'ws-01', FileName: 'anydesk.exe', ReportId: 2 },
      { Timestamp: '2025-03-02T08:00:00Z', DeviceName: 'ws-02', FileName: 'AnyDesk-helper.exe', ReportId: 3 },
      { Timestamp: '2025-03-02T08:00:00Z', DeviceName: 'ws-03', FileName: 'notanydesk.exe', ReportId: 4 },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
  afterAll(() => shim?.stop());

  it('ships the ingested rows in batches, once', async () => {
    const first = await cliWithEnv(
      { CH_PASS: '' },
      'ingest',
      '--engine',
      'clickhouse',
      '--url',
      url,
      '--password-env',
      'CH_PASS',
      '--db',
      db,
      '--table',
      'DeviceProcessEvents',
      file,
    );
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/shipped 4 rows to ClickHouse/);
    const again = await cliWithEnv(
      {},
      'ingest',
      '--engine',
      'clickhouse',
      '--url',
      url,
      '--db',
      db,
      '--table',
      'DeviceProcessEvents',
      file,
    );
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/shipped 0 rows/);
    expect(shim!.statements.some((s) => /CREATE TABLE IF NOT EXISTS `DeviceProcessEvents`/.test(s))).toBe(
      true,
    );
  });

  it('answers a query exactly as the DuckDB store does', async () => {
    const click = await cliWithEnv(
      {},
      'query',
      '--engine',
      'clickhouse',
      '--url',
      url,
      '--format',
      'json',
      QUERY,
    );
    const duck = await cliWithEnv({}, 'query', '--db', db, '--format', 'json', QUERY);
    expect(click.code, click.err).toBe(0);
    expect(JSON.parse(click.out)).toEqual(JSON.parse(duck.out));
    expect((JSON.parse(click.out) as { rows: unknown[][] }).rows).toEqual([
      ['ws-01', 2, '2025-03-01T09:00:00Z'],
      ['ws-02', 1, '2025-03-02T08:00:00Z'],
    ]);
  });
});
