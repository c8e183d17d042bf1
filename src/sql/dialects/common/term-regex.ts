/**
 * RE2 patterns for Kusto's term operators (has, hasprefix, hassuffix and their _cs forms).
 * Terms are maximal runs of ASCII letters and digits; case folding is ASCII-only, so letters
 * become `[aA]` classes instead of `(?i)` (RE2's `(?i)` would also fold `K` with the Kelvin
 * sign and `ä` with `Ä`, which Kusto does not). A needle edge that is itself a separator needs
 * no boundary on that side. Both DuckDB and ClickHouse use RE2, so one builder serves both.
 */
const TERM_CHAR = /[0-9A-Za-z]/;
const BEFORE = '(?:^|[^0-9A-Za-z])';
const AFTER = '(?:$|[^0-9A-Za-z])';

export type TermMode = 'has' | 'prefix' | 'suffix';

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Literal text as an RE2 fragment, with ASCII letters folded when case-insensitive. */
export function literalPattern(text: string, caseSensitive: boolean): string {
  let out = '';
  for (const ch of text) {
    if (!caseSensitive && /[A-Za-z]/.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\x00';
    else out += escapeRegex(ch);
  }
  return out;
}

interface Edges {
  before: boolean;
  after: boolean;
}

function edges(needle: string, mode: TermMode): Edges {
  const first = needle[0] ?? '';
  const last = needle[needle.length - 1] ?? '';
  return {
    before: mode !== 'suffix' && TERM_CHAR.test(first),
    after: mode !== 'prefix' && TERM_CHAR.test(last),
  };
}

/**
 * Needles per regex. RE2 runs a literal alternation as one DFA while the DFA fits its memory
 * budget; far past a few hundred case-insensitive needles it falls back to a much slower engine
 * (measured: 800 needles 0.15 s, 1,500 needles 5 s over 550k rows), so big lists are split.
 */
export const MAX_REGEX_NEEDLES = 800;

/** The list cut into runs of at most `size` items. */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * One pattern matching when the subject `has` any of the needles (empty needles excluded by
 * the caller). Needles are grouped by which boundaries they need so each group is one
 * alternation: `(?:^|\W)(?:a|b)(?:$|\W)`.
 */
export function termAnyPattern(needles: string[], mode: TermMode, caseSensitive: boolean): string {
  const groups = new Map<string, string[]>();
  for (const n of needles) {
    const e = edges(n, mode);
    const key = `${e.before ? 1 : 0}${e.after ? 1 : 0}`;
    const list = groups.get(key) ?? [];
    list.push(literalPattern(n, caseSensitive));
    groups.set(key, list);
  }
  const parts: string[] = [];
  for (const [key, list] of groups) {
    const body = list.length === 1 ? list[0]! : `(?:${list.join('|')})`;
    parts.push(`${key[0] === '1' ? BEFORE : ''}${body}${key[1] === '1' ? AFTER : ''}`);
  }
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(?:${p})`).join('|');
}

/** Whether every character is ASCII (then fast case-insensitive engine functions are exact enough). */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
  return /^[\x00-\x7f]*$/.test(text);
}

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The capturing groups of an RE2 pattern in order, each with its name if it has one: `(` not
 * escaped, not inside a class (a `]` right after `[` is a literal), not `(?:`/`(?=`/`(?!`/`(?<=`…;
 * named groups are `(?P<n>…)` or `(?<n>…)`.
 */
export function captureGroups(pattern: string): { name?: string }[] {
  const groups: { name?: string }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && pattern[i + 1] !== '?') groups.push({});
    else if (c === '(') {
      const named = /^\?P?<([A-Za-z_]\w*)>/.exec(pattern.slice(i + 1));
      if (named) groups.push({ name: named[1]! });
    }
  }
  return groups;
}

export function captureGroupCount(pattern: string): number {
  return captureGroups(pattern).length;
}

/**
 * extract_all's groups to return, as 1-based numbers: those its captureGroups argument names (by
 * number or name, in that order), else all of them. Undefined when the selection is not a
 * constant array of valid groups.
 */
export function selectedGroups(pattern: string, selection: unknown): number[] | undefined {
  const groups = captureGroups(pattern);
  if (selection === undefined) return groups.map((_, i) => i + 1);
  if (!Array.isArray(selection) || selection.length === 0) return undefined;
  const out: number[] = [];
  for (const s of selection) {
    const n =
      typeof s === 'string'
        ? groups.findIndex((g) => g.name === s) + 1
        : typeof s === 'number' || typeof s === 'bigint'
          ? Number(s)
          : 0;
    if (!Number.isInteger(n) || n < 1 || n > groups.length) return undefined;
    out.push(n);
  }
  return out;
}
