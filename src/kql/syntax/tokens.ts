import type { Span } from '../diagnostics.js';

export type TokenKind =
  | 'ident' // names and keywords (keywords are identified by text: KQL keywords are contextual)
  | 'bracketIdent' // ['name with spaces'] or ["x"]
  | 'string'
  | 'long'
  | 'real'
  | 'timespan'
  | 'datetime' // datetime(...) raw literal
  | 'timespanRaw' // timespan(...) / time(...) raw literal
  | 'guid' // guid(...) raw literal
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** For punct and ident: the text; for literals: the decoded value as text. */
  text: string;
  span: Span;
  /** Numeric value for long/real/timespan (ticks for timespan). */
  value?: number | bigint | string;
  /** True when whitespace or a comment precedes the token (some operators care: `!has` vs `! has`). */
  spaced: boolean;
}

/**
 * Punctuation, longest first so the lexer can match greedily. `<>` is the old spelling of `!=`.
 */
export const PUNCTUATION = [
  '..',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '=>',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ';',
  '.',
  ':',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '!',
  '?',
  '@',
] as const;

/** Operator names written with a hyphen; the lexer joins `project` `-` `away` into one token. */
export const HYPHENATED_KEYWORDS = new Set([
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'project-by-names',
  'project-smart',
  'mv-expand',
  'mv-apply',
  'parse-where',
  'parse-kv',
  'make-series',
  'top-nested',
  'top-hitters',
  'make-graph',
  'graph-match',
  'graph-merge',
  'graph-to-table',
  'sample-distinct',
]);

/** KQL's string operators (each also has a `!` form); they are also the catalog ids they bind to. */
export const STRING_OPERATORS = [
  'has',
  'has_cs',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
] as const;

/** String operators that have a `!` negated form written without a space (`!has`, `!in~`). */
export const NEGATABLE_WORD_OPERATORS = new Set<string>([
  ...STRING_OPERATORS,
  'in',
  'in~',
  'between',
  'has_all',
  'has_any',
]);

/** Units of timespan literals (`5d`, `1.5h`, `100ms`) and their length in 100 ns ticks. */
export const TIMESPAN_UNITS: Record<string, bigint> = {
  d: 864_000_000_000n,
  day: 864_000_000_000n,
  days: 864_000_000_000n,
  h: 36_000_000_000n,
  hr: 36_000_000_000n,
  hrs: 36_000_000_000n,
  hour: 36_000_000_000n,
  hours: 36_000_000_000n,
  m: 600_000_000n,
  min: 600_000_000n,
  minute: 600_000_000n,
  minutes: 600_000_000n,
  s: 10_000_000n,
  sec: 10_000_000n,
  second: 10_000_000n,
  seconds: 10_000_000n,
  ms: 10_000n,
  milli: 10_000n,
  millis: 10_000n,
  millisecond: 10_000n,
  milliseconds: 10_000n,
  microsecond: 10n,
  microseconds: 10n,
  tick: 1n,
  ticks: 1n,
};
