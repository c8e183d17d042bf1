// ADX pass-through against a local server speaking the v2 query protocol (no cluster is reachable
// here): the KQL goes out unchanged with the bearer token, and every KQL type maps back to the same
// JSON form the DuckDB engine returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import { FakeAdx } from './v2-server.js';

const KQL = `DeviceProcessEvents\n| where FileName =~ "anydesk.exe"\n| summarize Runs = count() by DeviceName`;

describe('ADX pass-through', () => {
  const fake = new FakeAdx();
  let url = '';
  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());

  const open = () =>
    openBackend({
      engine: 'adx',
      cluster: url,
      database: 'Security',
      env: { SOCFEED_ADX_TOKEN: 'test-token' },
    });

  it('sends the KQL unchanged to /v2/rest/query with the database and the bearer token', async () => {
    fake.reply = {
      status: 200,
      table: {
        columns: [
          { ColumnName: 'DeviceName', ColumnType: 'string' },
          { ColumnName: 'Runs', ColumnType: 'long' },
        ],
        rows: [['ws-01', 2]],
      },
    };
    const b = await open();
    try {
      const r = await b.runKql(KQL);
      const q = fake.requests.filter((x) => x.path.startsWith('/v2/rest/query')).pop()!;
      expect(q.body?.csl).toBe(KQL);
      expect(q.body?.db).toBe('Security');
      expect(q.authorization).toBe('Bearer test-token');
      expect(r.columns).toEqual([
        { name: 'DeviceName', type: 'string' },
        { name: 'Runs', type: 'long' },
      ]);
      expect(r.rows).toEqual([['ws-01', 2]]);
      expect(r.sql).toBe(KQL);
    } finally {
      await b.close();
    }
  });

  it('maps every KQL type to socfeed JSON cells (100 ns datetimes, timespans, big longs, dynamic, nulls)', async () => {
    const columns = [
      ['s', 'string'],
      ['b', 'bool'],
      ['i', 'int'],
      ['l', 'long'],
      ['r', 'real'],
      ['d', 'datetime'],
      ['t', 'timespan'],
      ['g', 'guid'],
      ['j', 'dynamic'],
    ].map(([n, t]) => ({ ColumnName: n!, ColumnType: t! }));
    fake.reply = {
      status: 200,
      table: {
        columns,
        rows: [
          [
            'x',
            true,
            7,
            '9007199254740993',
            1.5,
            '2024-01-02T03:04:05.1234567Z',
            '1.02:03:04.5000000',
            '8b1c1a4e-8f6d-4c4c-9d7e-2a1b3c4d5e6f',
            { a: [1, 'b'] },
          ],
          [null, null, null, null, 'NaN', null, '-00:00:01', null, null],
        ],
      },
    };
    const b = await open();
    try {
      const r = await b.runKql('T');
      expect(r.columns.map((c) => c.type)).toEqual([
        'string',
        'bool',
        'int',
        'long',
        'real',
        'datetime',
        'timespan',
        'guid',
        'dynamic',
      ]);
      expect(r.rows[0]).toEqual([
        'x',
        true,
        7,
        '9007199254740993',
        1.5,
        '2024-01-02T03:04:05.1234567Z',
        '1.02:03:04.5000000',
        '8b1c1a4e-8f6d-4c4c-9d7e-2a1b3c4d5e6f',
        { a: [1, 'b'] },
      ]);
      expect(r.rows[1]).toEqual(['', null, null, null, 'NaN', null, '-00:00:01', null, null]);
    } finally {
      await b.close();
    }
  });

  it('reports a rejected query and refused credentials as user errors with codes, no stack', async () => {
    const b = await open();
    try {
      fake.reply = {
        status: 400,
        error: { code: 'General_BadRequest', message: "Semantic error: 'Foo' could not be resolved" },
      };
      await expect(b.runKql('Foo | take 1')).rejects.toMatchObject({
        code: 'SF-ADX-QUERY',
        message: expect.stringContaining("'Foo' could not be resolved"),
      });
      fake.reply = { status: 401, error: { code: 'Unauthorized', message: 'token expired' } };
      await expect(b.runKql('T')).rejects.toMatchObject({ code: 'SF-ADX-AUTH' });
      await expect(b.runKql('T', { now: new Date() })).rejects.toMatchObject({ code: 'SF-ADX-NOW' });
    } finally {
      await b.close();
    }
  });
});
