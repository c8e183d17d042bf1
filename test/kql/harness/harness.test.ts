// The .kqltest harness itself: reading the format, cell values, table comparison, fixture loading.
import { describe, expect, it } from 'vitest';
import type { KqlCell, KqlResult } from '../../../src/engine/types.js';
import { SchemaCatalog, defenderSchema, type KqlScalarType } from '../../../src/schema/index.js';
import { Store } from '../../../src/store/store.js';
import {
  canonActual,
  canonEqual,
  canonExpected,
  escapeCell,
  formatTimespan,
  renderCanon,
  timespanTicks,
  unescapeCell,
} from './cells.js';
import { compareColumns, compareRows } from './compare.js';
import { applyFixtures, type Fixture } from './fixtures.js';
import { endsSorted, parseKqlTest, type QueryRecord } from './format.js';

const schema = defenderSchema();
const HEADER = '# name: t.kqltest\n# description: d\n# ref: r\n';
const parse = (body: string, files: Record<string, string> = {}) =>
  parseKqlTest('t.kqltest', HEADER + body, schema, (n) => {
    const f = files[n];
    if (f === undefined) throw new Error('ENOENT');
    return f;
  });

function same(text: string, type: KqlScalarType, cell: KqlCell): boolean {
  return canonEqual(canonExpected(text, type), canonActual(cell, type));
}

describe('cells', () => {
  it('compares by value in the column type', () => {
    expect(same('2025-03-01T10:00:00Z', 'datetime', '2025-03-01T10:00:00.0000000Z')).toBe(true);
    expect(same('2025-03-01T10:00:00Z', 'datetime', '2025-03-01T10:00:00.0000001Z')).toBe(false);
    expect(same('1.02:03:04', 'timespan', '1.02:03:04.0000000')).toBe(true);
    expect(same('00:00:00.1', 'timespan', '00:00:00.0100000')).toBe(false);
    expect(same('0.3', 'real', 0.1 + 0.2)).toBe(true);
    expect(same('0.3', 'real', 0.3000001)).toBe(false);
    expect(same('0', 'real', 1e-300)).toBe(false);
    expect(same('NaN', 'real', 'NaN')).toBe(true);
    expect(same('{"a":1,"b":[1,2]}', 'dynamic', { b: [1, 2], a: 1 })).toBe(true);
    expect(same('[1,2]', 'dynamic', [2, 1])).toBe(false);
    expect(same('9007199254740993', 'long', '9007199254740993')).toBe(true);
    expect(same('(empty)', 'string', '')).toBe(true);
    expect(() => canonExpected('null', 'string')).toThrow(/never null/);
    expect(same('null', 'long', null)).toBe(true);
    expect(same('null', 'long', 0)).toBe(false);
  });

  it('rejects expected text that is not of the column type', () => {
    expect(() => canonExpected('yes', 'bool')).toThrow(/not a bool/);
    expect(() => canonExpected('2025-03-01 10:00:00', 'datetime')).toThrow(/ISO 8601/);
    expect(() => canonExpected('25:00:00', 'timespan')).toThrow(/timespan/);
    expect(() => canonExpected('1.5', 'long')).toThrow(/integer/);
    expect(() => canonExpected('{a}', 'dynamic')).toThrow(/JSON/);
  });

  it('round-trips string escapes and timespans', () => {
    for (const s of ['', 'null', '(empty)', 'a\tb', 'line1\nline2', 'back\\slash']) {
      expect(unescapeCell(escapeCell(s) === '(empty)' ? '' : escapeCell(s))).toBe(
        s === '(empty)' ? '(empty)' : s,
      );
    }
    expect(canonExpected(escapeCell('null'), 'string')).toEqual({ t: 'string', v: 'null' });
    for (const t of ['00:00:00', '-01:30:00', '2.00:00:00.5', '00:00:00.0000001'])
      expect(formatTimespan(timespanTicks(t)!)).toBe(t);
    expect(renderCanon(canonExpected('2025-03-01T10:00:00.1200000Z', 'datetime'))).toBe(
      '2025-03-01T10:00:00.12Z',
    );
  });
});

describe('compare', () => {
  const res = (rows: KqlCell[][]): KqlResult => ({
    columns: [
      { name: 'x', type: 'long' },
      { name: 's', type: 'string' },
    ],
    rows,
    warnings: [],
  });
  const exp = (rows: string[][]) =>
    rows.map((r) =>
      [canonExpected(r[0]!, 'long'), canonExpected(r[1]!, 'string')].map((c) => ({
        text: renderCanon(c),
        matches: (a: typeof c) => canonEqual(c, a),
      })),
    );

  it('checks names and types', () => {
    expect(compareColumns([{ name: 'x', type: 'long' }], [{ name: 'x', type: 'long' }])).toBeUndefined();
    expect(compareColumns([{ name: 'x', type: 'long' }], [{ name: 'x', type: 'int' }])).toMatch(
      /columns differ/,
    );
  });

  it('orders or not, and names the first difference', () => {
    const actual = res([
      [2, 'b'],
      [1, ''],
    ]);
    expect(
      compareRows(
        exp([
          ['1', '(empty)'],
          ['2', 'b'],
        ]),
        actual,
        false,
      ),
    ).toBeUndefined();
    expect(
      compareRows(
        exp([
          ['1', '(empty)'],
          ['2', 'b'],
        ]),
        actual,
        true,
      ),
    ).toMatch(/^row 1, column x: expected 1, got 2$/);
    expect(compareRows(exp([['2', 'b']]), actual, false)).toMatch(/unexpected row .*1\t\(empty\)/);
    expect(
      compareRows(
        exp([
          ['2', 'b'],
          ['2', 'b'],
          ['1', '(empty)'],
        ]),
        actual,
        false,
      ),
    ).toMatch(/expected row not found/);
    expect(compareRows(exp([['2', 'b']]), res([[2, 5]]), false)).toMatch(/not a string cell/);
    // A null string is an engine bug (KQL strings are never null): it matches no expectation.
    expect(compareRows(exp([['2', '(empty)']]), res([[2, null]]), false)).toMatch(/expected row not found/);
  });
});

describe('format', () => {
  it('reads records, fixtures and conditions', () => {
    const f = parse(
      [
        '',
        'fixture DeviceInfo',
        '{"DeviceName":"ws-01"}',
        '',
        'skipif clickhouse no has_cs yet',
        'query ordered',
        'DeviceInfo',
        '| order by DeviceName asc',
        '----',
        'DeviceName:string\tN:long',
        'ws-01\t1',
        '',
        'error SF102 at 1:22',
        'DeviceInfo | project Nope',
        '----',
        "unknown column 'Nope'",
        '',
      ].join('\n'),
    );
    expect(f.problems).toEqual([]);
    expect(f.records).toHaveLength(2);
    const q = f.records[0] as QueryRecord;
    expect(q).toMatchObject({
      kind: 'query',
      line: 9,
      kqlLine: 10,
      ordered: true,
      kql: 'DeviceInfo\n| order by DeviceName asc',
    });
    expect(q.conditions).toEqual([{ kind: 'skipif', dialect: 'clickhouse', reason: 'no has_cs yet' }]);
    expect(q.columns).toEqual([
      { name: 'DeviceName', type: 'string' },
      { name: 'N', type: 'long' },
    ]);
    expect(q.fixtures.get('DeviceInfo')?.rows).toHaveLength(1);
    expect(f.records[1]).toMatchObject({
      kind: 'error',
      code: 'SF102',
      at: { line: 1, col: 22 },
      conditions: [],
    });
    expect(f.records[1]!.kind === 'error' && f.records[1]!.message?.test("unknown column 'Nope'")).toBe(true);
  });

  it('gives later records the later fixture, earlier records keep theirs', () => {
    const f = parse(
      '\nfixture DeviceInfo\n{"DeviceName":"a"}\n\nquery unordered\nDeviceInfo\n----\nDeviceName:string\na\n\nfixture DeviceInfo f.jsonl\n\nquery unordered\nDeviceInfo\n----\nDeviceName:string\nb\n',
      {
        'f.jsonl': '{"DeviceName":"b"}\n',
      },
    );
    expect(f.problems).toEqual([]);
    const [a, b] = f.records;
    expect(a!.fixtures.get('DeviceInfo')).not.toBe(b!.fixtures.get('DeviceInfo'));
    expect(b!.fixtures.get('DeviceInfo')!.rows).toHaveLength(1);
  });

  it('reports problems at their line and keeps going', () => {
    const f = parse(
      [
        '',
        'query ordered',
        'print x = 1',
        '----',
        'x:long',
        '1',
        '',
        'query unordered',
        'print x = 1',
        '----',
        'x:long\ty:long',
        '1',
        '',
        'fixture DeviceInfo',
        '{"DeviceNmae":"a"}',
        '',
        'fixture DeviceInfo',
        '{"DeviceName":null}',
        '',
        'fixture Nope',
        '',
        'fixture DeviceInfo missing.jsonl',
        '',
        'frobnicate',
        '',
        'query unordered',
        'print x = 1',
        '----',
        'x:long',
        '1',
      ].join('\n'),
    );
    const msgs = f.problems.map((p) => `${p.line}: ${p.message}`);
    expect(msgs).toEqual([
      expect.stringMatching(/^5: 'query ordered' needs a query ending in order by/),
      expect.stringMatching(/^15: row has 1 cells, header has 2/),
      expect.stringMatching(/^17: .*no column 'DeviceNmae'; did you mean 'DeviceName'/),
      expect.stringMatching(/^20: .*strings are never null/),
      expect.stringMatching(/^23: unknown table 'Nope'/),
      expect.stringMatching(/^25: cannot read fixture file 'missing.jsonl'/),
      expect.stringMatching(/^27: unknown record 'frobnicate'/),
    ]);
    expect(f.records).toHaveLength(1);
  });

  it('checks the header', () => {
    const f = parseKqlTest('a/b.kqltest', '# name: a/c.kqltest\n# description: x\n', schema, () => '');
    expect(f.problems.map((p) => p.message)).toEqual([
      "header lacks '# ref:'",
      "'# name: a/c.kqltest' should be the file's own path 'a/b.kqltest'",
    ]);
  });

  it('knows which queries end sorted', () => {
    expect(endsSorted('T | order by x')).toBe(true);
    expect(endsSorted('T\n| sort by x asc // latest first')).toBe(true);
    expect(endsSorted('T | top 3 by x')).toBe(true);
    expect(endsSorted('T | top-nested 3 of x by count()')).toBe(false);
    expect(endsSorted('T | order by x | project x')).toBe(false);
    expect(endsSorted('T | where s == "| top 1 by x"')).toBe(false);
    expect(endsSorted('T | join (U | order by x) on k')).toBe(false);
  });
});

describe('fixtures', () => {
  it('inserts typed rows with defaults, and replaces them when the fixture changes', async () => {
    const store = await Store.open(':memory:');
    try {
      const f = parse(
        [
          '',
          'fixture DeviceProcessEvents',
          '{"Timestamp":"2025-03-01T10:00:00.1234567Z","DeviceName":"ws-01","ProcessId":9007199254740993,"AdditionalFields":"{\\"a\\":1}","IsProcessRemoteSession":true}',
          '{"DeviceName":"ws-02","ProcessId":"9007199254740993"}',
          '',
          'query unordered',
          'DeviceProcessEvents',
          '----',
          'DeviceName:string',
          '',
        ].join('\n'),
      );
      // 9007199254740993 as a JSON number is not exact, so the harness refuses it.
      expect(f.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/ProcessId \(long\): expected an integer/),
      ]);

      const ok = parse(
        '\nfixture DeviceProcessEvents\n{"Timestamp":"2025-03-01T10:00:00.1234567Z","DeviceName":"ws-01","ProcessId":42,"IsProcessRemoteSession":true}\n{"DeviceName":"ws-02","ProcessId":"9007199254740993"}\n\nquery unordered\nDeviceProcessEvents\n----\nDeviceName:string\n',
      );
      expect(ok.problems).toEqual([]);
      const loaded = new Map<string, Fixture>();
      await applyFixtures(store, schema, ok.records[0]!.fixtures, loaded);
      const r = await store.query(
        'SELECT DeviceName, AccountName, ProcessId, CAST(Timestamp AS VARCHAR), IsProcessRemoteSession, ProcessCreationTime FROM DeviceProcessEvents ORDER BY DeviceName',
      );
      expect(r.rows).toEqual([
        ['ws-01', '', 42n, '2025-03-01 10:00:00.1234567', true, null],
        ['ws-02', '', 9007199254740993n, null, null, null],
      ]);
      // Same fixture object: nothing reloaded. No fixture wanted: the table is emptied.
      await applyFixtures(store, schema, ok.records[0]!.fixtures, loaded);
      await applyFixtures(store, schema, new Map(), loaded);
      expect((await store.query('SELECT count(*) FROM DeviceProcessEvents')).rows).toEqual([[0n]]);
    } finally {
      store.close();
    }
  });

  it('stores every KQL type the way the store defines it (ddl.ts)', async () => {
    const allTypes = new SchemaCatalog([
      {
        name: 'AllTypes',
        description: 'test table',
        aliases: {},
        columns: (
          [
            'bool',
            'int',
            'long',
            'real',
            'decimal',
            'datetime',
            'timespan',
            'string',
            'dynamic',
            'guid',
          ] as const
        ).map((type) => ({
          name: `c_${type}`,
          type,
        })),
      },
    ]);
    const store = await Store.open(':memory:', { schema: allTypes });
    try {
      const row = {
        c_bool: false,
        c_int: -7,
        c_long: '-9007199254740993',
        c_real: 'NaN',
        c_decimal: 1.5,
        c_datetime: '2025-03-01T00:00:00Z',
        c_timespan: '-1.00:00:01.5',
        c_string: 'x',
        c_dynamic: { k: [1, null] },
        c_guid: '4FE5C8A1-0000-4000-8000-000000000001',
      };
      const f = parseKqlTest(
        't.kqltest',
        `${HEADER}\nfixture AllTypes\n${JSON.stringify(row)}\n{}\n\nquery unordered\nAllTypes\n----\nc_string:string\n`,
        allTypes,
        () => '',
      );
      expect(f.problems).toEqual([]);
      await applyFixtures(store, allTypes, f.records[0]!.fixtures, new Map());
      const r = await store.query(
        'SELECT c_bool, c_int, c_long, isnan(c_real), c_decimal, CAST(c_datetime AS VARCHAR), c_timespan, c_string, CAST(c_dynamic AS VARCHAR), CAST(c_guid AS VARCHAR) FROM AllTypes ORDER BY c_string DESC',
      );
      expect(r.rows).toEqual([
        [
          false,
          -7,
          -9007199254740993n,
          true,
          1.5,
          '2025-03-01 00:00:00',
          -864_015_000_000n,
          'x',
          '{"k":[1,null]}',
          '4fe5c8a1-0000-4000-8000-000000000001',
        ],
        [null, null, null, null, null, null, null, '', null, null],
      ]);
    } finally {
      store.close();
    }
  });
});
