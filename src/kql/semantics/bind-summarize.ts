import type { Assignment, CallExpr, Expr } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { AggCall, IrColumn, Rel } from '../../sql/ir/nodes.js';
import { aggregateFunction, type AggregateFunction } from './catalog/aggregate.js';
import { applyNameRule, RESULT_NAME_RULES } from './catalog/result-names.js';
import type { Binder } from './binder.js';
import { colRef, derivedName, NameAllocator } from './naming.js';
import type { Env, RowScope } from './scope.js';
import type { KqlScalarType } from './types.js';

/**
 * summarize: by-columns first, then aggregates. Aggregates may sit inside scalar expressions
 * (`summarize n = count() * 2`); those are computed by a project above the aggregate.
 * arg_max/arg_min return a whole row: one packed aggregate, unpacked by the project.
 */
export function bindSummarize(
  b: Binder,
  aggregates: Assignment[],
  by: Assignment[],
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const names = new NameAllocator([]);
  const groupCols: IrColumn[] = [];
  const groups: IrExpr[] = [];
  for (const g of by) {
    const { expr, name: innerName } = unwrapNamedBin(g.expr);
    const e = b.exprs.bind(expr, row, env);
    const name = g.names?.[0]?.name ?? innerName ?? groupName(expr) ?? names.nextColumnName();
    if (groupCols.some((c) => c.name === name))
      b.fail(
        'SF105',
        `duplicate column name '${name}'`,
        g.span,
        'give one of the by-expressions another name with Name = …',
      );
    names.take(name);
    const passthrough =
      e.kind === 'col' ? input.cols.find((c) => c.id === e.id && c.name === name) : undefined;
    groupCols.push(passthrough ?? { id: b.ctx.newId(), name, type: e.type });
    groups.push(e);
  }

  const aggs: AggCall[] = [];
  const aggCols: IrColumn[] = [];
  /** Output columns after the aggregate (by-columns, then one or more per aggregate assignment). */
  const outCols: IrColumn[] = [...groupCols];
  const outExprs: IrExpr[] = groupCols.map(colRef);
  let needsProject = false;

  const addAgg = (call: AggCall, name: string): IrColumn => {
    const col: IrColumn = { id: b.ctx.newId(), name, type: call.type };
    aggs.push(call);
    aggCols.push(col);
    return col;
  };

  for (const a of aggregates) {
    const top = a.expr.kind === 'call' ? aggregateFunction(a.expr.name) : undefined;
    if (top && a.expr.kind === 'call' && (top.id === 'arg_max' || top.id === 'arg_min')) {
      const packed = bindArgExtreme(b, top, a.expr, a, row, env, groupCols, names);
      const holder = addAgg(packed.call, `__packed${aggs.length}`);
      packed.fields.forEach((f, i) => {
        outCols.push(f);
        outExprs.push({
          kind: 'call',
          fn: 'row_field',
          type: f.type,
          args: [colRef(holder), { kind: 'const', type: 'long', value: BigInt(i) }],
        });
      });
      needsProject = true;
      continue;
    }
    if (top && a.expr.kind === 'call' && top.id === 'percentiles') {
      const call = a.expr;
      const x = b.exprs.bind(call.args[0]!, row, env);
      const base = derivedName(call.args[0]!) ?? '';
      call.args.slice(1).forEach((pAst, i) => {
        const p = b.exprs.bind(pAst, row, env);
        if (p.kind !== 'const') b.fail('SF204', 'percentile values must be constants', pAst.span);
        const pname = String(p.value).replace('.', '_');
        const name = a.names?.[i]?.name ?? names.unique(`percentile_${base}_${pname}`);
        const col = addAgg({ fn: 'percentile', args: [x, p], type: x.type }, name);
        outCols.push(col);
        outExprs.push(colRef(col));
      });
      continue;
    }
    if (
      top &&
      a.expr.kind === 'call' &&
      (top.id === 'percentilesw' || top.id === 'percentiles_array' || top.id === 'percentilesw_array')
    ) {
      bindWeightedPercentiles(b, top.id, a, row, env).forEach(({ call, name }, i) => {
        const col = addAgg(call, a.names?.[i]?.name ?? names.unique(name));
        outCols.push(col);
        outExprs.push(colRef(col));
      });
      continue;
    }
    if (a.names && a.names.length > 1)
      b.fail('SF303', 'several result names are only supported for arg_max, arg_min and percentiles', a.span);
    if (top && a.expr.kind === 'call') {
      const call = bindAggCall(b, top, a.expr, row, env);
      // A given name already produced (e.g. by arg_max(…, *)) is numbered, as Kusto does.
      const name = names.unique(a.names?.[0]?.name ?? defaultAggName(top, a.expr));
      const col = addAgg(call, name);
      outCols.push(col);
      outExprs.push(colRef(col));
      continue;
    }
    // An expression containing aggregates: the aggregates bind against the input rows, the
    // expression around them against the by-columns and the aggregate results.
    let found = 0;
    const exprRow: RowScope = {
      cols: groupCols,
      aggregate: (ast, fnDef) => {
        found++;
        return colRef(addAgg(bindAggCall(b, fnDef, ast, row, env), `__agg${aggs.length}`));
      },
    };
    const e = b.exprs.bind(a.expr, exprRow, env);
    if (found === 0)
      b.fail(
        'SF201',
        'summarize needs an aggregation function such as count(), dcount(x) or make_set(x)',
        a.expr.span,
      );
    const given = a.names?.[0]?.name ?? aggregateExprName(a.expr);
    const name = given !== undefined ? names.unique(given) : names.nextColumnName();
    outCols.push({ id: b.ctx.newId(), name, type: e.type });
    outExprs.push(e);
    needsProject = true;
  }

  const agg: Rel = { kind: 'aggregate', cols: [...groupCols, ...aggCols], input, groups, aggs };
  if (!needsProject) return agg;
  return { kind: 'project', cols: outCols, input: agg, exprs: outExprs };
}

/** `bin(Timestamp, 1h)` keeps the name `Timestamp`. */
/** `bin(Name = Timestamp, 5m)`: Kusto.Language names the group column after the inner name. */
function unwrapNamedBin(e: Expr): { expr: Expr; name?: string } {
  if (e.kind !== 'call' || !isBinLike(e) || e.args[0]?.kind !== 'namedArg') return { expr: e };
  const [first, ...rest] = e.args;
  return { expr: { ...e, args: [first.value, ...rest] }, name: first.name };
}

const isBinLike = (e: CallExpr) => e.name === 'bin' || e.name === 'floor' || e.name === 'bin_at';

function groupName(e: Expr): string | undefined {
  if (e.kind === 'call' && isBinLike(e) && e.args[0]) return derivedName(e.args[0]);
  return derivedName(e);
}

/**
 * An unnamed expression around an aggregate is named like Kusto names calls (result-names.ts)
 * with the aggregate's own name inside: `tostring(make_set(X))` → `set_X`; otherwise Column1….
 */
function aggregateExprName(e: Expr): string | undefined {
  if (e.kind !== 'call') return undefined;
  const agg = aggregateFunction(e.name);
  if (agg) return agg.resultName(aggArgName(e));
  const rule = RESULT_NAME_RULES.get(e.name);
  const inner = rule && e.args[0] ? aggregateExprName(e.args[0]) : undefined;
  if (!rule || inner === undefined) return undefined;
  return applyNameRule(rule, inner);
}

/** percentile(x, 55) is `percentile_x_55` (99.9 → `99_9`), like one of percentiles(); others by their rule. */
function defaultAggName(top: AggregateFunction, call: CallExpr): string {
  const p = call.args[1];
  if (
    top.id === 'percentile' &&
    p?.kind === 'literal' &&
    (p.type === 'long' || p.type === 'real' || p.type === 'int')
  )
    return `${top.resultName(aggArgName(call))}_${String(p.value).replace('.', '_')}`;
  return top.resultName(aggArgName(call));
}

/** Kusto names `make_set(tolower(X))` after the first column inside the argument: `set_X`. */
function aggArgName(call: CallExpr): string {
  const first = call.args[0];
  return first ? (derivedName(first) ?? firstName(first) ?? '') : '';
}

function firstName(e: Expr): string | undefined {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'call':
      for (const a of e.args) {
        const n = firstName(a);
        if (n) return n;
      }
      return undefined;
    case 'binary':
      return firstName(e.left) ?? firstName(e.right);
    case 'member':
    case 'index':
      return derivedName(e) ?? firstName(e.object);
    case 'unary':
      return firstName(e.operand);
    default:
      return undefined;
  }
}

function bindAggCall(b: Binder, f: AggregateFunction, call: CallExpr, row: RowScope, env: Env): AggCall {
  if (call.args.length < f.minArgs || call.args.length > f.maxArgs) {
    b.fail(
      'SF202',
      `${call.name}() takes ${f.minArgs === f.maxArgs ? f.minArgs : `${f.minArgs} to ${f.maxArgs}`} argument(s), got ${call.args.length}`,
      call.span,
    );
  }
  const args = call.args
    .map((a, i) => {
      if (a.kind === 'star' && f.id === 'count') return undefined;
      const e = b.exprs.bind(a, row, env);
      // the second argument of countif/…if is a predicate
      const isPredicate =
        (f.id === 'countif' && i === 0) || (/if$/.test(f.id) && i === 1) || (f.id === 'dcountif' && i === 1);
      return isPredicate ? b.exprs.asBool(e, a.span) : e;
    })
    .filter((x): x is IrExpr => x !== undefined);
  const types: KqlScalarType[] = args.map((a) => a.type);
  const result: AggCall = { fn: f.id, args, type: f.returns(types) };
  if (
    f.id === 'make_set' ||
    f.id === 'make_list' ||
    f.id === 'make_set_if' ||
    f.id === 'make_list_if' ||
    f.id === 'make_list_with_nulls'
  ) {
    const limitIdx = f.id.endsWith('_if') ? 2 : 1;
    const lim = args[limitIdx];
    if (lim) {
      if (lim.kind !== 'const')
        b.fail('SF204', `the size limit of ${call.name}() must be a constant`, call.span);
      result.limit = Number(lim.value);
      result.args = args.slice(0, limitIdx);
    } else if (call.name === 'makeset' || call.name === 'makelist') result.limit = 128;
  }
  if (f.id === 'dcount' || f.id === 'dcountif') result.args = args.slice(0, f.id === 'dcount' ? 1 : 2);
  // Exact sketches need no accuracy argument.
  if (f.id === 'hll' || f.id === 'hll_if') result.args = args.slice(0, f.id === 'hll' ? 1 : 2);
  if ((f.id === 'buildschema' || f.id === 'hll_merge' || f.id === 'tdigest_merge') && types[0] !== 'dynamic')
    b.fail('SF201', `${call.name}() needs a dynamic value`, call.args[0]!.span);
  return result;
}

function bindArgExtreme(
  b: Binder,
  f: AggregateFunction,
  call: CallExpr,
  a: Assignment,
  row: RowScope,
  env: Env,
  groupCols: IrColumn[],
  names: NameAllocator,
): { call: AggCall; fields: IrColumn[] } {
  const [target, ...rest] = call.args;
  if (!target) return b.fail('SF202', `${call.name}() needs the expression to maximize`, call.span);
  const key = b.exprs.bind(target, row, env);
  const fieldExprs: IrExpr[] = [key];
  const given = a.names?.map((n) => n.name) ?? [];
  const firstName = names.unique(given[0] ?? derivedName(target) ?? f.resultName(''));
  const fieldNames: string[] = [firstName];
  const keyColumn = target.kind === 'name' ? target.name : undefined;
  const groupNames = new Set(groupCols.map((c) => c.name));
  for (const r of rest) {
    if (r.kind === 'star') {
      // `*`: every other input column; by-columns and the maximised column itself are not repeated.
      for (const c of row.cols) {
        if (groupNames.has(c.name) || c.name === keyColumn || fieldNames.includes(c.name)) continue;
        fieldExprs.push(colRef(c));
        fieldNames.push(names.unique(c.name));
      }
      continue;
    }
    const e = b.exprs.bind(r, row, env);
    fieldExprs.push(e);
    fieldNames.push(
      names.unique(r.kind === 'namedArg' ? r.name : (derivedName(r) ?? names.nextColumnName())),
    );
  }
  given.slice(1).forEach((n, i) => {
    if (fieldNames[i + 1] !== undefined) fieldNames[i + 1] = n;
  });
  const fields = fieldNames.map((n, i) => ({ id: b.ctx.newId(), name: n, type: fieldExprs[i]!.type }));
  return { call: { fn: f.id, args: fieldExprs, type: 'dynamic', packed: true }, fields };
}

/**
 * percentilesw(x, weight, p1, p2…): one column per percentile; percentiles_array(x, p…) and
 * percentilesw_array(x, weight, p… or dynamic([p…])): one dynamic column of all of them. Each
 * value is an aggregate `percentile` (weight 1) or `percentilew` over constant percentages.
 */
function bindWeightedPercentiles(
  b: Binder,
  id: string,
  a: Assignment,
  row: RowScope,
  env: Env,
): { call: AggCall; name: string }[] {
  const call = a.expr as Extract<Assignment['expr'], { kind: 'call' }>;
  const weighted = id !== 'percentiles_array';
  const x = b.exprs.bind(call.args[0]!, row, env);
  const w = weighted ? b.exprs.convert(b.exprs.bind(call.args[1]!, row, env), 'long') : undefined;
  const base = derivedName(call.args[0]!) ?? '';
  const ps: { value: number; text: string }[] = [];
  for (const pAst of call.args.slice(weighted ? 2 : 1)) {
    const p = b.exprs.bind(pAst, row, env);
    if (p.kind !== 'const') b.fail('SF204', 'percentile values must be constants', pAst.span);
    const values = Array.isArray(p.value) ? p.value : [p.value];
    for (const v of values) {
      if (typeof v !== 'number' && typeof v !== 'bigint')
        b.fail('SF201', 'percentile values must be numbers', pAst.span);
      ps.push({ value: Number(v), text: String(v).replace('.', '_') });
    }
  }
  if (ps.length === 0) b.fail('SF202', `${call.name}() needs at least one percentile`, call.span);
  const one = (p: number): AggCall =>
    w
      ? { fn: 'percentilew', args: [x, w, { kind: 'const', type: 'real', value: p }], type: x.type }
      : { fn: 'percentile', args: [x, { kind: 'const', type: 'real', value: p }], type: x.type };
  if (id === 'percentilesw')
    return ps.map((p) => ({ call: one(p.value), name: `percentile_${base}_${p.text}` }));
  const list: IrExpr = { kind: 'const', type: 'dynamic', value: ps.map((p) => p.value) };
  return [
    {
      call: {
        fn: w ? 'percentilesw_array' : 'percentiles_array',
        args: w ? [x, w, list] : [x, list],
        type: 'dynamic',
      },
      name: `percentile_${base}`,
    },
  ];
}
