import { fn, type SqlExpr } from '../../ast/nodes.js';
import type { LowerContext } from '../dialect.js';
import type { IrExpr } from '../../ir/expr.js';
import type { ScalarLowering } from './scalar.js';

/**
 * DuckDB lowering of parse_url, parse_urlquery and parse_path. Each is a TEMP macro (installed
 * with DUCKDB_MACROS) because the parts are cut from the same text several times; DuckDB inlines
 * macros, so this costs nothing at run time. Results are JSON objects with Kusto's property
 * names and order; every part is a string ("" when absent), query parameters a bag.
 */

// scheme://[user[:password]@]host[:port][/path][?query][#fragment]; host may be a bracketed IPv6.
const URL_RE = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;

export const URL_MACROS: string[] = [
  // Query string → bag; keys and values URL-decoded; a key without `=` gets "".
  `CREATE OR REPLACE TEMP MACRO socfeed_urlquery_bag(q) AS
    CAST('{' || array_to_string(list_transform(list_filter(string_split(coalesce(q, ''), '&'), x -> x <> ''),
      x -> CAST(to_json(url_decode(CASE WHEN contains(x, '=') THEN split_part(x, '=', 1) ELSE x END)) AS VARCHAR) || ':' ||
           CAST(to_json(url_decode(CASE WHEN contains(x, '=') THEN substr(x, strpos(x, '=') + 1) ELSE '' END)) AS VARCHAR)), ',') || '}' AS JSON)`,
  `CREATE OR REPLACE TEMP MACRO socfeed_parse_url(s) AS
    CASE WHEN regexp_matches(s, '${URL_RE.replace(/'/g, "''")}') THEN
      json_object('Scheme', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 1),
                  'Host', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 4),
                  'Port', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 5),
                  'Path', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 6),
                  'Username', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 2),
                  'Password', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 3),
                  'Query Parameters', socfeed_urlquery_bag(regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 7)),
                  'Fragment', regexp_extract(s, '${URL_RE.replace(/'/g, "''")}', 8))
    ELSE json_object('Scheme', '', 'Host', '', 'Port', '', 'Path', '', 'Username', '', 'Password', '',
                     'Query Parameters', CAST('{}' AS JSON), 'Fragment', '') END`,
  // The path without its scheme (`file://`).
  `CREATE OR REPLACE TEMP MACRO socfeed_path_rest(s) AS regexp_replace(s, '^[A-Za-z][A-Za-z0-9+.\\-]+://', '')`,
  // Directory part: everything before the last / or \\ ("" when there is none).
  `CREATE OR REPLACE TEMP MACRO socfeed_path_dir(r) AS regexp_extract(r, '^(.*)[/\\\\][^/\\\\]*$', 1)`,
  // Last segment, which may carry an NTFS alternate data stream after ':' (not a drive's colon).
  `CREATE OR REPLACE TEMP MACRO socfeed_path_leaf(r) AS regexp_extract(regexp_replace(r, '^[A-Za-z]:', ''), '([^/\\\\]*)$', 1)`,
  `CREATE OR REPLACE TEMP MACRO socfeed_path_file(r) AS split_part(socfeed_path_leaf(r), ':', 1)`,
  `CREATE OR REPLACE TEMP MACRO socfeed_parse_path(s) AS
    json_object('Scheme', regexp_extract(s, '^([A-Za-z][A-Za-z0-9+.\\-]+)://', 1),
                'RootPath', regexp_extract(socfeed_path_rest(s), '^([A-Za-z]:)', 1),
                'DirectoryPath', socfeed_path_dir(socfeed_path_rest(s)),
                'DirectoryName', regexp_extract(socfeed_path_dir(socfeed_path_rest(s)), '([^/\\\\]*)$', 1),
                'Filename', socfeed_path_file(socfeed_path_rest(s)),
                'Extension', regexp_extract(socfeed_path_file(socfeed_path_rest(s)), '\\.([^.]*)$', 1),
                'AlternateDataStreamName', CASE WHEN contains(socfeed_path_leaf(socfeed_path_rest(s)), ':')
                  THEN substr(socfeed_path_leaf(socfeed_path_rest(s)), strpos(socfeed_path_leaf(socfeed_path_rest(s)), ':') + 1) ELSE '' END)`,
];

const call =
  (macro: string): ScalarLowering =>
  ([s]: IrExpr[], ctx: LowerContext): SqlExpr =>
    fn(macro, ctx.expr(s!));

export const URL_LOWERINGS: Record<string, ScalarLowering> = {
  parse_url: call('socfeed_parse_url'),
  parse_path: call('socfeed_parse_path'),
  parse_urlquery: ([s], ctx) =>
    fn(
      'json_object',
      { k: 'str', value: 'Query Parameters' },
      fn(
        'socfeed_urlquery_bag',
        fn('regexp_replace', ctx.expr(s!), { k: 'str', value: '^[^?]*\\?' }, { k: 'str', value: '' }),
      ),
    ),
};
