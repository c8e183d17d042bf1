import type { Expr, Operator } from '../syntax/ast.js';
import type { IrExpr, JsonLike } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { bindPivot } from './bind-pivot.js';
import { colRef } from './naming.js';
import type { Env, RowScope } from './scope.js';
import { parseTypeName, type KqlScalarType } from './types.js';

/**
 * `evaluate` plugins. bag_unpack turns the properties of a dynamic column into columns; its
 * output schema must be known when binding, so the keys come from the declared schema
 * (`evaluate bag_unpack(d) : (*, Name:string)`), from constant input rows (datatable/print,
 * through row-preserving operators), or from the data: binding records a request
 * (ctx.bagKeyRequests) and fails with SF303; the engine runs the input for its keys and binds
 * again with ctx.bagKeys (src/engine/bag-keys.ts). Data without any property makes an "open"
 * bag_unpack (OpenBag in scope.ts).
 */
export function bindEvaluate(
  b: Binder,
  op: Extract<Operator, { kind: 'evaluate' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  if (op.plugin.name === 'bag_unpack') return bagUnpack(b, op, input, row, env);
  if (op.plugin.name === 'ipv4_lookup') return ipv4Lookup(b, op, input, row, env);
  if (op.plugin.name === 'pivot') return bindPivot(b, op, input, row, env);
  return b.fail('SF301', `evaluate ${op.plugin.name}() is not supported yet`, op.span);
}

function bagUnpack(
  b: Binder,
  op: Extract<Operator, { kind: 'evaluate' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const positional = op.plugin.args.filter((a) => a.kind !== 'namedArg');
  const named = new Map<string, Expr>();
  for (const a of op.plugin.args) if (a.kind === 'namedArg') named.set(a.name, a.value);
  const [colAst, prefixAst] = positional;
  if (!colAst) return b.fail('SF202', 'bag_unpack() needs the dynamic column to unpack', op.plugin.span);
  const source = b.exprs.bind(colAst, row, env);
  if (source.type !== 'dynamic')
    b.fail('SF201', `bag_unpack() needs a dynamic column, found ${source.type}`, colAst.span);
  const prefix = prefixAst ? constString(b, prefixAst, env) : '';
  const conflictAst = named.get('columnsConflict');
  const conflict = conflictAst ? constString(b, conflictAst, env) : 'error';
  const ignoredAst = named.get('ignoredProperties');
  const ignored = new Set<string>();
  if (ignoredAst) {
    const v = b.exprs.bind(ignoredAst, row, env);
    if (v.kind !== 'const' || !Array.isArray(v.value))
      b.fail('SF204', 'ignoredProperties must be a constant dynamic array', ignoredAst.span);
    for (const x of v.value as JsonLike[]) if (typeof x === 'string') ignored.add(x);
  }
  const sourceId = source.kind === 'col' ? source.id : undefined;
  const kept = input.cols.filter((c) => c.id !== sourceId);
  const get = (key: string, t: KqlScalarType): IrExpr => {
    const v: IrExpr = {
      kind: 'call',
      fn: 'dyn_get',
      type: 'dynamic',
      args: [source, { kind: 'const', type: 'string', value: key }],
      nullable: true,
    };
    return t === 'dynamic' ? v : b.exprs.convert(v, t);
  };

  if (op.schema) {
    // Declared schema: the listed columns, typed; `*` keeps the input's other columns.
    const declared = op.schema.columns.map((c) => {
      const t = parseTypeName(c.type);
      if (!t) return b.fail('SF201', `unknown type '${c.type}'`, c.span);
      const key = prefix && c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name;
      return { col: b.ctx.column(c.name, t), expr: get(key, t) };
    });
    const names = new Set(declared.map((d) => d.col.name));
    const rest = op.schema.star ? kept.filter((c) => !names.has(c.name)) : [];
    const restPart = rest.map((c) => ({ col: c, expr: colRef(c) as IrExpr }));
    const all = op.schema.star === 'last' ? [...declared, ...restPart] : [...restPart, ...declared];
    return { kind: 'project', cols: all.map((x) => x.col), input, exprs: all.map((x) => x.expr) };
  }

  const found = b.ctx.bagKeys[op.span.start];
  const keys =
    sourceId === undefined
      ? undefined
      : (constantKeys(input, sourceId) ?? (found ? new Set(found) : undefined));
  if (!keys) {
    // The engine can run the input to find the keys, then bind again (see BindResult.bagKeyRequests).
    if (sourceId !== undefined)
      b.ctx.bagKeyRequests.push({ spanStart: op.span.start, rel: input, colId: sourceId });
    return b.fail(
      'SF303',
      'bag_unpack() takes its output columns from the data, which compiling alone cannot see (running the query finds them)',
      op.span,
      'or declare them: evaluate bag_unpack(Col) : (*, Key1:string, Key2:long)',
    );
  }
  const cols: IrColumn[] = [...kept];
  const exprs: IrExpr[] = kept.map(colRef);
  if (keys.size === 0) {
    // No properties in the data (no rows, or only empty bags): no new columns, and the result is
    // open (OpenBag): a later name that is no column reads as the key every bag lacks.
    const open: Rel = { kind: 'project', cols, input, exprs };
    b.ctx.openBags.set(open, { span: op.span, prefix, ignored: [...ignored] });
    return open;
  }
  for (const key of [...keys].sort()) {
    if (ignored.has(key)) continue;
    const name = prefix + key;
    const existing = cols.findIndex((c) => c.name === name);
    if (existing >= 0) {
      if (conflict === 'keep_source') continue;
      if (conflict !== 'replace_source')
        b.fail(
          'SF105',
          `bag_unpack() would make a second column '${name}'`,
          op.span,
          "add columnsConflict='replace_source' or 'keep_source', or a column prefix",
        );
      cols[existing] = b.ctx.column(name, 'dynamic');
      exprs[existing] = get(key, 'dynamic');
      continue;
    }
    cols.push(b.ctx.column(name, 'dynamic'));
    exprs.push(get(key, 'dynamic'));
  }
  return { kind: 'project', cols, input, exprs };
}

/**
 * ipv4_lookup(Table, IpColumn, RangeColumn[, return_unmatched]): each input row joined with the
 * lookup rows whose range (CIDR) contains its address; with return_unmatched, rows without a
 * match are kept with empty lookup columns. Planned as a filtered cross join (ranges of any
 * prefix length cannot be an equality key), plus an anti join for the unmatched rows.
 */
function ipv4Lookup(
  b: Binder,
  op: Extract<Operator, { kind: 'evaluate' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const positional = op.plugin.args.filter((a) => a.kind !== 'namedArg');
  const [tableAst, ipAst, rangeAst, unmatchedAst] = positional;
  const namedUnmatched = op.plugin.args.find((a) => a.kind === 'namedArg' && a.name === 'return_unmatched');
  if (!tableAst || !ipAst || !rangeAst)
    return b.fail(
      'SF202',
      'ipv4_lookup() needs a lookup table, the address column and the range column',
      op.plugin.span,
    );
  const lookup = b.exprs.tabularItem(tableAst, env);
  if (!lookup) return b.fail('SF205', 'the first argument of ipv4_lookup() must be a table', tableAst.span);
  const ip = b.exprs.asString(b.exprs.bind(ipAst, row, env));
  const range = b.exprs.asString(b.exprs.bind(rangeAst, b.rowOf(lookup), env));
  const unmatchedExpr =
    unmatchedAst ?? (namedUnmatched?.kind === 'namedArg' ? namedUnmatched.value : undefined);
  const keepUnmatched = unmatchedExpr ? b.exprs.bind(unmatchedExpr, row, env) : undefined;
  const one: IrExpr = { kind: 'const', type: 'long', value: 1n };
  const names = new Set(input.cols.map((c) => c.name));
  const rightCols = lookup.cols.map((c) => ({ ...c, name: names.has(c.name) ? `${c.name}1` : c.name }));
  const cols = [...input.cols, ...rightCols];
  const joined: Rel = { kind: 'join', cols, joinKind: 'inner', left: input, right: lookup, on: [[one, one]] };
  const matched: Rel = {
    kind: 'filter',
    cols,
    input: joined,
    predicate: { kind: 'call', fn: 'ipv4_is_in_range', type: 'bool', args: [ip, range], nullable: true },
  };
  if (!(keepUnmatched?.kind === 'const' && keepUnmatched.value === true)) return matched;
  // Rows without a match: the input rows whose address is not among the matched ones.
  const matchedIps: Rel = {
    kind: 'project',
    cols: [b.ctx.column('ip', 'string')],
    input: matched,
    exprs: [ip],
  };
  const unmatched: Rel = {
    kind: 'join',
    cols: input.cols,
    joinKind: 'leftanti',
    left: input,
    right: matchedIps,
    on: [[ip, colRef(matchedIps.cols[0]!)]],
  };
  const outCols = cols.map((c) => b.ctx.column(c.name, c.type));
  const part = (rel: Rel, exprs: IrExpr[]): Rel => ({
    kind: 'project',
    cols: outCols.map((c) => ({ ...c, id: b.ctx.newId() })),
    input: rel,
    exprs,
  });
  const empty = (t: KqlScalarType): IrExpr => ({ kind: 'const', type: t, value: t === 'string' ? '' : null });
  return {
    kind: 'union',
    cols: outCols,
    inputs: [
      part(matched, cols.map(colRef)),
      part(unmatched, [...input.cols.map(colRef), ...rightCols.map((c) => empty(c.type))]),
    ],
  };
}

/**
 * Operators whose output still holds every column of their input but the ones they name, so the
 * unknown columns of an open bag_unpack would still be there: they keep it open. project,
 * summarize, distinct and the like list their whole output, so any other name is an error again;
 * join, lookup and union are closed too, to keep this small (an unknown name there is at least
 * ambiguous as to its side).
 */
const KEEPS_OPEN_BAG = new Set<Operator['kind']>([
  'where',
  'extend',
  'sort',
  'take',
  'top',
  'sample',
  'serialize',
  'as',
  'render',
  'project-away',
  'project-rename',
  'project-reorder',
  'mv-expand',
  'parse',
  'parse-kv',
]);

/** `out`, the result of `op` over `input`, marked open when `input` is an open bag_unpack's (see OpenBag). */
export function carryOpenBag(b: Binder, op: Operator, input: Rel, out: Rel): Rel {
  const bag = b.ctx.openBags.get(input);
  if (bag && KEEPS_OPEN_BAG.has(op.kind)) b.ctx.openBags.set(out, bag);
  return out;
}

function constString(b: Binder, e: Expr, env: Env): string {
  const v = b.exprs.bind(e, { cols: [] }, env);
  if (v.kind !== 'const' || typeof v.value !== 'string')
    return b.fail('SF204', 'expected a constant string', e.span);
  return v.value;
}

/** Property names of a column whose values are constants (datatable/print), following it through row-preserving operators. */
function constantKeys(rel: Rel, id: number): Set<string> | undefined {
  switch (rel.kind) {
    case 'values': {
      const i = rel.cols.findIndex((c) => c.id === id);
      if (i < 0) return undefined;
      const keys = new Set<string>();
      for (const r of rel.rows) {
        const cell = r[i]!;
        if (cell.kind !== 'const') return undefined;
        const v = cell.value;
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) keys.add(k);
      }
      return keys;
    }
    case 'filter':
    case 'sort':
    case 'limit':
    case 'serialize':
      return constantKeys(rel.input, id);
    case 'project': {
      const i = rel.cols.findIndex((c) => c.id === id);
      if (i < 0) return undefined;
      const e = rel.exprs[i]!;
      if (e.kind === 'col') return constantKeys(rel.input, e.id);
      if (e.kind === 'const' && e.value && typeof e.value === 'object' && !Array.isArray(e.value))
        return new Set(Object.keys(e.value));
      return undefined;
    }
    default:
      return undefined;
  }
}
