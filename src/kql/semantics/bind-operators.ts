import type { Span } from '../diagnostics.js';
import type {
  Assignment,
  Expr,
  NameExpr,
  Operator,
  OperatorParam,
  SortKey as AstSortKey,
  TabularExpr,
} from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, JoinKind, Rel, SortKey } from '../../sql/ir/nodes.js';
import { closestMatch } from '../../util/suggest.js';
import type { Binder } from './binder.js';
import { bindSummarize } from './bind-summarize.js';
import { bindSearchPipe } from './bind-search.js';
import { bindParseKv } from './bind-parse-kv.js';
import { bindParse } from './bind-parse.js';
import { bindEvaluate } from './bind-evaluate.js';
import { bindTopNested } from './bind-top-nested.js';
import { bindMakeSeries } from './bind-make-series.js';
import { bindMvApply } from './bind-mv-apply.js';
import { filterRel } from './filter-pushdown.js';
import { colRef, derivedName, NameAllocator, tablesMatching, wildcardRegex } from './naming.js';
import type { Env, RowScope } from './scope.js';
import { parseTypeName, type KqlScalarType } from './types.js';

/** Binds one pipe operator over its input. `input` is undefined only for `union` used as a source. */
export function bindOperator(b: Binder, op: Operator, input: Rel | undefined, env: Env): Rel {
  if (!input) {
    if (op.kind === 'union') return bindUnion(b, op.params, op.tables, undefined, env, op.span);
    return b.fail('SF900', 'operator without input', op.span);
  }
  const row = b.rowOf(input);
  switch (op.kind) {
    case 'where': {
      const p = b.exprs.asBool(b.exprs.bind(op.predicate, row, env), op.predicate.span);
      return filterRel(input, p);
    }
    case 'extend':
      return bindExtend(b, op.items, input, row, env);
    case 'project':
      return bindProject(b, op.items, input, row, env);
    case 'project-away': {
      const drop = new Set(matchColumns(b, op.columns, input.cols).map((c) => c.id));
      return passThrough(
        input,
        input.cols.filter((c) => !drop.has(c.id)),
      );
    }
    case 'project-by-names': {
      // Names (and wildcards) given as constant strings or dynamic arrays of strings, in order.
      const patterns: NameExpr[] = [];
      for (const e of op.names) {
        const v = b.exprs.bind(e, row, env);
        const values = v.kind === 'const' ? (Array.isArray(v.value) ? v.value : [v.value]) : [];
        if (v.kind !== 'const' || values.some((x) => typeof x !== 'string'))
          b.fail('SF204', 'project-by-names takes constant column names', e.span);
        for (const x of values) patterns.push({ kind: 'name', span: e.span, name: x as string });
      }
      return passThrough(input, matchColumns(b, patterns, input.cols));
    }
    case 'project-keep': {
      const keep = new Set(matchColumns(b, op.columns, input.cols).map((c) => c.id));
      return passThrough(
        input,
        input.cols.filter((c) => keep.has(c.id)),
      );
    }
    case 'project-rename': {
      const cols = [...input.cols];
      const exprs: IrExpr[] = cols.map(colRef);
      for (const item of op.items) {
        const i = cols.findIndex((c) => c.name === item.oldName.name);
        const alias = i < 0 ? schemaAlias(row, item.oldName.name) : undefined;
        if (alias) {
          // Renaming Sentinel's TimeGenerated: in Sentinel it is a real column, so it becomes one here.
          cols.push({ id: b.ctx.newId(), name: item.newName, type: alias.type });
          exprs.push(colRef(alias));
          continue;
        }
        if (i < 0) unknownColumn(b, item.oldName.name, item.oldName.span, cols);
        cols[i] = { id: b.ctx.newId(), name: item.newName, type: cols[i]!.type };
        const dup = cols.findIndex((c, j) => j !== i && c.name === item.newName);
        if (dup >= 0) {
          cols.splice(dup, 1);
          exprs.splice(dup, 1);
        }
      }
      return { kind: 'project', cols, input, exprs };
    }
    case 'project-reorder': {
      const source = withOpenBagColumns(
        b,
        withAliasColumns(
          b,
          input,
          row,
          op.columns.map((c) => c.column.name),
        ),
        row,
        op.columns.map((c) => c.column),
      );
      const first: IrColumn[] = [];
      for (const item of op.columns) {
        let matched = matchColumns(b, [item.column], source.cols).filter((c) => !first.includes(c));
        if (item.direction)
          matched = [...matched].sort((x, y) =>
            item.direction === 'asc' ? x.name.localeCompare(y.name) : y.name.localeCompare(x.name),
          );
        first.push(...matched);
      }
      return passThrough(source, [...first, ...source.cols.filter((c) => !first.includes(c))]);
    }
    case 'summarize':
      return bindSummarize(b, op.aggregates, op.by, input, row, env);
    case 'distinct': {
      if (op.columns.length === 1 && op.columns[0]!.expr.kind === 'star') {
        return { kind: 'aggregate', cols: input.cols, input, groups: input.cols.map(colRef), aggs: [] };
      }
      return bindSummarize(b, [], op.columns, input, row, env);
    }
    case 'sort':
      return { kind: 'sort', cols: input.cols, input, keys: bindSortKeys(b, op.keys, row, env) };
    case 'top': {
      const n = constCount(b, op.count, row, env);
      const sorted: Rel = { kind: 'sort', cols: input.cols, input, keys: bindSortKeys(b, op.keys, row, env) };
      return { kind: 'limit', cols: input.cols, input: sorted, count: n };
    }
    case 'take':
      return { kind: 'limit', cols: input.cols, input, count: constCount(b, op.count, row, env) };
    case 'sample':
      return { kind: 'limit', cols: input.cols, input, count: constCount(b, op.count, row, env) };
    case 'count': {
      const c = b.ctx.column('Count', 'long');
      return {
        kind: 'aggregate',
        cols: [c],
        input,
        groups: [],
        aggs: [{ fn: 'count', args: [], type: 'long' }],
      };
    }
    case 'join':
      return bindJoin(b, op.params, op.right, op.on, input, env, op.span, false);
    case 'lookup':
      return bindJoin(b, op.params, op.right, op.on, input, env, op.span, true);
    case 'union':
      return bindUnion(b, op.params, op.tables, input, env, op.span);
    case 'mv-expand':
      return bindMvExpand(b, op, input, row, env);
    case 'render': {
      const properties: Record<string, string> = {};
      for (const p of op.params)
        properties[p.name] =
          typeof p.value === 'string' ? p.value : p.value.kind === 'literal' ? String(p.value.value) : '';
      b.ctx.chart = { kind: op.chart, properties };
      return input;
    }
    case 'as':
      env.set(op.name, { kind: 'rel', rel: input });
      return input;
    case 'getschema':
      return getschema(b, input);
    case 'serialize': {
      const serialized: Rel = { kind: 'serialize', cols: input.cols, input };
      if (op.items.length === 0) return serialized;
      return bindExtend(b, op.items, serialized, b.rowOf(serialized), env);
    }
    case 'invoke': {
      const r = b.callUserFunction(op.call, row, env, input);
      if (r && 'cols' in r) return r;
      if (op.call.name === 'FileProfile') return fileProfile(b, input, op.span);
      if (!r) return b.fail('SF103', `unknown function '${op.call.name}'`, op.call.nameSpan);
      return b.fail(
        'SF205',
        `invoke needs a function that returns a table; '${op.call.name}' returns a scalar`,
        op.call.span,
      );
    }
    case 'parse':
      return bindParse(b, op, input, row, env);
    case 'search':
      return bindSearchPipe(b, op.params, op.predicate, input, env);
    case 'evaluate':
      return bindEvaluate(b, op, input, row, env);
    case 'parse-kv':
      return bindParseKv(b, op, input, row, env);
    case 'mv-apply':
      return bindMvApply(b, op, input, row, env);
    case 'top-nested':
      return bindTopNested(b, op, input, row, env);
    case 'make-series':
      return bindMakeSeries(b, op, input, row, env);
    case 'sample-distinct':
      return b.fail('SF301', `the '${op.kind}' operator is not supported yet`, op.span);
    case 'unsupported':
      return b.fail('SF301', `the '${op.name}' operator is not supported`, op.span);
  }
}

/** A schema alias (Sentinel's TimeGenerated) named where only a real column would do, or undefined. */
function schemaAlias(row: RowScope, name: string): IrColumn | undefined {
  // `$…` aliases (ingestion time) are internal names a query can never write.
  return name.startsWith('$') ? undefined : row.aliases?.get(name);
}

/**
 * Operators that list columns by name (project-reorder) see Sentinel's TimeGenerated as the real
 * column it is there: an alias they name is added as a column (a copy of Timestamp) first.
 */
function withAliasColumns(b: Binder, input: Rel, row: RowScope, names: string[]): Rel {
  const extra: { col: IrColumn; target: IrColumn }[] = [];
  for (const n of names) {
    if (input.cols.some((c) => c.name === n) || extra.some((x) => x.col.name === n)) continue;
    const target = schemaAlias(row, n);
    if (target) extra.push({ col: { id: b.ctx.newId(), name: n, type: target.type }, target });
  }
  if (extra.length === 0) return input;
  return {
    kind: 'project',
    cols: [...input.cols, ...extra.map((x) => x.col)],
    input,
    exprs: [...input.cols.map(colRef), ...extra.map((x) => colRef(x.target))],
  };
}

/** project-reorder after an open bag_unpack: a listed name that is no column is the empty property column (OpenBag). */
function withOpenBagColumns(b: Binder, input: Rel, row: RowScope, names: NameExpr[]): Rel {
  const cols = [...input.cols];
  const exprs: IrExpr[] = cols.map(colRef);
  for (const n of names) {
    if (n.name.includes('*') || cols.some((c) => c.name === n.name)) continue;
    const empty = b.ctx.openBagColumn(row, n.name, n.span);
    if (!empty) continue;
    cols.push(b.ctx.column(n.name, 'dynamic'));
    exprs.push(empty);
  }
  return cols.length === input.cols.length ? input : { kind: 'project', cols, input, exprs };
}

export function passThrough(input: Rel, cols: IrColumn[]): Rel {
  return { kind: 'project', cols, input, exprs: cols.map(colRef) };
}

export function unknownColumn(b: Binder, name: string, span: Span, cols: IrColumn[]): never {
  const near = closestMatch(
    name,
    cols.map((c) => c.name),
  );
  return b.fail('SF102', `unknown column '${name}'${near ? `; did you mean '${near}'?` : ''}`, span);
}

/** Columns named by a list of names/wildcards (project-away, -keep, -reorder). */
function matchColumns(b: Binder, names: NameExpr[], cols: IrColumn[]): IrColumn[] {
  const out: IrColumn[] = [];
  for (const n of names) {
    if (n.name.includes('*')) {
      const re = wildcardRegex(n.name);
      out.push(...cols.filter((c) => re.test(c.name) && !out.includes(c)));
      continue;
    }
    const c = cols.find((x) => x.name === n.name);
    if (!c) unknownColumn(b, n.name, n.span, cols);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** extend: later items see the columns made by earlier ones; a reused name replaces the column in place. */
export function bindExtend(b: Binder, items: Assignment[], input: Rel, row: RowScope, env: Env): Rel {
  const cols = [...input.cols];
  const exprs: IrExpr[] = cols.map(colRef);
  const names = new NameAllocator(cols.map((c) => c.name));
  for (const item of items) {
    if (item.names && item.names.length > 1)
      b.fail(
        'SF303',
        'assigning several columns at once is only supported for arg_max/arg_min in summarize',
        item.span,
      );
    const scope: RowScope = { ...row, cols: [...cols], inputCols: input.cols };
    // Earlier items of the same extend are visible: resolve names against the evolving list.
    const e = b.exprs.bind(item.expr, scope, env);
    const name = item.names?.[0]?.name ?? derivedName(item.expr) ?? names.nextColumnName();
    const existing = cols.findIndex((c) => c.name === name);
    if (existing >= 0 && e.kind === 'col' && e.id === cols[existing]!.id) continue; // `extend X` with X an existing column
    const col: IrColumn = { id: b.ctx.newId(), name, type: e.type };
    if (existing >= 0) {
      cols[existing] = col;
      exprs[existing] = e;
    } else {
      cols.push(col);
      exprs.push(e);
      names.take(name);
    }
  }
  return { kind: 'project', cols, input, exprs };
}

function bindProject(b: Binder, items: Assignment[], input: Rel, row: RowScope, env: Env): Rel {
  const cols: IrColumn[] = [];
  const exprs: IrExpr[] = [];
  const names = new NameAllocator(input.cols.map((c) => c.name));
  for (const item of items) {
    if (item.names && item.names.length > 1)
      b.fail('SF303', 'assigning several columns at once is not supported in project', item.span);
    const e = b.exprs.bind(item.expr, row, env);
    const name = item.names?.[0]?.name ?? derivedName(item.expr) ?? names.nextColumnName();
    if (cols.some((c) => c.name === name))
      b.fail(
        'SF105',
        `duplicate column name '${name}'`,
        item.span,
        'give one of them another name with Name = …',
      );
    const passThroughCol =
      e.kind === 'col' ? input.cols.find((c) => c.id === e.id && c.name === name) : undefined;
    cols.push(passThroughCol ?? { id: b.ctx.newId(), name, type: e.type });
    exprs.push(e);
  }
  return { kind: 'project', cols, input, exprs };
}

function bindSortKeys(b: Binder, keys: AstSortKey[], row: RowScope, env: Env): SortKey[] {
  return keys.map((k) => {
    const desc = k.direction !== 'asc';
    const nullsFirst = k.nulls ? k.nulls === 'first' : !desc;
    return { expr: b.exprs.bind(k.expr, row, env), desc, nullsFirst };
  });
}

function constCount(b: Binder, e: Expr, row: RowScope, env: Env): number {
  const v = b.exprs.bind(e, row, env);
  if (v.kind !== 'const' || (typeof v.value !== 'bigint' && typeof v.value !== 'number'))
    b.fail('SF204', 'expected a constant number of rows', e.span);
  const n = Number(v.value);
  if (n < 0) b.fail('SF201', 'the number of rows cannot be negative', e.span);
  return n;
}

function paramValue(params: OperatorParam[], name: string): string | undefined {
  const p = params.find((x) => x.name === name);
  if (!p) return undefined;
  if (typeof p.value === 'string') return p.value;
  return p.value.kind === 'literal' ? String(p.value.value) : undefined;
}

const JOIN_KINDS: Record<string, JoinKind> = {
  innerunique: 'innerunique',
  inner: 'inner',
  leftouter: 'leftouter',
  rightouter: 'rightouter',
  fullouter: 'fullouter',
  leftsemi: 'leftsemi',
  rightsemi: 'rightsemi',
  leftanti: 'leftanti',
  anti: 'leftanti',
  leftantisemi: 'leftanti',
  rightanti: 'rightanti',
  rightantisemi: 'rightanti',
};

function bindJoin(
  b: Binder,
  params: OperatorParam[],
  rightAst: TabularExpr,
  on: Expr[],
  left: Rel,
  env: Env,
  span: Span,
  lookup: boolean,
): Rel {
  const kindText = paramValue(params, 'kind') ?? (lookup ? 'leftouter' : 'innerunique');
  const kind = JOIN_KINDS[kindText];
  if (!kind || (lookup && kind !== 'leftouter' && kind !== 'inner')) {
    const valid = lookup ? ['leftouter', 'inner'] : Object.keys(JOIN_KINDS);
    return b.fail(
      'SF201',
      `unknown ${lookup ? 'lookup' : 'join'} kind '${kindText}'`,
      span,
      `use one of: ${valid.join(', ')}`,
    );
  }
  const right = b.bindTabular(rightAst, env);
  const leftRow = b.rowOf(left);
  const rightRow = b.rowOf(right);
  const pairs: [IrExpr, IrExpr][] = [];
  const sameNameKeys = new Set<string>();
  const addCond = (e: Expr): void => {
    if (e.kind === 'binary' && e.op === 'and') {
      addCond(e.left);
      addCond(e.right);
      return;
    }
    if (e.kind === 'name') {
      const l = leftRow.cols.find((c) => c.name === e.name) ?? leftRow.aliases?.get(e.name);
      const r = rightRow.cols.find((c) => c.name === e.name) ?? rightRow.aliases?.get(e.name);
      if (!l) unknownColumn(b, e.name, e.span, leftRow.cols);
      if (!r) unknownColumn(b, e.name, e.span, rightRow.cols);
      pairs.push(keyPair(b, colRef(l), colRef(r), e.span));
      sameNameKeys.add(e.name);
      return;
    }
    if (e.kind === 'binary' && e.op === '==') {
      const side = (x: Expr): 'left' | 'right' | undefined =>
        x.kind === 'member' && x.object.kind === 'name'
          ? x.object.name === '$left'
            ? 'left'
            : x.object.name === '$right'
              ? 'right'
              : undefined
          : undefined;
      const ls = side(e.left);
      const rs = side(e.right);
      if (ls && rs && ls !== rs) {
        const scope: RowScope = { cols: [], left: leftRow, right: rightRow };
        const a = b.exprs.bind(e.left, scope, env);
        const c = b.exprs.bind(e.right, scope, env);
        pairs.push(ls === 'left' ? keyPair(b, a, c, e.span) : keyPair(b, c, a, e.span));
        // lookup drops the right side's key columns, whatever their names.
        const rightKey = rs === 'right' ? e.right : e.left;
        if (lookup && rightKey.kind === 'member') sameNameKeys.add(rightKey.name);
        return;
      }
    }
    b.fail('SF201', 'a join condition must be a column name or $left.Column == $right.Column', e.span);
  };
  for (const c of on) addCond(c);
  let cols: IrColumn[];
  if (kind === 'leftsemi' || kind === 'leftanti') cols = left.cols;
  else if (kind === 'rightsemi' || kind === 'rightanti') cols = right.cols;
  else {
    const rightCols = lookup ? right.cols.filter((c) => !sameNameKeys.has(c.name)) : right.cols;
    // A right column whose name the left side has gets the first free numbered name, free on
    // both sides (Kusto): left Timestamp + right Timestamp, Timestamp1 → Timestamp2, Timestamp1.
    const leftNames = new Set(left.cols.map((c) => c.name));
    const names = new NameAllocator([...leftNames, ...rightCols.map((c) => c.name)]);
    cols = [
      ...left.cols,
      ...rightCols.map((c) => (leftNames.has(c.name) ? { ...c, name: names.unique(c.name) } : c)),
    ];
  }
  return { kind: 'join', cols, joinKind: kind, left, right, on: pairs };
}

function keyPair(b: Binder, l: IrExpr, r: IrExpr, span: Span): [IrExpr, IrExpr] {
  if (l.type === r.type) return [l, r];
  if (l.type === 'dynamic') return [b.exprs.convert(l, r.type), r];
  if (r.type === 'dynamic') return [l, b.exprs.convert(r, l.type)];
  if ((l.type === 'int' || l.type === 'long') && (r.type === 'int' || r.type === 'long'))
    return [b.exprs.convert(l, 'long'), b.exprs.convert(r, 'long')];
  return b.fail('SF203', `join keys have different types (${l.type} and ${r.type})`, span);
}

export function bindUnion(
  b: Binder,
  params: OperatorParam[],
  tables: TabularExpr[],
  input: Rel | undefined,
  env: Env,
  span: Span,
): Rel {
  const kind = paramValue(params, 'kind') ?? 'outer';
  const isFuzzy = paramValue(params, 'isfuzzy') === 'true';
  const withSource = paramValue(params, 'withsource');
  const inputs: { rel: Rel; name: string }[] = [];
  if (input) inputs.push({ rel: input, name: 'union_arg0' });
  for (const t of tables) {
    if (t.kind === 'tableRef' && t.name.includes('*')) {
      for (const n of tablesMatching(b.ctx.schema.tableNames(), t.name))
        inputs.push({ rel: b.tableRef(n, t.span, env), name: n });
      continue;
    }
    const name = t.kind === 'tableRef' ? t.name : (asName(t) ?? `union_arg${inputs.length}`);
    if (isFuzzy) {
      const before = b.ctx.diagnostics.length;
      try {
        inputs.push({ rel: b.bindTabular(t, env), name });
      } catch {
        // isfuzzy=true: a missing table is skipped with a warning, not an error.
        const dropped = b.ctx.diagnostics.splice(before);
        for (const d of dropped)
          b.ctx.warn(
            d.code as Parameters<typeof b.ctx.warn>[0],
            `${d.message} (skipped: isfuzzy=true)`,
            d.span,
          );
      }
    } else inputs.push({ rel: b.bindTabular(t, env), name });
  }
  if (inputs.length === 0) return b.fail('SF101', 'union has no tables to read', span);
  // Column set: by name; the same name with different types is split into name_type columns.
  const typesByName = new Map<string, Set<KqlScalarType>>();
  const order: string[] = [];
  for (const { rel } of inputs) {
    for (const c of rel.cols) {
      if (!typesByName.has(c.name)) {
        typesByName.set(c.name, new Set());
        order.push(c.name);
      }
      typesByName.get(c.name)!.add(c.type);
    }
  }
  // A column of one type keeps its name; a split name_type that meets such a name is numbered
  // (Kusto: x:long, x:int and x_long:long give x_long1, x_int, x_long).
  const singleNames = order.filter((n) => typesByName.get(n)!.size === 1);
  const outNames = new NameAllocator(singleNames);
  const slots: { key: string; name: string; type: KqlScalarType }[] = [];
  for (const n of order) {
    const types = [...typesByName.get(n)!];
    if (types.length === 1) slots.push({ key: `${n}\u0000${types[0]}`, name: n, type: types[0]! });
    else
      for (const t of types)
        slots.push({ key: `${n}\u0000${t}`, name: outNames.unique(`${n}_${t}`), type: t });
  }
  let chosen = slots;
  if (kind === 'inner')
    chosen = slots.filter((s) =>
      inputs.every(({ rel }) => rel.cols.some((c) => `${c.name}\u0000${c.type}` === s.key)),
    );
  const cols: IrColumn[] = chosen.map((s) => b.ctx.column(s.name, s.type));
  if (withSource) cols.unshift(b.ctx.column(withSource, 'string'));
  const projected = inputs.map(({ rel, name }) => {
    const exprs: IrExpr[] = chosen.map((s) => {
      const c = rel.cols.find((x) => `${x.name}\u0000${x.type}` === s.key);
      if (c) return colRef(c);
      return { kind: 'const', type: s.type, value: s.type === 'string' ? '' : null };
    });
    if (withSource) exprs.unshift({ kind: 'const', type: 'string', value: name });
    return {
      kind: 'project',
      cols: cols.map((c) => ({ ...c, id: b.ctx.newId() })),
      input: rel,
      exprs,
    } as Rel;
  });
  if (projected.length === 1) {
    const only = projected[0]! as Extract<Rel, { kind: 'project' }>;
    return { ...only, cols };
  }
  return { kind: 'union', cols, inputs: projected };
}

/** The name given by a trailing `| as Name` (withsource reports it), looking through parentheses. */
function asName(t: TabularExpr): string | undefined {
  if (t.kind === 'parenSource') return asName(t.query);
  return t.kind === 'pipe' && t.op.kind === 'as' ? t.op.name : undefined;
}

export function bindMvExpand(
  b: Binder,
  op: Extract<Operator, { kind: 'mv-expand' }>,
  input: Rel,
  row: RowScope,
  env: Env,
): Rel {
  const cols = [...input.cols];
  const expansions: { id: number; expr: IrExpr; toType: KqlScalarType }[] = [];
  for (const item of op.items) {
    const e = b.exprs.bind(item.expr, row, env);
    if (e.type !== 'dynamic')
      b.fail('SF201', `mv-expand needs a dynamic array or property bag, found ${e.type}`, item.expr.span);
    const toType = item.toType ? parseTypeName(item.toType) : 'dynamic';
    if (!toType) return b.fail('SF201', `unknown type '${item.toType}'`, item.span);
    // `mv-expand parse_json(X)` expands into X itself, as Kusto does.
    const inner =
      item.expr.kind === 'call' && item.expr.args.length === 1 ? derivedName(item.expr.args[0]!) : undefined;
    const name =
      item.name ??
      derivedName(item.expr) ??
      inner ??
      new NameAllocator(cols.map((c) => c.name)).nextColumnName();
    const col: IrColumn = { id: b.ctx.newId(), name, type: toType };
    const existing = cols.findIndex((c) => c.name === name);
    if (existing >= 0) cols[existing] = col;
    else cols.push(col);
    expansions.push({ id: col.id, expr: e, toType });
  }
  let itemIndex: number | undefined;
  if (op.itemIndex) {
    const c = b.ctx.column(op.itemIndex, 'long');
    cols.push(c);
    itemIndex = c.id;
  }
  const bag =
    (paramValue(op.params, 'bagexpansion') ?? paramValue(op.params, 'kind')) === 'array' ? 'array' : 'bag';
  const rel: Rel = { kind: 'expand', cols, input, expansions, bagExpansion: bag };
  if (itemIndex !== undefined) rel.itemIndex = itemIndex;
  if (op.limit) rel.limit = constCount(b, op.limit, row, env);
  return rel;
}

function getschema(b: Binder, input: Rel): Rel {
  const dotnet: Record<KqlScalarType, string> = {
    bool: 'System.SByte',
    int: 'System.Int32',
    long: 'System.Int64',
    real: 'System.Double',
    decimal: 'System.Data.SqlTypes.SqlDecimal',
    datetime: 'System.DateTime',
    timespan: 'System.TimeSpan',
    string: 'System.String',
    dynamic: 'System.Object',
    guid: 'System.Guid',
  };
  const cols = [
    b.ctx.column('ColumnName', 'string'),
    b.ctx.column('ColumnOrdinal', 'long'),
    b.ctx.column('DataType', 'string'),
    b.ctx.column('ColumnType', 'string'),
  ];
  const rows: IrExpr[][] = input.cols.map((c, i) => [
    { kind: 'const', type: 'string', value: c.name },
    { kind: 'const', type: 'long', value: BigInt(i) },
    { kind: 'const', type: 'string', value: dotnet[c.type] },
    { kind: 'const', type: 'string', value: c.type },
  ]);
  return { kind: 'values', cols, rows };
}

/** Defender's FileProfile() enrichment: joins a local FileProfile table if one exists, else adds empty columns with a warning. */
function fileProfile(b: Binder, input: Rel, span: Span): Rel {
  const extra: [string, KqlScalarType][] = [
    ['GlobalPrevalence', 'long'],
    ['GlobalFirstSeen', 'datetime'],
    ['GlobalLastSeen', 'datetime'],
    ['Signer', 'string'],
    ['Issuer', 'string'],
    ['SignerHash', 'string'],
    ['IsCertificateValid', 'bool'],
    ['IsRootSignerMicrosoft', 'bool'],
    ['SignatureState', 'string'],
    ['IsExecutable', 'bool'],
    ['ThreatName', 'string'],
    ['Publisher', 'string'],
    ['SoftwareName', 'string'],
    ['ProfileAvailability', 'string'],
  ];
  b.ctx.warn(
    'SF303',
    'FileProfile() enrichment is a Defender cloud service: its columns are empty here',
    span,
    'ingest a FileProfile table to fill them',
  );
  const names = new NameAllocator(input.cols.map((c) => c.name));
  const cols = [...input.cols];
  const exprs: IrExpr[] = input.cols.map(colRef);
  for (const [n, t] of extra) {
    if (input.cols.some((c) => c.name === n)) continue;
    cols.push(b.ctx.column(names.unique(n), t));
    exprs.push({ kind: 'const', type: t, value: t === 'string' ? '' : null });
  }
  return { kind: 'project', cols, input, exprs };
}
