import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { ScalarLowering } from './scalar.js';

/**
 * parse_path, parse_url and parse_urlquery: a file path or URL cut into Kusto's parts, a bag with
 * Kusto's property names and order, every part a string ("" when absent), query parameters a bag
 * — the same cuts as the DuckDB dialect.
 */
const SCHEME = '^([A-Za-z][A-Za-z0-9+.\\-]+)://';
const SEP = '[/\\\\]';
const NOT_SEP = '[^/\\\\]';

const extract = (s: SqlExpr, re: string) => fn('regexpExtract', s, str(re), num(1));

function parsePath(s: SqlExpr): SqlExpr {
  // The path without its scheme, its directory (everything before the last / or \), and the last
  // segment, which may carry an NTFS alternate data stream after ':' (not a drive's colon).
  const rest = fn('replaceRegexpOne', s, str(SCHEME), str(''));
  const dir = extract(rest, `^(.*)${SEP}${NOT_SEP}*$`);
  const leaf = extract(fn('replaceRegexpOne', rest, str('^[A-Za-z]:'), str('')), `(${NOT_SEP}*)$`);
  const file = { k: 'index' as const, e: fn('splitByChar', str(':'), leaf), index: num(1) };
  const colon = fn('position', leaf, str(':'));
  const stream = caseWhen([[op('>', colon, num(0)), fn('substring', leaf, op('+', colon, num(1)))]], str(''));
  return bagOf([
    ['Scheme', fn('toJSONString', extract(s, SCHEME))],
    ['RootPath', fn('toJSONString', extract(rest, '^([A-Za-z]:)'))],
    ['DirectoryPath', fn('toJSONString', dir)],
    ['DirectoryName', fn('toJSONString', extract(dir, `(${NOT_SEP}*)$`))],
    ['Filename', fn('toJSONString', file)],
    ['Extension', fn('toJSONString', extract(file, '\\.([^.]*)$'))],
    ['AlternateDataStreamName', fn('toJSONString', stream)],
  ]);
}

/** A bag written from [key, value] text pairs in order. */
function bagOf(parts: [string, SqlExpr][]): SqlExpr {
  const members = parts.flatMap(([k, v], i) => [str(`${i ? ',' : '{'}${JSON.stringify(k)}:`), v]);
  return fn('concat', ...members, str('}'));
}

// scheme://[user[:password]@]host[:port][/path][?query][#fragment]; host may be a bracketed IPv6.
const URL_RE = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;

/** Query string → bag: keys and values URL-decoded (`+` stays), a key without `=` gets "". */
function queryBag(q: SqlExpr): SqlExpr {
  const X = { k: 'col' as const, name: '__q' };
  const eq = fn('position', X, str('='));
  const key = caseWhen([[op('>', eq, num(0)), fn('substring', X, num(1), op('-', eq, num(1)))]], X);
  const value = caseWhen([[op('>', eq, num(0)), fn('substring', X, op('+', eq, num(1)))]], str(''));
  const member = fn(
    'concat',
    fn('toJSONString', fn('decodeURLComponent', key)),
    str(':'),
    fn('toJSONString', fn('decodeURLComponent', value)),
  );
  const fields = fn(
    'arrayFilter',
    { k: 'lambda', params: ['__q'], body: op('<>', X, str('')) },
    fn('splitByChar', str('&'), q),
  );
  const members = fn('arrayMap', { k: 'lambda', params: ['__q'], body: member }, fields);
  return fn('concat', str('{'), fn('arrayStringConcat', members, str(',')), str('}'));
}

function parseUrl(s: SqlExpr): SqlExpr {
  const part = (i: number) => fn('regexpExtract', s, str(URL_RE), num(i));
  const text = (i: number) => fn('toJSONString', part(i));
  const matched = bagOf([
    ['Scheme', text(1)],
    ['Host', text(4)],
    ['Port', text(5)],
    ['Path', text(6)],
    ['Username', text(2)],
    ['Password', text(3)],
    ['Query Parameters', queryBag(part(7))],
    ['Fragment', text(8)],
  ]);
  const empty = fn('toJSONString', str(''));
  const unmatched = bagOf([
    ['Scheme', empty],
    ['Host', empty],
    ['Port', empty],
    ['Path', empty],
    ['Username', empty],
    ['Password', empty],
    ['Query Parameters', str('{}')],
    ['Fragment', empty],
  ]);
  return caseWhen([[fn('match', s, str(URL_RE)), matched]], unmatched);
}

export const PATH_LOWERINGS: Record<string, ScalarLowering> = {
  parse_path: ([s], ctx) => parsePath(ctx.expr(s!)),
  parse_url: ([s], ctx) => parseUrl(ctx.expr(s!)),
  parse_urlquery: ([s], ctx) =>
    bagOf([['Query Parameters', queryBag(fn('replaceRegexpOne', ctx.expr(s!), str('^[^?]*\\?'), str('')))]]),
};
