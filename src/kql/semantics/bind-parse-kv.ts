import type { Operator, OperatorParam } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { colRef } from './naming.js';
import type { Env, RowScope } from './scope.js';
import { CONVERSION_FUNCTION, parseTypeName, type KqlScalarType } from './types.js';

/**
 * parse-kv: one new column per declared key. With delimiters (or none, Kusto's default of `:`/`=`
 * after a word), each key becomes its own regex: the key at the start or after a pair delimiter,
 * then the key/value delimiter, then a quoted value or an unquoted one (up to the next pair
 * delimiter, or with greedy=true up to the next `key=`). With `regex`, the pattern's two groups
 * are key and value and the internal `kv_lookup` call picks the first pair with the wanted key.
 * Everything is built from catalog calls, so any dialect that lowers them runs parse-kv.
 */
export function bindParseKv(
  b: Binder,
  op: Extract<Operator, { kind: 'parse-kv' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const source = b.exprs.asString(b.exprs.bind(op.expr, row, env));
  const p = (name: string) => param(b, op.params, name);
  const regex = p('regex');
  const quote = p('quote') ?? '';
  const escape = p('escape');
  const greedy = p('greedy') === 'true';
  const pairDelim = p('pair_delimiter');
  const kvDelim = p('kv_delimiter');
  if (quote.length > 2) b.fail('SF201', 'quote takes one character, or two (opening and closing)', op.span);
  const [open, close] = quote.length === 2 ? [quote[0]!, quote[1]!] : [quote, quote];

  const cols = [...input.cols];
  const exprs: IrExpr[] = cols.map(colRef);
  for (const c of op.columns) {
    const type = parseTypeName(c.type);
    if (!type) return b.fail('SF201', `unknown type '${c.type}'`, c.span);
    let text: IrExpr;
    if (regex !== undefined) {
      text = call('kv_lookup', 'string', [source, str(regex), str(c.name)]);
    } else {
      const keyAlt = open ? `(?:${esc(open)}${esc(c.name)}${esc(close)}|${esc(c.name)})` : esc(c.name);
      const start = pairDelim !== undefined ? `(?:^|${esc(pairDelim)})\\s*` : '(?:^|[^\\w])';
      const sep = kvDelim !== undefined ? `\\s*${esc(kvDelim)}\\s*` : '\\s*[:=]\\s*';
      const plainBody = pairDelim === undefined ? '[^\\s,;]*' : greedy ? '.*?' : `[^${escClass(pairDelim)}]*`;
      const plainTail =
        pairDelim !== undefined && greedy
          ? `(?:${esc(pairDelim)}[^${escClass(pairDelim)}]*?${kvDelim !== undefined ? esc(kvDelim) : '[:=]'}|$)`
          : '';
      const plain = `${start}${keyAlt}${sep}(${plainBody})${plainTail}`;
      let value: IrExpr = trim(extract(plain, source));
      if (open) {
        const inner = escape
          ? `(?:[^${escClass(close + escape)}]|${esc(escape)}.)*`
          : `[^${escClass(close)}]*`;
        const quoted = `${start}${keyAlt}${sep}${esc(open)}(${inner})${esc(close)}`;
        let q: IrExpr = extract(quoted, source);
        if (escape) q = call('replace_regex', 'string', [q, str(`${esc(escape)}(.)`), str('\\1')]);
        value = call('iff', 'string', [call('matches_regex', 'bool', [source, str(quoted)]), q, value]);
      }
      text = value;
    }
    const e = convertText(text, type);
    const col: IrColumn = b.ctx.column(c.name, type);
    const existing = cols.findIndex((x) => x.name === c.name);
    if (existing >= 0) {
      cols[existing] = col;
      exprs[existing] = e;
    } else {
      cols.push(col);
      exprs.push(e);
    }
  }
  return { kind: 'project', cols, input, exprs };
}

function param(b: Binder, params: OperatorParam[], name: string): string | undefined {
  const p = params.find((x) => x.name === name);
  if (!p) return undefined;
  if (typeof p.value === 'string') return p.value;
  if (p.value.kind === 'literal' && p.value.value !== null) return String(p.value.value);
  return b.fail('SF204', `parse-kv's ${name} must be a constant`, p.value.span);
}

const str = (v: string): IrExpr => ({ kind: 'const', type: 'string', value: v });
const call = (fn: string, type: KqlScalarType, args: IrExpr[]): IrExpr => ({ kind: 'call', fn, type, args });
const extract = (pattern: string, source: IrExpr): IrExpr =>
  call('extract', 'string', [str(pattern), { kind: 'const', type: 'long', value: 1n }, source]);
const trim = (e: IrExpr): IrExpr => call('trim', 'string', [str('\\s+'), e]);

/** An absent key is "" for strings and null for other types, like a failed conversion. */
function convertText(text: IrExpr, type: KqlScalarType): IrExpr {
  if (type === 'string') return text;
  return { kind: 'call', fn: CONVERSION_FUNCTION[type], type, args: [text], nullable: true };
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Escapes characters for use inside a regex character class. */
function escClass(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&');
}
