/**
 * XXH64 (seed 0), the hash Kusto's hash() returns, as a signed 64-bit value. Used at compile time
 * for constant arguments, and the reference the engines' run-time hashes are tested against
 * (DuckDB's SQL macros in ../duckdb/xxhash.ts, ClickHouse's xxHash64): test/compiler/xxhash.test.ts,
 * test/clickhouse/hash.test.ts.
 */
const M = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: number): bigint => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M;
const round = (acc: bigint, input: bigint): bigint => (rotl((acc + input * P2) & M, 31) * P1) & M;
const merge = (acc: bigint, val: bigint): bigint => ((acc ^ round(0n, val)) * P1 + P4) & M;

export function xxhash64(buf: Uint8Array): bigint {
  const len = buf.length;
  const u64 = (i: number): bigint => {
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(buf[i + k]!);
    return v;
  };
  const u32 = (i: number): bigint =>
    BigInt(buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16)) + (BigInt(buf[i + 3]!) << 24n);
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & M;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & M;
    for (; p <= len - 32; p += 32) {
      v1 = round(v1, u64(p));
      v2 = round(v2, u64(p + 8));
      v3 = round(v3, u64(p + 16));
      v4 = round(v4, u64(p + 24));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) & M;
    for (const v of [v1, v2, v3, v4]) h = merge(h, v);
  } else h = P5;
  h = (h + BigInt(len)) & M;
  for (; p + 8 <= len; p += 8) h = (rotl(h ^ round(0n, u64(p)), 27) * P1 + P4) & M;
  if (p + 4 <= len) {
    h = (rotl(h ^ ((u32(p) * P1) & M), 23) * P2 + P3) & M;
    p += 4;
  }
  for (; p < len; p++) h = (rotl(h ^ ((BigInt(buf[p]!) * P5) & M), 11) * P1) & M;
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h >= 1n << 63n ? h - (1n << 64n) : h;
}

/** Ticks between 0001-01-01 and the Unix epoch: Kusto hashes a datetime as its .NET ticks. */
const DOTNET_EPOCH_TICKS = 621_355_968_000_000_000n;

/** Kusto's hash() of a constant string or datetime (100 ns ticks since the Unix epoch), or undefined. */
export function kustoHash(value: unknown, type: string): bigint | undefined {
  if (type === 'string' && typeof value === 'string') return xxhash64(new TextEncoder().encode(value));
  if (type === 'datetime' && typeof value === 'bigint') {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, value + DOTNET_EPOCH_TICKS, true);
    return xxhash64(bytes);
  }
  return undefined;
}
