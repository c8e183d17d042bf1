/**
 * How Kusto names an unnamed column computed by a scalar function call (Kusto.Language's
 * ResultNameKind), as data. Functions not listed give `Column1`, `Column2`, …
 *   first:  the first argument's own name (`tostring(UserId)` → `UserId`, `tostring(d.a)` → `d_a`)
 *   prefix: a prefix before it (`strlen(s)` → `strlen_s`)
 *   suffix: a suffix after it (`array_sort_asc(j)` → `j_sorted`)
 * Probed against Microsoft's binder (@kusto/language-service-next) for every catalog function;
 * note the irregular cases it reports (startofday is named after its argument, startofweek is not).
 */
export type ResultNameRule =
  | { kind: 'first' }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'suffix'; suffix: string }
  /** A name of its own whatever the argument (`hll_merge(a, b)` → `hll_merged_result`). */
  | { kind: 'fixed'; name: string };

/** The column name a rule gives a call whose first argument is named `base`. */
export function applyNameRule(rule: ResultNameRule, base: string): string {
  switch (rule.kind) {
    case 'first':
      return base;
    case 'prefix':
      return `${rule.prefix}${base}`;
    case 'suffix':
      return `${base}${rule.suffix}`;
    case 'fixed':
      return rule.name;
  }
}

const FIRST: ResultNameRule = { kind: 'first' };

const FIRST_ARGUMENT = [
  'tostring',
  'toint',
  'tolong',
  'todouble',
  'toreal',
  'todecimal',
  'tobool',
  'toboolean',
  'todatetime',
  'totimespan',
  'totime',
  'toguid',
  'todynamic',
  'toobject',
  'parse_json',
  'parsejson',
  'tohex',
  'split',
  'parse_csv',
  'parse_xml',
  'format_datetime',
  'format_timespan',
  'abs',
  'round',
  'ceiling',
  'sqrt',
  'pow',
  'exp',
  'exp2',
  'exp10',
  'log',
  'log2',
  'log10',
  'rand',
  'bin',
  'floor',
  'bin_at',
  'binary_and',
  'binary_or',
  'binary_xor',
  'binary_not',
  'binary_shift_left',
  'binary_shift_right',
  'startofday',
  'make_datetime',
  'make_timespan',
];

export const RESULT_NAME_RULES: ReadonlyMap<string, ResultNameRule> = new Map<string, ResultNameRule>([
  ...FIRST_ARGUMENT.map((n): [string, ResultNameRule] => [n, FIRST]),
  ['strlen', { kind: 'prefix', prefix: 'strlen_' }],
  ['string_size', { kind: 'prefix', prefix: 'string_size_' }],
  ['gettype', { kind: 'prefix', prefix: 'type_' }],
  ['repeat', { kind: 'prefix', prefix: 'repeat_' }],
  ['array_sort_asc', { kind: 'suffix', suffix: '_sorted' }],
  ['array_sort_desc', { kind: 'suffix', suffix: '_sorted' }],
  ['dcount_hll', { kind: 'prefix', prefix: 'dcount_hll_' }],
  ['percentile_tdigest', { kind: 'prefix', prefix: 'percentile_tdigest_' }],
  ['hll_merge', { kind: 'fixed', name: 'hll_merged_result' }],
  ['merge_tdigest', { kind: 'fixed', name: 'tdigests_merge_result' }],
  ['tdigest_merge', { kind: 'fixed', name: 'tdigests_merge_result' }],
]);
