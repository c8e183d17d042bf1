import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { ScalarLowering } from './scalar.js';

/**
 * parse_path: a file path or file:// URL cut into Kusto's parts, a bag with Kusto's property
 * names and order, every part a string ("" when absent) — the same cuts as the DuckDB dialect.
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
  const parts: [string, SqlExpr][] = [
    ['Scheme', extract(s, SCHEME)],
    ['RootPath', extract(rest, '^([A-Za-z]:)')],
    ['DirectoryPath', dir],
    ['DirectoryName', extract(dir, `(${NOT_SEP}*)$`)],
    ['Filename', file],
    ['Extension', extract(file, '\\.([^.]*)$')],
    ['AlternateDataStreamName', stream],
  ];
  const members = parts.flatMap(([k, v], i) => [
    str(`${i ? ',' : '{'}${JSON.stringify(k)}:`),
    fn('toJSONString', v),
  ]);
  return fn('concat', ...members, str('}'));
}

export const PATH_LOWERINGS: Record<string, ScalarLowering> = {
  parse_path: ([s], ctx) => parsePath(ctx.expr(s!)),
};
