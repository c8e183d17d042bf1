/** Strings hash() is checked on, on every engine (test/compiler/xxhash.test.ts, test/clickhouse/hash.test.ts). */
const ALPHA = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every length 0..70 (the 4-, 8- and 32-byte boundaries), multi-byte UTF-8, long text. */
export const HASH_SAMPLES: string[] = [
  ...Array.from({ length: 71 }, (_, n) => ALPHA.repeat(2).slice(0, n)),
  'World',
  'héllo wörld',
  '日本語のテキスト',
  '🙂 emoji 🙂🙂🙂🙂🙂🙂🙂🙂 long enough for a stripe or two',
  '\u0001\u00ff\uffff',
  'ÿ'.repeat(33),
  'x'.repeat(1000),
];
