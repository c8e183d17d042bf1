// `--engine` on query and ingest: flag checking, clear errors without stack traces, and the ADX
// pass-through through the real CLI entry (against the local v2 server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAdx } from '../adx/v2-server.js';
import { cliWithEnv } from '../cli-run.js';

describe('socfeed query/ingest --engine', () => {
  const fake = new FakeAdx();
  let adxUrl = '';
  beforeAll(async () => {
    adxUrl = await fake.start();
  });
  afterAll(() => fake.stop());

  it('asks for --url with --engine clickhouse', async () => {
    const r = await cliWithEnv({}, 'query', '--engine', 'clickhouse', 'print 1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--engine clickhouse needs --url/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown engine with a suggestion', async () => {
    const r = await cliWithEnv({}, 'query', '--engine', 'clickhouses', 'print 1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/did you mean clickhouse/);
  });

  it('explains a query as ClickHouse SQL without connecting', async () => {
    const r = await cliWithEnv(
      {},
      'query',
      '--engine',
      'clickhouse',
      '--url',
      'http://127.0.0.1:9',
      '--explain',
      'DeviceProcessEvents | where FileName has "anydesk" | count',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/FROM `DeviceProcessEvents`/);
    expect(r.out).toMatch(/match\(`FileName`/);
  });

  it('reports an unreachable server as a user error, not a crash', async () => {
    const r = await cliWithEnv(
      {},
      'query',
      '--engine',
      'clickhouse',
      '--url',
      'http://127.0.0.1:9',
      'print 1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:9/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('names an unset --password-env variable', async () => {
    const r = await cliWithEnv(
      {},
      'query',
      '--engine',
      'clickhouse',
      '--url',
      'http://127.0.0.1:9',
      '--password-env',
      'CH_PASS',
      'print 1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CH_PASS, which is not set/);
  });

  it('runs a query on ADX unchanged and prints socfeed JSON', async () => {
    fake.reply = {
      status: 200,
      table: {
        columns: [
          { ColumnName: 'x', ColumnType: 'long' },
          { ColumnName: 'When', ColumnType: 'datetime' },
        ],
        rows: [[1, '2025-01-01T00:00:00Z']],
      },
    };
    const r = await cliWithEnv(
      { SOCFEED_ADX_TOKEN: 't' },
      'query',
      '--engine',
      'adx',
      '--cluster',
      adxUrl,
      '--database',
      'Security',
      '--format',
      'json',
      'print x = 1, When = datetime(2025-01-01)',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { columns: unknown; rows: unknown };
    expect(parsed.rows).toEqual([[1, '2025-01-01T00:00:00Z']]);
    expect(fake.requests.at(-1)?.body?.csl).toBe('print x = 1, When = datetime(2025-01-01)');
  });

  it('does not ingest into ADX', async () => {
    const r = await cliWithEnv({}, 'ingest', '--engine', 'adx', '--db', ':memory:', 'nothing.jsonl');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not ingest into Azure Data Explorer|nothing\.jsonl/);
  });
});
