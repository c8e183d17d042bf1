import type { KqlScalarType } from '../types.js';
import { commonType, promoteNumeric } from '../types.js';
import { EXTRA_SCALAR_FUNCTIONS } from './scalar-extra.js';
import { TEXT_MATH_FUNCTIONS } from './scalar-text-math.js';

/**
 * The scalar function catalog: one declaration per KQL function (aliases share one id). The
 * binder reads arity and result types from here; each SQL dialect lowers the same ids
 * (src/sql/dialects/*). A function here without a lowering in a dialect is reported as SF302.
 */
export type ReturnRule =
  | KqlScalarType
  | 'arg0'
  | 'arg1'
  | 'arg2'
  | 'promote'
  | 'common'
  | ((args: KqlScalarType[]) => KqlScalarType | undefined);

export interface ScalarFunction {
  id: string;
  names: string[];
  minArgs: number;
  maxArgs: number;
  returns: ReturnRule;
  /** The result can be null even when no argument is (e.g. toint("x")). Strings never are. */
  mayBeNull?: boolean;
  /** Arguments that must be compile-time constants (e.g. regex patterns, part names). */
  constArgs?: number[];
  /** For a spelling whose parameters come in another order than the id's: the written positions, in the id's order. */
  argOrder?: number[];
}

const fn = (
  names: string | string[],
  minArgs: number,
  maxArgs: number,
  returns: ReturnRule,
  extra: Partial<ScalarFunction> = {},
): ScalarFunction => {
  const list = Array.isArray(names) ? names : [names];
  return { id: list[0]!, names: list, minArgs, maxArgs, returns, ...extra };
};

const MANY = 64;
const UNLIMITED = Number.MAX_SAFE_INTEGER;

const numericResult = (args: KqlScalarType[]) =>
  promoteNumeric(args[0] ?? 'real', args[1] ?? args[0] ?? 'real');

export const SCALAR_FUNCTIONS: ScalarFunction[] = [
  // --- conversion
  fn(['tostring'], 1, 1, 'string'),
  fn(['toint'], 1, 1, 'int', { mayBeNull: true }),
  fn(['tolong'], 1, 1, 'long', { mayBeNull: true }),
  fn(['todouble', 'toreal'], 1, 1, 'real', { mayBeNull: true }),
  fn(['todecimal'], 1, 1, 'decimal', { mayBeNull: true }),
  fn(['tobool', 'toboolean'], 1, 1, 'bool', { mayBeNull: true }),
  fn(['todatetime'], 1, 1, 'datetime', { mayBeNull: true }),
  fn(['totimespan', 'totime'], 1, 1, 'timespan', { mayBeNull: true }),
  fn(['toguid'], 1, 1, 'guid', { mayBeNull: true }),
  fn(['todynamic', 'parse_json', 'parsejson', 'toobject'], 1, 1, 'dynamic', { mayBeNull: true }),
  fn(['tohex'], 1, 2, 'string'),
  // --- strings
  fn('tolower', 1, 1, 'string'),
  fn('toupper', 1, 1, 'string'),
  fn('strlen', 1, 1, 'long'),
  fn('substring', 2, 3, 'string'),
  fn('strcat', 1, MANY, 'string'),
  fn('strcat_delim', 2, MANY, 'string'),
  fn('strcat_array', 2, 2, 'string'),
  fn('split', 2, 3, 'dynamic'),
  fn('replace_string', 3, 3, 'string'),
  fn('replace_regex', 3, 3, 'string', { constArgs: [1] }),
  // The obsolete replace(regex, rewrite, text) takes its arguments in another order (Kusto.Language).
  { ...fn('replace', 3, 3, 'string', { constArgs: [0] }), id: 'replace_regex', argOrder: [2, 0, 1] },
  fn('replace_strings', 3, 3, 'string'),
  fn('trim', 2, 2, 'string', { constArgs: [0] }),
  fn('trim_start', 2, 2, 'string', { constArgs: [0] }),
  fn('trim_end', 2, 2, 'string', { constArgs: [0] }),
  fn('indexof', 2, 5, 'long', { mayBeNull: true }),
  fn('indexof_regex', 2, 5, 'long', { mayBeNull: true, constArgs: [1] }),
  fn('countof', 2, 3, 'long', { constArgs: [2] }),
  fn('extract', 3, 4, (a) => a[3] ?? 'string', { constArgs: [0, 1], mayBeNull: true }),
  fn(['extract_all', 'extractall'], 2, 3, 'dynamic', { constArgs: [0] }),
  fn('reverse', 1, 1, 'string'),
  fn('strrep', 2, 3, 'string'),
  fn('string_size', 1, 1, 'long'),
  fn('isascii', 1, 1, 'bool'),
  fn('isutf8', 1, 1, 'bool'),
  fn('url_decode', 1, 1, 'string'),
  fn('url_encode', 1, 1, 'string'),
  fn('url_encode_component', 1, 1, 'string'),
  fn(['base64_decode_tostring', 'base64_decodestring'], 1, 1, 'string'),
  fn(['base64_encode_tostring', 'base64_encodestring'], 1, 1, 'string'),
  fn('base64_decode_toarray', 1, 1, 'dynamic'),
  fn('hash_sha256', 1, 1, 'string'),
  fn('hash_sha1', 1, 1, 'string'),
  fn('hash_md5', 1, 1, 'string'),
  fn('hash', 1, 2, 'long'),
  fn('parse_url', 1, 1, 'dynamic'),
  fn('parse_urlquery', 1, 1, 'dynamic'),
  fn('parse_path', 1, 1, 'dynamic'),
  fn('parse_command_line', 2, 2, 'dynamic'),
  fn('parse_csv', 1, 1, 'dynamic'),
  fn('parse_xml', 1, 1, 'dynamic', { mayBeNull: true }),
  fn('parse_user_agent', 2, 2, 'dynamic'),
  fn('parse_version', 1, 1, 'decimal', { mayBeNull: true }),
  fn(['extractjson', 'extract_json'], 2, 3, (a) => a[2] ?? 'string', { constArgs: [0] }),
  fn('format_datetime', 2, 2, 'string', { constArgs: [1] }),
  fn('format_timespan', 2, 2, 'string', { constArgs: [1] }),
  fn('gettype', 1, 1, 'string'),
  fn('translate', 3, 3, 'string'),
  // --- null and emptiness
  fn('isempty', 1, 1, 'bool'),
  fn(['isnotempty', 'notempty'], 1, 1, 'bool'), // notempty: the old spelling, still accepted
  fn('isnull', 1, 1, 'bool'),
  fn('isnotnull', 1, 1, 'bool'),
  fn(['iff', 'iif'], 3, 3, (a) => commonType(a[1]!, a[2]!)),
  fn('case', 3, MANY, (a) =>
    a
      .filter((_, i) => i % 2 === 1 || i === a.length - 1)
      .reduce<KqlScalarType | undefined>((t, x) => (t ? commonType(t, x) : undefined), a[1]),
  ),
  fn('coalesce', 1, MANY, (a) =>
    a.reduce<KqlScalarType | undefined>((t, x) => (t ? commonType(t, x) : undefined), a[0]),
  ),
  fn('not', 1, 1, 'bool'),
  // --- numbers
  fn('abs', 1, 1, 'arg0'),
  fn('round', 1, 2, 'arg0'),
  fn('ceiling', 1, 1, 'arg0'),
  fn('sqrt', 1, 1, 'real'),
  fn('pow', 2, 2, 'real'),
  fn('exp', 1, 1, 'real'),
  fn('exp2', 1, 1, 'real'),
  fn('exp10', 1, 1, 'real'),
  fn('log', 1, 1, 'real'),
  fn('log2', 1, 1, 'real'),
  fn('log10', 1, 1, 'real'),
  fn('sign', 1, 1, 'arg0'),
  fn('isnan', 1, 1, 'bool'),
  fn('isinf', 1, 1, 'bool'),
  fn('isfinite', 1, 1, 'bool'),
  fn('rand', 0, 1, 'real'),
  fn('pi', 0, 0, 'real'),
  fn('min_of', 1, MANY, 'common'),
  fn('max_of', 1, MANY, 'common'),
  fn(['bin', 'floor'], 2, 2, 'arg0'),
  fn('bin_at', 3, 3, 'arg0'),
  fn(['binary_and'], 2, 2, 'long'),
  fn(['binary_or'], 2, 2, 'long'),
  fn(['binary_xor'], 2, 2, 'long'),
  fn(['binary_not'], 1, 1, 'long'),
  fn(['binary_shift_left'], 2, 2, 'long'),
  fn(['binary_shift_right'], 2, 2, 'long'),
  // --- date and time
  fn('now', 0, 1, 'datetime'),
  fn('ago', 1, 1, 'datetime'),
  fn('startofday', 1, 2, 'datetime'),
  fn('startofweek', 1, 2, 'datetime'),
  fn('startofmonth', 1, 2, 'datetime'),
  fn('startofyear', 1, 2, 'datetime'),
  fn('endofday', 1, 2, 'datetime'),
  fn('endofweek', 1, 2, 'datetime'),
  fn('endofmonth', 1, 2, 'datetime'),
  fn('endofyear', 1, 2, 'datetime'),
  fn('datetime_diff', 3, 3, 'long', { constArgs: [0] }),
  fn('datetime_add', 3, 3, 'datetime', { constArgs: [0] }),
  fn(['datetime_part', 'datepart'], 2, 2, 'int', { constArgs: [0] }),
  fn('dayofweek', 1, 1, 'timespan'),
  fn('dayofmonth', 1, 1, 'int'),
  fn('dayofyear', 1, 1, 'int'),
  fn('hourofday', 1, 1, 'int'),
  fn(['monthofyear', 'getmonth'], 1, 1, 'int'),
  fn('getyear', 1, 1, 'int'),
  fn(['weekofyear', 'week_of_year'], 1, 1, 'int'),
  fn('unixtime_seconds_todatetime', 1, 1, 'datetime'),
  fn('unixtime_milliseconds_todatetime', 1, 1, 'datetime'),
  fn('unixtime_microseconds_todatetime', 1, 1, 'datetime'),
  fn('unixtime_nanoseconds_todatetime', 1, 1, 'datetime'),
  fn('datetime_utc_to_local', 2, 2, 'datetime'),
  fn('datetime_local_to_utc', 2, 2, 'datetime'),
  fn('make_datetime', 3, 7, 'datetime'),
  fn('make_timespan', 2, 4, 'timespan'),
  fn('ingestion_time', 0, 0, 'datetime'),
  // --- dynamic
  fn('array_length', 1, 1, 'long', { mayBeNull: true }),
  fn('pack_array', 0, UNLIMITED, 'dynamic'), // no documented limit (IOC lists of 65+ literals are common)
  fn(['bag_pack', 'pack', 'pack_dictionary'], 0, MANY, 'dynamic'),
  fn('pack_all', 0, 1, 'dynamic'),
  fn('bag_keys', 1, 1, 'dynamic', { mayBeNull: true }),
  fn('bag_merge', 1, MANY, 'dynamic'),
  fn('bag_remove_keys', 2, 2, 'dynamic'),
  fn('bag_has_key', 2, 2, 'bool'),
  fn('bag_set_key', 3, 3, 'dynamic'),
  fn('array_concat', 1, MANY, 'dynamic'),
  fn('array_index_of', 2, 5, 'long', { mayBeNull: true }),
  fn('array_slice', 3, 3, 'dynamic'),
  fn(['array_sort_asc'], 1, MANY, 'dynamic'),
  fn(['array_sort_desc'], 1, MANY, 'dynamic'),
  fn('array_reverse', 1, 1, 'dynamic'),
  fn('array_sum', 1, 1, 'real'),
  fn('array_split', 2, 2, 'dynamic'),
  fn('array_iff', 3, 3, 'dynamic'),
  fn('set_has_element', 2, 2, 'bool'),
  fn('set_union', 2, MANY, 'dynamic'),
  fn('set_intersect', 2, MANY, 'dynamic'),
  fn('set_difference', 2, MANY, 'dynamic'),
  fn('zip', 2, MANY, 'dynamic'),
  fn('repeat', 2, 2, 'dynamic'),
  fn('range', 2, 3, 'dynamic'),
  fn('jaccard_index', 2, 2, 'dynamic'),
  // --- networking
  fn('parse_ipv4', 1, 1, 'long', { mayBeNull: true }),
  fn('parse_ipv4_mask', 2, 2, 'long', { mayBeNull: true }),
  fn('ipv4_is_private', 1, 1, 'bool', { mayBeNull: true }),
  fn('ipv4_is_in_range', 2, 2, 'bool', { mayBeNull: true }),
  fn('ipv4_is_in_any_range', 2, MANY, 'bool', { mayBeNull: true }),
  fn('ipv4_is_match', 2, 3, 'bool', { mayBeNull: true }),
  fn('ipv4_compare', 2, 3, 'long', { mayBeNull: true }),
  fn('has_ipv4', 2, 2, 'bool'),
  fn('has_ipv4_prefix', 2, 2, 'bool'),
  fn('has_any_ipv4', 2, MANY, 'bool'),
  fn('ipv6_is_match', 2, 3, 'bool', { mayBeNull: true }),
  fn('ipv6_compare', 2, 3, 'long', { mayBeNull: true }),
  fn('parse_ipv6', 1, 1, 'string'),
  fn('format_ipv4', 1, 2, 'string'),
  fn('format_ipv4_mask', 1, 2, 'string'),
  fn('geo_info_from_ip_address', 1, 1, 'dynamic'),
  // --- tabular-to-scalar
  fn('toscalar', 1, 1, 'arg0'),
  ...EXTRA_SCALAR_FUNCTIONS,
  ...TEXT_MATH_FUNCTIONS,
];

const BY_NAME = new Map<string, ScalarFunction>();
for (const f of SCALAR_FUNCTIONS) for (const n of f.names) BY_NAME.set(n, f);

export function scalarFunction(name: string): ScalarFunction | undefined {
  return BY_NAME.get(name);
}

export function scalarFunctionNames(): string[] {
  return [...BY_NAME.keys()];
}

export function resolveReturn(f: ScalarFunction, args: KqlScalarType[]): KqlScalarType | undefined {
  const r = f.returns;
  if (typeof r === 'function') return r(args);
  switch (r) {
    case 'arg0':
      return args[0];
    case 'arg1':
      return args[1];
    case 'arg2':
      return args[2];
    case 'promote':
      return numericResult(args);
    case 'common':
      return args.reduce<KqlScalarType | undefined>((t, x) => (t ? commonType(t, x) : undefined), args[0]);
    default:
      return r;
  }
}
