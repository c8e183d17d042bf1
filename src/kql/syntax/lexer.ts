import { diag, type Diagnostic } from '../diagnostics.js';
import {
  HYPHENATED_KEYWORDS,
  NEGATABLE_WORD_OPERATORS,
  PUNCTUATION,
  TIMESPAN_UNITS,
  type Token,
  type TokenKind,
} from './tokens.js';

const isIdentStart = (c: string) => /[A-Za-z_$\p{L}]/u.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_\p{L}\p{N}]/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Literal forms whose parenthesised content is raw text, not an expression: `datetime(2024-01-01 10:00)`. */
const RAW_LITERALS: Record<string, TokenKind> = {
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespanRaw',
  time: 'timespanRaw',
  guid: 'guid',
  uuid: 'guid',
  uniqueid: 'guid',
};

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

/**
 * Single pass over the text producing tokens with exact spans. Never throws: a bad character or
 * an unterminated string becomes a diagnostic and lexing continues.
 */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  let spaced = true;

  const push = (kind: TokenKind, start: number, end: number, tokText: string, value?: Token['value']) => {
    const t: Token = { kind, text: tokText, span: { start, end }, spaced };
    if (value !== undefined) t.value = value;
    tokens.push(t);
    spaced = false;
  };

  while (i < text.length) {
    const c = text[i]!;
    // whitespace
    // Unicode spaces and the zero-width space pasted from web pages count as whitespace.
    if (/\s/.test(c) || c === '\u200b') {
      i++;
      spaced = true;
      continue;
    }
    // comments
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      spaced = true;
      continue;
    }
    const start = i;
    // strings (incl. verbatim @'…', obfuscated h'…', multi-line ```…```)
    if (
      c === "'" ||
      c === '"' ||
      c === '`' ||
      ((c === '@' || c === 'h' || c === 'H') && isStringStart(text, i + 1))
    ) {
      const r = lexString(text, i);
      if (r.error) diagnostics.push(diag('SF003', r.error, { start, end: r.end }));
      push('string', start, r.end, r.value);
      i = r.end;
      continue;
    }
    // numbers and timespan literals
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]) && !isIdentPart(text[i - 1] ?? ' '))) {
      const r = lexNumber(text, i);
      if (r.error) diagnostics.push(diag('SF004', r.error, { start, end: r.end }));
      push(r.kind, start, r.end, text.slice(start, r.end), r.kind === 'ident' ? undefined : r.value);
      i = r.end;
      continue;
    }
    // identifiers, keywords, raw literals
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j]!)) j++;
      let word = text.slice(i, j);
      // `in~`
      if (word === 'in' && text[j] === '~') {
        word = 'in~';
        j++;
      }
      // `project-away`, `mv-expand`, `project-by-names`: parts are joined while they still spell
      // the start of a hyphenated keyword, and kept only once they spell a whole one.
      let probe = j;
      let candidate = word;
      while (text[probe] === '-' && isIdentStart(text[probe + 1] ?? '')) {
        let k = probe + 1;
        while (k < text.length && isIdentPart(text[k]!)) k++;
        candidate = `${candidate}-${text.slice(probe + 1, k)}`;
        probe = k;
        if (HYPHENATED_KEYWORDS.has(candidate)) {
          word = candidate;
          j = k;
        } else if (![...HYPHENATED_KEYWORDS].some((kw) => kw.startsWith(`${candidate}-`))) break;
      }
      const rawKind = RAW_LITERALS[word];
      if (rawKind && nextNonSpace(text, j) === '(') {
        const open = text.indexOf('(', j);
        const close = findRawClose(text, open + 1);
        if (close < 0) {
          diagnostics.push(diag('SF003', `unterminated ${word}(…) literal`, { start, end: text.length }));
          push(rawKind, start, text.length, text.slice(open + 1).trim());
          i = text.length;
        } else {
          push(rawKind, start, close + 1, text.slice(open + 1, close).trim());
          i = close + 1;
        }
        continue;
      }
      push('ident', start, j, word);
      i = j;
      continue;
    }
    // `!has`, `!in~`, `!between`, … (no space allowed after `!`)
    if (c === '!' && isIdentStart(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j]!)) j++;
      let word = text.slice(i + 1, j);
      if (word === 'in' && text[j] === '~') {
        word = 'in~';
        j++;
      }
      if (NEGATABLE_WORD_OPERATORS.has(word)) {
        push('ident', start, j, `!${word}`);
        i = j;
        continue;
      }
    }
    const p = PUNCTUATION.find((s) => text.startsWith(s, i));
    if (p) {
      push('punct', start, i + p.length, p);
      i += p.length;
      continue;
    }
    diagnostics.push(diag('SF002', `unexpected character '${c}'`, { start, end: i + 1 }));
    i++;
  }
  tokens.push({ kind: 'eof', text: '', span: { start: text.length, end: text.length }, spaced: true });
  return { tokens, diagnostics };
}

function nextNonSpace(text: string, i: number): string | undefined {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return text[i];
}

/** Index of the `)` closing a raw literal, allowing quoted content (`datetime("…")`). */
function findRawClose(text: string, i: number): number {
  let quote: string | undefined;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ')') return i;
    else if (c === '\n' || c === '|') return -1;
  }
  return -1;
}

function isStringStart(text: string, i: number): boolean {
  const c = text[i];
  if (c === "'" || c === '"') return true;
  // h@'…' (obfuscated verbatim)
  return c === '@' && (text[i + 1] === "'" || text[i + 1] === '"');
}

interface StringLex {
  value: string;
  end: number;
  error?: string;
}

function lexString(text: string, i: number): StringLex {
  if (text[i] === 'h' || text[i] === 'H') i++; // obfuscated: same value, hidden in logs
  let verbatim = false;
  if (text[i] === '@') {
    verbatim = true;
    i++;
  }
  if (text.startsWith('```', i) || text.startsWith('~~~', i)) {
    const fence = text.slice(i, i + 3);
    const close = text.indexOf(fence, i + 3);
    if (close < 0)
      return { value: text.slice(i + 3), end: text.length, error: 'unterminated multi-line string literal' };
    return { value: text.slice(i + 3, close), end: close + 3 };
  }
  const quote = text[i]!;
  if (quote === '`') return { value: '', end: i + 1, error: "unexpected character '`'" };
  let j = i + 1;
  let value = '';
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\n' && !verbatim) break;
    if (c === quote) {
      if (verbatim && text[j + 1] === quote) {
        value += quote;
        j += 2;
        continue;
      }
      return { value, end: j + 1 };
    }
    if (c === '\\' && !verbatim) {
      const e = text[j + 1];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '0': '\0',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (e !== undefined && simple[e] !== undefined) {
        value += simple[e];
        j += 2;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
        j += 6;
        continue;
      }
      if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(j + 2, j + 4))) {
        value += String.fromCharCode(parseInt(text.slice(j + 2, j + 4), 16));
        j += 4;
        continue;
      }
      return {
        value,
        end: Math.min(j + 2, text.length),
        error: `invalid escape sequence '\\${e ?? ''}' in string literal`,
      };
    }
    value += c;
    j++;
  }
  return { value, end: j, error: 'unterminated string literal' };
}

interface NumberLex {
  kind: TokenKind;
  value: number | bigint | string;
  end: number;
  error?: string;
}

function lexNumber(text: string, i: number): NumberLex {
  const start = i;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    let j = i + 2;
    while (j < text.length && /[0-9a-fA-F]/.test(text[j]!)) j++;
    if (j === i + 2)
      return { kind: 'long', value: 0n, end: j, error: "hexadecimal literal '0x' has no digits" };
    return { kind: 'long', value: BigInt(text.slice(i, j)), end: j };
  }
  let j = i;
  while (isDigit(text[j])) j++;
  let isReal = false;
  if (text[j] === '.' && text[j + 1] !== '.' && (isDigit(text[j + 1]) || !isIdentStart(text[j + 1] ?? ' '))) {
    isReal = true;
    j++;
    while (isDigit(text[j])) j++;
  }
  if (
    (text[j] === 'e' || text[j] === 'E') &&
    (isDigit(text[j + 1]) || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text[j + 2])))
  ) {
    isReal = true;
    j += 2;
    while (isDigit(text[j])) j++;
  }
  const numText = text.slice(start, j);
  if (isIdentStart(text[j] ?? ' ')) {
    let k = j;
    while (k < text.length && /[A-Za-z]/.test(text[k]!)) k++;
    const unit = text.slice(j, k);
    const ticks = TIMESPAN_UNITS[unit] ?? TIMESPAN_UNITS[unit.toLowerCase()];
    if (ticks !== undefined && !isIdentPart(text[k] ?? ' ')) {
      return { kind: 'timespan', value: scaleDecimal(numText, ticks), end: k };
    }
    while (k < text.length && isIdentPart(text[k]!)) k++;
    // Kusto accepts names that start with digits (`let 2022Exploited = …`).
    if (/^[\p{L}\p{N}_]+$/u.test(text.slice(start, k)))
      return { kind: 'ident', value: text.slice(start, k), end: k };
    return { kind: 'long', value: 0n, end: k, error: `invalid numeric literal '${text.slice(start, k)}'` };
  }
  if (isReal) return { kind: 'real', value: Number(numText), end: j };
  const big = BigInt(numText);
  if (big > 9223372036854775807n) return { kind: 'real', value: Number(numText), end: j };
  return { kind: 'long', value: big, end: j };
}

/** `1.5` × 36e9 exactly, rounded to a whole tick. */
export function scaleDecimal(numText: string, unit: bigint): bigint {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(numText);
  if (!m) return 0n;
  const intPart = m[1] || '0';
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0);
  let digits = BigInt(intPart + frac) * unit;
  let scale = frac.length - exp;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  const div = 10n ** BigInt(scale);
  return (digits + div / 2n) / div;
}
