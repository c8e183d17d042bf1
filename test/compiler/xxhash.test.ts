import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoHash, xxhash64 } from '../../src/sql/dialects/common/xxhash64.js';
import { XXHASH_MACROS } from '../../src/sql/dialects/duckdb/xxhash.js';
import { HASH_SAMPLES } from './hash-samples.js';

/**
 * hash(): the reference XXH64 (src/sql/dialects/common/xxhash64.ts) against published values, and
 * the DuckDB SQL macros (src/sql/dialects/duckdb/xxhash.ts) against the reference, bit for bit.
 */

const signed = (u: bigint): bigint => (u >= 1n << 63n ? u - (1n << 64n) : u);

describe('xxhash64 reference', () => {
  it('matches the documented Kusto values', () => {
    expect(kustoHash('World', 'string')).toBe(1846988464401551951n);
    // datetime(2015-01-01) as 100 ns ticks since the Unix epoch.
    expect(kustoHash(14200704000000000n, 'datetime')).toBe(1380966698541616202n);
  });
  it('matches the published XXH64 of the empty input', () => {
    expect(xxhash64(new Uint8Array(0))).toBe(signed(0xef46db3751d8e999n));
  });
});

describe('DuckDB xxhash macros', () => {
  let c: DuckDBConnection;
  beforeAll(async () => {
    c = await (await DuckDBInstance.create(':memory:')).connect();
    for (const m of XXHASH_MACROS) await c.run(m);
  });
  afterAll(() => c.closeSync());

  it('hash strings as the reference does', async () => {
    const list = HASH_SAMPLES.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ');
    const r = await c.runAndReadAll(`SELECT s, socfeed_hash_string(s) FROM (SELECT unnest([${list}]) AS s)`);
    const rows = r.getRows() as [string, bigint][];
    expect(rows.length).toBe(HASH_SAMPLES.length);
    for (const [s, h] of rows) expect([s, h]).toEqual([s, kustoHash(s, 'string')]);
  });

  it('hash random text of every stripe count as the reference does', async () => {
    // Seeded: 300 strings of 0..299 characters drawn from ASCII, Latin-1, CJK and emoji.
    let seed = 12345;
    const next = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
    const pools = [
      [0x20, 0x7e],
      [0xa0, 0xff],
      [0x4e00, 0x9fff],
      [0x1f600, 0x1f64f],
    ] as const;
    const samples = Array.from({ length: 300 }, (_, i) =>
      Array.from({ length: i }, () => {
        const [lo, hi] = pools[next(pools.length)]!;
        return String.fromCodePoint(lo + next(hi - lo + 1));
      }).join(''),
    );
    const list = samples.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ');
    const r = await c.runAndReadAll(`SELECT socfeed_hash_string(s) FROM (SELECT unnest([${list}]) AS s)`);
    expect(r.getRows().map((row) => row[0])).toEqual(samples.map((s) => kustoHash(s, 'string')));
  });

  it('hash datetimes as the reference does', async () => {
    // 100 ns ticks since the Unix epoch: 2015-01-01, the epoch, both ends of TIMESTAMP_NS, a 7-digit fraction.
    const ticks = [14200704000000000n, 0n, -92233720368547758n, 17408232001234567n, 92233720368547758n];
    const list = ticks.map((t) => `make_timestamp_ns(${t * 100n})`).join(', ');
    const r = await c.runAndReadAll(
      `SELECT epoch_ns(t) // 100, socfeed_hash_datetime(t) FROM (SELECT unnest([${list}]) AS t)`,
    );
    expect(r.getRows().length).toBe(ticks.length);
    for (const [t, h] of r.getRows() as [bigint, bigint][]) expect(h).toBe(kustoHash(t, 'datetime'));
  });
});
