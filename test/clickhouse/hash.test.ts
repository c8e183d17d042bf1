// hash() on ClickHouse and on DuckDB, side by side: ClickHouse's native xxHash64 (read as a signed
// Int64) and DuckDB's SQL macros (src/sql/dialects/duckdb/xxhash.ts) against each other and against
// the reference XXH64 (src/sql/dialects/common/xxhash64.ts), on the same strings and datetimes; then
// hash() of columns compiled from KQL and run on ClickHouse.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { kustoHash } from '../../src/sql/dialects/common/xxhash64.js';
import { clickhouseDialect } from '../../src/sql/dialects/clickhouse/dialect.js';
import { XXHASH_MACROS } from '../../src/sql/dialects/duckdb/xxhash.js';
import { ChdbEngine, chdbSkipReason } from './harness.js';
import { HASH_SAMPLES } from '../compiler/hash-samples.js';

const skip = chdbSkipReason('clickhouse hash');
/** 100 ns ticks since the Unix epoch: 2015-01-01 (documented), the epoch, a 7-digit fraction, 1677 and 2262. */
const TICKS = [14200704000000000n, 0n, 17408232001234567n, -92233720368547758n, 92233720368547758n];
const signedHashes = (rows: unknown[][]): string[] => rows.map((r) => String(r[0]));

describe.skipIf(skip !== undefined)('hash(): ClickHouse vs DuckDB vs the reference XXH64', () => {
  let ch: ChdbEngine | undefined;
  afterAll(async () => ch?.close());

  it('hash the same strings and datetimes to the same signed longs', async () => {
    ch = new ChdbEngine(defenderSchema());
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    for (const m of XXHASH_MACROS) await duck.run(m);

    const chStrings = await ch.exec.query(
      `SELECT toString(reinterpretAsInt64(xxHash64(s))) FROM (SELECT arrayJoin([${HASH_SAMPLES.map((s) => clickhouseDialect.stringLiteral(s)).join(', ')}]) AS s)`,
    );
    const duckStrings = await duck.runAndReadAll(
      `SELECT socfeed_hash_string(s) FROM (SELECT unnest([${HASH_SAMPLES.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ')}]) AS s)`,
    );
    const want = HASH_SAMPLES.map((s) => String(kustoHash(s, 'string')));
    expect(signedHashes(chStrings.data as unknown[][])).toEqual(want);
    expect(signedHashes(duckStrings.getRows())).toEqual(want);

    // The lowering's datetime form: .NET ticks reinterpreted as 8 little-endian bytes.
    const chDates = await ch.exec.query(
      `SELECT toString(reinterpretAsInt64(xxHash64(reinterpret(t + 621355968000000000, 'FixedString(8)')))) FROM (SELECT arrayJoin([${TICKS.map((t) => `toInt64(${t})`).join(', ')}]) AS t)`,
    );
    const duckDates = await duck.runAndReadAll(
      `SELECT socfeed_hash_datetime(t) FROM (SELECT unnest([${TICKS.map((t) => `make_timestamp_ns(${t * 100n})`).join(', ')}]) AS t)`,
    );
    const wantDates = TICKS.map((t) => String(kustoHash(t, 'datetime')));
    expect(signedHashes(chDates.data as unknown[][])).toEqual(wantDates);
    expect(signedHashes(duckDates.getRows())).toEqual(wantDates);
    duck.closeSync();
  });

  it('compiles hash() of columns, with and without mod, and partitions every row once', async () => {
    ch ??= new ChdbEngine(defenderSchema());
    const list = HASH_SAMPLES.map((s) => JSON.stringify(s)).join(', ');
    const r = await ch.run(
      `datatable(S:string) [${list}] | extend H = hash(S), P = hash(S, 4) | project S, H, P`,
      { now: new Date('2025-03-15T12:00:00Z'), source: 'hash.test' },
    );
    if (r.kind !== 'ok') throw new Error(`${r.kind}: ${'message' in r ? r.message : ''}`);
    const got = new Map(r.result.rows.map((row) => [row[0] as string, [String(row[1]), String(row[2])]]));
    for (const s of HASH_SAMPLES) {
      const h = kustoHash(s, 'string')!;
      expect([s, ...(got.get(s) ?? [])]).toEqual([s, String(h), String(((h % 4n) + 4n) % 4n)]);
    }
    const parts = await ch.run(
      `let T = datatable(S:string) [${list}];
      union (T | where hash(S, 4) == 0), (T | where hash(S, 4) == 1), (T | where hash(S, 4) == 2), (T | where hash(S, 4) == 3)
      | summarize Rows = count(), Strings = dcount(S)`,
      { now: new Date('2025-03-15T12:00:00Z'), source: 'hash.test' },
    );
    if (parts.kind !== 'ok') throw new Error(parts.kind);
    const distinct = new Set(HASH_SAMPLES).size;
    expect(parts.result.rows).toEqual([[HASH_SAMPLES.length, distinct]]);
    const dates = await ch.run(
      `datatable(T:datetime) [datetime(2015-01-01), datetime(2025-03-01 10:00:00.1234567), datetime(null)]
      | extend H = hash(T), P = hash(T, 4) | project H, P`,
      { now: new Date('2025-03-15T12:00:00Z'), source: 'hash.test' },
    );
    if (dates.kind !== 'ok') throw new Error(`${dates.kind}: ${'message' in dates ? dates.message : ''}`);
    expect(dates.result.rows.map((row) => row.map(String))).toEqual([
      ['1380966698541616202', '2'],
      ['-6171687976796793716', '0'],
      ['null', 'null'],
    ]);
  });
});
