import type { CallExpr, Expr, Operator } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { AggCall, IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { aggregateFunction } from './catalog/aggregate.js';
import { colRef } from './naming.js';
import type { Env, RowScope } from './scope.js';
import { parseTypeName, promoteNumeric, type KqlScalarType } from './types.js';

type Evaluate = Extract<Operator, { kind: 'evaluate' }>;

/** The aggregates pivot accepts, each as its `…if` form restricted to one pivot value. */
const CONDITIONAL: Record<string, string> = {
  count: 'countif',
  sum: 'sumif',
  avg: 'avgif',
  min: 'minif',
  max: 'maxif',
  dcount: 'dcountif',
};

/**
 * `evaluate pivot(Col [, agg(x)] [, By1, …])`: one row per distinct by-tuple (default: every
 * column but Col and x), one column per distinct value of Col holding agg over that value's rows
 * (default count()). Planned as one aggregate of conditional aggregates (`countif(tostring(Col)
 * == "v")`), so no new IR. The value columns come from the data: like bag_unpack, binding records
 * a request (distinct tostring(Col) of the input) and fails with SF303; the engine runs it and
 * binds again with the values in ctx.bagKeys. A declared schema names the value columns instead.
 */
export function bindPivot(b: Binder, op: Evaluate, input: Rel, row: RowScope, env: Env): Rel {
  const positional = op.plugin.args.filter((a) => a.kind !== 'namedArg');
  const [colAst, ...rest] = positional;
  if (!colAst) return b.fail('SF202', 'pivot() needs the column whose values become columns', op.plugin.span);
  if (positional.length !== op.plugin.args.length)
    b.fail('SF202', 'pivot() takes no named arguments', op.plugin.span);
  const pivot = b.exprs.bind(colAst, row, env);
  const key: IrExpr =
    pivot.type === 'string' ? pivot : { kind: 'call', fn: 'tostring', type: 'string', args: [pivot] };

  let aggAst: CallExpr | undefined;
  const first = rest[0];
  if (first && first.kind === 'call' && aggregateFunction(first.name)) {
    aggAst = first;
    rest.shift();
  }
  const fnId = aggAst ? aggregateFunction(aggAst.name)!.id : 'count';
  const conditional = CONDITIONAL[fnId];
  if (!conditional)
    return b.fail(
      'SF303',
      `pivot() supports count, sum, avg, min, max and dcount, not ${fnId}()`,
      aggAst?.span ?? op.plugin.span,
    );
  const wantArgs = fnId === 'count' ? 0 : 1;
  if (aggAst && aggAst.args.length !== wantArgs)
    b.fail('SF202', `${aggAst.name}() in pivot() takes ${wantArgs} argument(s)`, aggAst.span);
  const x = aggAst && wantArgs === 1 ? b.exprs.bind(aggAst.args[0]!, row, env) : undefined;

  // By-columns: as listed, else every input column but the pivot column and the aggregated one.
  const used = new Set([pivot, x].flatMap((e) => (e?.kind === 'col' ? [e.id] : [])));
  const byCols: IrColumn[] = rest.length
    ? rest.map((a) => byColumn(b, a, row, env, input))
    : input.cols.filter((c) => !used.has(c.id));

  const resultType = aggType(fnId, x?.type);
  const declared = declaredValues(b, op, byCols);
  let values: { name: string; type: KqlScalarType }[];
  if (declared) values = declared;
  else {
    const found = b.ctx.bagKeys[op.span.start];
    if (!found) {
      const probe = b.ctx.column('value', 'string');
      const probeRel: Rel = { kind: 'project', cols: [probe], input, exprs: [key] };
      b.ctx.bagKeyRequests.push({
        spanStart: op.span.start,
        rel: probeRel,
        colId: probe.id,
        distinctValues: true,
      });
      return b.fail(
        'SF303',
        'pivot() takes its output columns from the values of the data, which compiling alone cannot see (running the query finds them)',
        op.span,
        'or declare them: evaluate pivot(Col) : (Key:string, Value1:long, Value2:long)',
      );
    }
    // An empty (or null) value would name a column '' — refused rather than silently dropped.
    if (found.includes(''))
      b.fail(
        'SF303',
        'pivot() found an empty or null value in its column, which cannot name a column',
        colAst.span,
        'filter those rows out first: | where isnotempty(Col)',
      );
    values = [...found].sort().map((name) => ({ name, type: resultType }));
  }

  const groupCols = byCols.map((c) => b.ctx.column(c.name, c.type));
  const aggs: AggCall[] = [];
  const valueCols: IrColumn[] = [];
  const outExprs: IrExpr[] = groupCols.map(colRef);
  for (const v of values) {
    if (groupCols.some((c) => c.name === v.name))
      b.fail(
        'SF105',
        `pivot() would make a second column '${v.name}'`,
        op.span,
        'list the by-columns explicitly, leaving that one out',
      );
    const pred: IrExpr = {
      kind: 'call',
      fn: 'eq',
      type: 'bool',
      args: [key, { kind: 'const', type: 'string', value: v.name }],
    };
    const call: AggCall = { fn: conditional, args: x ? [x, pred] : [pred], type: resultType };
    const col = b.ctx.column(`__pivot${aggs.length}`, resultType);
    aggs.push(call);
    valueCols.push(col);
    outExprs.push(v.type === resultType ? colRef(col) : b.exprs.convert(colRef(col), v.type));
  }
  const agg: Rel = {
    kind: 'aggregate',
    cols: [...groupCols, ...valueCols],
    input,
    groups: byCols.map(colRef),
    aggs,
  };
  const outCols = [...groupCols, ...values.map((v) => b.ctx.column(v.name, v.type))];
  return { kind: 'project', cols: outCols, input: agg, exprs: outExprs };
}

function byColumn(b: Binder, a: Expr, row: RowScope, env: Env, input: Rel): IrColumn {
  const e = b.exprs.bind(a, row, env);
  const c = e.kind === 'col' ? input.cols.find((x) => x.id === e.id) : undefined;
  return c ?? b.fail('SF201', 'pivot() groups by columns of its input; name a column', a.span);
}

function aggType(fnId: string, x: KqlScalarType | undefined): KqlScalarType {
  if (fnId === 'count' || fnId === 'dcount') return 'long';
  if (fnId === 'avg') return 'real';
  const t = x ?? 'long';
  if (fnId === 'sum')
    return t === 'int' ? 'long' : t === 'timespan' ? 'timespan' : (promoteNumeric(t, 'int') ?? 'real');
  return t;
}

/** Value columns of a declared output schema: the declared columns that are not by-columns. */
function declaredValues(
  b: Binder,
  op: Evaluate,
  byCols: IrColumn[],
): { name: string; type: KqlScalarType }[] | undefined {
  if (!op.schema) return undefined;
  if (op.schema.star) b.fail('SF303', 'pivot() with `*` in its declared schema is not supported', op.span);
  const byNames = new Set(byCols.map((c) => c.name));
  return op.schema.columns
    .filter((c) => !byNames.has(c.name))
    .map((c) => ({
      name: c.name,
      type: parseTypeName(c.type) ?? b.fail('SF201', `unknown type '${c.type}'`, c.span),
    }));
}
