/**
 * XXH64 (seed 0) in SQL, for Kusto's hash() of values known only at run time. The reference is
 * ../common/xxhash64.ts (which hashes constants while compiling); these macros must agree with it
 * bit for bit (test/kql/functions/hash.kqltest, test/clickhouse/hash.test.ts).
 *
 * Lanes are UBIGINT. DuckDB raises an error on UBIGINT overflow, so products and sums modulo 2^64
 * go through UHUGEINT and are masked back; rotations mask the bits a left shift would push out.
 * Macros are inlined textually, so a macro that names a parameter twice evaluates the argument
 * twice: the arguments here are always lambda parameters or small expressions, and every state
 * that feeds the next step is bound once by a lambda (list_reduce / a one-element list_transform).
 *
 * Bytes of a string: `reverse(hex(encode(s)))` reverses the byte order but also swaps the two hex
 * digits of each byte, so the 16 digits of bytes p..p+7 parse as the little-endian word with its
 * nibbles swapped; one nibble swap gives the word. UTF-8 is whatever encode() produces, so
 * multi-byte characters hash as their bytes, as .NET's UTF-8 does.
 */

const P1 = '11400714785074694791';
const P2 = '14029467366897019727';
const P3 = '1609587929392839161';
const P4 = '9650029242287828579';
const P5 = '2870177450012600261';
const MASK = '18446744073709551615';

export const XXHASH_MACROS: string[] = [
  // a * b and a + b modulo 2^64, for UBIGINT a, b.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_mul(a, b) AS
    CAST((CAST(a AS UHUGEINT) * CAST(b AS UHUGEINT)) & CAST(${MASK} AS UHUGEINT) AS UBIGINT)`,
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_add(a, b) AS
    CAST((CAST(a AS UHUGEINT) + CAST(b AS UHUGEINT)) & CAST(${MASK} AS UHUGEINT) AS UBIGINT)`,
  // Left rotation by a constant r (1..63). x * (2^64 + 1) holds x twice side by side in 128 bits,
  // so bits 64-r .. 127-r are the rotation: x is named once, which keeps lambda bodies small
  // (DuckDB does not share repeated subexpressions inside a lambda).
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_rotl(x, r) AS
    CAST(((CAST(x AS UHUGEINT) * CAST(18446744073709551617 AS UHUGEINT)) >> CAST(64 - r AS UHUGEINT))
      & CAST(${MASK} AS UHUGEINT) AS UBIGINT)`,
  // One accumulator round: rotl(acc + input * P2, 31) * P1.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_round(acc, input) AS
    socfeed_xxh_mul(socfeed_xxh_rotl(CAST((CAST(acc AS UHUGEINT) + CAST(input AS UHUGEINT) * CAST(${P2} AS UHUGEINT))
      & CAST(${MASK} AS UHUGEINT) AS UBIGINT), 31), ${P1})`,
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_merge(h, v) AS
    socfeed_xxh_add(socfeed_xxh_mul(xor(h, socfeed_xxh_round(0, v)), ${P1}), ${P4})`,
  // Final mix, then the UBIGINT read as a signed long (Kusto's hash is a long).
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_avalanche(h) AS
    list_transform([socfeed_xxh_mul(xor(h, h >> 33), ${P2})], a ->
      list_transform([socfeed_xxh_mul(xor(a, a >> 29), ${P3})], b ->
        CAST(CAST(xor(xor(b, b >> 32), CAST(9223372036854775808 AS UBIGINT)) AS HUGEINT) - 9223372036854775808 AS BIGINT))[1])[1]`,
  // Little-endian value of the bytes whose hex digits are x: reversing the digits reverses the
  // bytes but also swaps the two digits of each byte, which the masks swap back (x is read twice).
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_le(x) AS
    ((CAST('0x' || reverse(x) AS UBIGINT) & CAST(1085102592571150095 AS UBIGINT)) << CAST(4 AS UBIGINT))
      | ((CAST('0x' || reverse(x) AS UBIGINT) >> CAST(4 AS UBIGINT)) & CAST(1085102592571150095 AS UBIGINT))`,
  // The 32-byte stripes of g as lists of 64 hex digits (a list literal below 256 bytes: cheaper than a regex).
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_chunks(g, n) AS
    CASE WHEN n < 256
      THEN list_slice([${Array.from({ length: 7 }, (_, i) => `substring(g, ${64 * i + 1}, 64)`).join(', ')}], 1, n // 32)
      ELSE regexp_extract_all(g, '.{64}') END`,
  // Accumulator lane k (0..3) after every stripe, from its initial value v.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_lane(g, n, k, v) AS
    list_reduce(list_transform(socfeed_xxh_chunks(g, n), x -> socfeed_xxh_le(substring(x, 16 * k + 1, 16))),
      (acc, e) -> socfeed_xxh_round(acc, e), CAST(v AS UBIGINT))`,
  // The four lanes merged into one value.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_stripes(g, n) AS
    list_transform([[socfeed_xxh_lane(g, n, 0, 6983438078262162902), socfeed_xxh_lane(g, n, 1, ${P2}),
      socfeed_xxh_lane(g, n, 2, 0), socfeed_xxh_lane(g, n, 3, 7046029288634856825)]], v ->
      socfeed_xxh_merge(socfeed_xxh_merge(socfeed_xxh_merge(socfeed_xxh_merge(
        socfeed_xxh_add(socfeed_xxh_add(socfeed_xxh_rotl(v[1], 1), socfeed_xxh_rotl(v[2], 7)),
          socfeed_xxh_add(socfeed_xxh_rotl(v[3], 12), socfeed_xxh_rotl(v[4], 18))),
        v[1]), v[2]), v[3]), v[4]))[1]`,
  // The tail: 8-byte words, then at most one 4-byte word (tagged with bit 32), then single bytes.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_tail(h, g, n) AS
    list_reduce(
      list_concat(
        CASE WHEN n % 8 >= 4 THEN [socfeed_xxh_le(substring(g, n // 8 * 16 + 1, 8)) + CAST(4294967296 AS UBIGINT)]
          ELSE CAST([] AS UBIGINT[]) END,
        list_transform(list_slice([substring(g, n // 4 * 8 + 1, 2), substring(g, n // 4 * 8 + 3, 2),
          substring(g, n // 4 * 8 + 5, 2)], 1, n % 4), x -> CAST('0x' || x AS UBIGINT))),
      (acc, e) -> CASE WHEN e >= 4294967296
        THEN socfeed_xxh_add(socfeed_xxh_mul(socfeed_xxh_rotl(
          xor(acc, socfeed_xxh_mul(e - CAST(4294967296 AS UBIGINT), ${P1})), 23), ${P2}), ${P3})
        ELSE socfeed_xxh_mul(socfeed_xxh_rotl(xor(acc, socfeed_xxh_mul(e, ${P5})), 11), ${P1}) END,
      list_reduce(
        list_transform(list_slice([substring(g, n // 32 * 64 + 1, 16), substring(g, n // 32 * 64 + 17, 16),
          substring(g, n // 32 * 64 + 33, 16)], 1, (n % 32) // 8), x -> socfeed_xxh_le(x)),
        (acc, e) -> socfeed_xxh_add(socfeed_xxh_mul(socfeed_xxh_rotl(xor(acc, socfeed_xxh_round(0, e)), 27), ${P1}), ${P4}),
        h))`,
  // XXH64 of n bytes given as hex digits g.
  `CREATE OR REPLACE TEMP MACRO socfeed_xxh_bytes(g, n) AS
    socfeed_xxh_avalanche(socfeed_xxh_tail(
      socfeed_xxh_add(CASE WHEN n >= 32 THEN socfeed_xxh_stripes(g, n) ELSE CAST(${P5} AS UBIGINT) END, n), g, n))`,
  // Kusto's hash() of a string: XXH64 of its UTF-8 bytes, as a signed long.
  `CREATE OR REPLACE TEMP MACRO socfeed_hash_string(s) AS
    socfeed_xxh_bytes(hex(encode(s)), octet_length(encode(s)))`,
  // Kusto's hash() of a datetime: XXH64 of its .NET ticks (100 ns since 0001-01-01) as 8 little-endian bytes.
  `CREATE OR REPLACE TEMP MACRO socfeed_hash_datetime(t) AS
    socfeed_xxh_avalanche(list_transform([xor(CAST(${P5} + 8 AS UBIGINT), socfeed_xxh_round(0,
      CAST(epoch_ns(t) // 100 + 621355968000000000 AS UBIGINT)))],
      x -> socfeed_xxh_add(socfeed_xxh_mul(socfeed_xxh_rotl(x, 27), ${P1}), ${P4}))[1])`,
];
