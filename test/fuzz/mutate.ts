/**
 * Seeded mutation of KQL text for fuzzing: a deterministic PRNG, a rough tokenizer (good enough to
 * cut text at plausible places — it is not a KQL lexer), and mutators that produce the kinds of
 * broken input users type: deleted, duplicated or swapped tokens, truncation, stray punctuation
 * and quotes, unbalanced or deeply nested brackets, odd Unicode.
 * Case `i` of seed `s` depends only on (s, i) and the seed queries, so one case can be replayed.
 */

/** xorshift32 (Marsaglia) over a 32-bit state; plenty for choosing mutations. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
    for (let i = 0; i < 4; i++) this.u32(); // spread small seeds
  }

  u32(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Mixes the run seed and the case index into one 32-bit seed. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (index + 0x27d4eb2f), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const TOKEN_RE = new RegExp(
  [
    String.raw`\s+`,
    String.raw`//[^\n]*`,
    '```[\\s\\S]*?```',
    String.raw`@"[^"]*"`,
    String.raw`@'[^']*'`,
    String.raw`"(?:[^"\\\n]|\\.)*"`,
    String.raw`'(?:[^'\\\n]|\\.)*'`,
    String.raw`\d+(?:\.\d+)?(?:[a-z]+)?`,
    String.raw`[A-Za-z_$][A-Za-z0-9_$]*(?:-[A-Za-z]+)*`,
    String.raw`==|!=|=~|!~|<=|>=|=>|\.\.|!?[A-Za-z_]+~?`,
    String.raw`[\s\S]`,
  ].join('|'),
  'g',
);

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

const PUNCTUATION = [...'()[]{}|,;:.=!<>~+-*/%@$#?\\'];
const QUOTES = ['"', "'", '`', '@"', "@'", '```', '"\\', "h'"];
const OPENERS = ['(', '[', '{'];
const KEYWORDS = [
  '|',
  'where',
  'project',
  'extend',
  'summarize',
  'by',
  'let',
  'on',
  'join',
  'kind=',
  'union',
  'datatable',
  'dynamic',
  'between',
  '..',
  'has',
  'in~',
  '!in',
  'and',
  'or',
  'not',
  '=',
  '==',
  ',',
  ';',
  '(',
  ')',
  '[',
  ']',
  'mv-expand',
  'parse',
  'with',
  '*',
  'typeof',
  'materialize',
  'toscalar',
  'count()',
  'todynamic',
  '$left.',
];
const ODD_CHARS = [
  '\u0000',
  '\u200b',
  '\ufeff',
  'é',
  'ß',
  '😀',
  '\ud800',
  '\r',
  '\t',
  '\u2028',
  '\u00a0',
  '\u0085',
];

export interface Mutant {
  text: string;
  /** Names of the mutations applied, in order. */
  steps: string[];
}

type Mutation = (tokens: string[], rng: Rng) => string[];

const at = (tokens: string[], rng: Rng): number => rng.int(Math.max(1, tokens.length));
const insert = (tokens: string[], i: number, ...items: string[]): string[] => [
  ...tokens.slice(0, i),
  ...items,
  ...tokens.slice(i),
];

const MUTATIONS: Record<string, Mutation> = {
  delete: (t, rng) => {
    const i = at(t, rng);
    return [...t.slice(0, i), ...t.slice(i + 1)];
  },
  duplicate: (t, rng) => {
    const i = at(t, rng);
    return insert(t, i, t[i] ?? '');
  },
  swap: (t, rng) => {
    const i = at(t, rng);
    const j = Math.min(t.length - 1, i + 1 + rng.int(3));
    if (i >= j) return t;
    const c = [...t];
    [c[i], c[j]] = [c[j]!, c[i]!];
    return c;
  },
  truncate: (t, rng) => {
    const text = t.join('');
    return [text.slice(0, rng.int(text.length + 1))];
  },
  punctuation: (t, rng) => insert(t, at(t, rng), rng.pick(PUNCTUATION)),
  quote: (t, rng) => insert(t, at(t, rng), rng.pick(QUOTES)),
  unbalance: (t, rng) => {
    const brackets = t.map((x, i) => (/^[()[\]{}]$/.test(x) ? i : -1)).filter((i) => i >= 0);
    if (brackets.length > 0 && rng.int(2) === 0) {
      const i = rng.pick(brackets);
      return [...t.slice(0, i), ...t.slice(i + 1)];
    }
    return insert(t, at(t, rng), rng.pick(OPENERS));
  },
  keyword: (t, rng) => {
    const i = at(t, rng);
    const c = [...t];
    c[i] = ` ${rng.pick(KEYWORDS)} `;
    return c;
  },
  unicode: (t, rng) => insert(t, at(t, rng), rng.pick(ODD_CHARS)),
  splice: (t, rng) => {
    const from = at(t, rng);
    const len = 1 + rng.int(20);
    return insert(t, at(t, rng), ...t.slice(from, from + len));
  },
  nest: (t, rng) => {
    const i = at(t, rng);
    const j = i + rng.int(Math.max(1, t.length - i));
    const depth = 1 + rng.int(rng.int(4) === 0 ? 1000 : 20);
    const open = rng.pick(OPENERS);
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    return [
      ...t.slice(0, i),
      open.repeat(depth),
      ...t.slice(i, j),
      close.repeat(rng.int(2) === 0 ? depth : rng.int(depth + 1)),
      ...t.slice(j),
    ];
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Applies 1–3 random mutations to a random seed query. */
export function mutant(seeds: readonly string[], rng: Rng): Mutant {
  let tokens = tokenize(rng.pick(seeds));
  const steps: string[] = [];
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) {
    const name = rng.pick(MUTATION_NAMES);
    tokens = MUTATIONS[name]!(tokens, rng);
    steps.push(name);
  }
  return { text: tokens.join(''), steps };
}
