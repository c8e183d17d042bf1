import type { Span } from '../diagnostics.js';
import type { Operator, OperatorParam } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import { captureGroupCount } from '../../sql/dialects/common/term-regex.js';
import type { Binder } from './binder.js';
import { colRef } from './naming.js';
import type { Env, RowScope } from './scope.js';
import { parseTypeName, type KqlScalarType } from './types.js';

/**
 * parse / parse-where: the pattern becomes one regex, each column one capture group.
 * - simple: string columns capture lazily (the last one greedily), typed ones only text of their
 *   shape; the row matches only if the whole pattern matches and every typed value converts,
 *   otherwise every new column is empty (null, or "" for strings).
 * - regex: literal parts are the user's regex (their own groups are counted, so ours keep the
 *   right numbers); string and datetime columns capture greedily, as Kusto does.
 * - relaxed: as simple, but typed columns capture any text and a failed conversion empties only
 *   that column.
 * parse-where keeps only the rows where the match (and every conversion) succeeded.
 */
export function bindParse(
  b: Binder,
  op: Extract<Operator, { kind: 'parse' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const kind = paramValue(op.params, 'kind') ?? 'simple';
  const flags = paramValue(op.params, 'flags') ?? '';
  if (kind !== 'simple' && kind !== 'regex' && kind !== 'relaxed')
    b.fail('SF201', `unknown parse kind '${kind}'`, op.span, 'use simple, regex or relaxed');
  const source = b.exprs.asString(b.exprs.bind(op.expr, row, env));
  let regex = '';
  let groups = 0;
  const captures: { name: string; type: KqlScalarType; span: Span; group: number }[] = [];
  op.pattern.forEach((part, i) => {
    const last = i === op.pattern.length - 1;
    if (part.kind === 'literal') {
      const text = kind === 'regex' ? part.text! : escapeRegex(part.text!);
      regex += text;
      groups += kind === 'regex' ? captureGroupCount(text) : 0;
      return;
    }
    if (part.kind === 'wildcard') {
      regex += last ? '.*' : '.*?';
      return;
    }
    const t = part.type ? parseTypeName(part.type) : 'string';
    if (!t) return b.fail('SF201', `unknown type '${part.type}'`, part.span);
    groups++;
    captures.push({ name: part.name!, type: t, span: part.span, group: groups });
    regex += `(${captureBody(t, kind, last)})`;
  });
  const re = `${flags.includes('i') ? '(?i)' : ''}${flags.includes('s') ? '(?s)' : ''}${kind === 'regex' ? '' : '^'}${regex}`;
  const reConst: IrExpr = { kind: 'const', type: 'string', value: re };
  const values = captures.map((c) =>
    call(
      'extract',
      c.type,
      [
        reConst,
        { kind: 'const', type: 'long', value: BigInt(c.group) },
        source,
        { kind: 'const', type: 'string', value: `typeof:${c.type}` },
      ],
      true,
    ),
  );
  let ok: IrExpr = call('matches_regex', 'bool', [source, reConst]);
  values.forEach((v, i) => {
    if (captures[i]!.type !== 'string') ok = call('and', 'bool', [ok, call('isnotnull', 'bool', [v])]);
  });
  const cols = [...input.cols];
  const exprs: IrExpr[] = cols.map(colRef);
  captures.forEach((c, i) => {
    const empty: IrExpr = { kind: 'const', type: c.type, value: c.type === 'string' ? '' : null };
    const e =
      kind === 'relaxed' ? values[i]! : call('iff', c.type, [ok, values[i]!, empty], c.type !== 'string');
    const col: IrColumn = { id: b.ctx.newId(), name: c.name, type: c.type };
    const existing = cols.findIndex((x) => x.name === c.name);
    if (existing >= 0) {
      cols[existing] = col;
      exprs[existing] = e;
    } else {
      cols.push(col);
      exprs.push(e);
    }
  });
  const projected: Rel = { kind: 'project', cols, input, exprs };
  if (!op.where) return projected;
  const filtered: Rel = { kind: 'filter', cols: input.cols, input, predicate: ok };
  return { ...projected, input: filtered } as Rel;
}

function captureBody(t: KqlScalarType, kind: string, last: boolean): string {
  const shape =
    t === 'long' || t === 'int'
      ? '-?\\d+'
      : t === 'real' || t === 'decimal'
        ? '-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?'
        : t === 'bool'
          ? '(?:true|false|True|False|TRUE|FALSE|1|0)'
          : undefined;
  const any = kind === 'regex' || last ? '.*' : '.*?';
  // Relaxed: text of the wrong shape is still consumed (its conversion then fails alone).
  if (shape) return kind === 'relaxed' ? `${shape}|${any}` : shape;
  return any;
}

const call = (fn: string, type: KqlScalarType, args: IrExpr[], nullable = false): IrExpr => ({
  kind: 'call',
  fn,
  type,
  args,
  ...(nullable ? { nullable: true } : {}),
});

function paramValue(params: OperatorParam[], name: string): string | undefined {
  const p = params.find((x) => x.name === name);
  if (!p) return undefined;
  if (typeof p.value === 'string') return p.value;
  return p.value.kind === 'literal' ? String(p.value.value) : undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
