import type { Span } from '../diagnostics.js';
import type { Expr, FindProject, TabularExpr, TabularSource } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import { closestMatch } from '../../util/suggest.js';
import type { Binder } from './binder.js';
import { bindSearchFilter } from './bind-search.js';
import { colRef, NameAllocator, tablesMatching } from './naming.js';
import type { Env } from './scope.js';
import { CONVERSION_FUNCTION, parseTypeName, type KqlScalarType } from './types.js';

type FindSource = Extract<TabularSource, { kind: 'findSource' }>;

/** One input of find: its rows, the name `source_` reports, and its columns by name. */
interface FindInput {
  rel: Rel;
  name: string;
  byName: Map<string, IrColumn>;
}

/** An output column and, per input, what fills it. */
interface Slot {
  name: string;
  type: KqlScalarType;
  fill: (input: FindInput) => IrExpr;
  /** The input column it carries (so project-smart leaves it out of `pack_`). */
  takes: (c: IrColumn) => boolean;
}

/**
 * `find [withsource=C] [in (Tables)] where Predicate [project-smart | project Col[:type], …
 * [, pack_all()]]` (find-operator.md, "Output schema"):
 * - every table of the database when `in (…)` is left out; `T*` names a set of tables;
 * - a table holding none of the columns the predicate names is left out; a table lacking some
 *   of them reads those as null (`""` for strings), so each table is filtered by the parts of
 *   the predicate it can satisfy. A term (`"x"`, `* has "x"`, `Col:"x"`) follows search's rules;
 * - the output starts with `source_` (or C), the table each row comes from;
 * - project-smart: the columns common to all remaining tables (in the first table's order),
 *   then the other columns the predicate names, then `pack_`, a property bag of each row's
 *   remaining columns (only when some table has any). A column with several types becomes one
 *   column per type, named as union names them (`X_long`, `X_string`);
 * - project: the listed columns (null where a table lacks one; `Col:type` converts), a column
 *   of several types must be given a type; `pack_all()` adds `pack_` with the columns not listed
 *   (the documented example outputs; the prose's "including the projected columns" and
 *   'column1' disagree with them).
 */
export function bindFindSource(b: Binder, src: FindSource, env: Env): Rel {
  const sourceName = paramText(src, 'withsource') ?? 'source_';
  const inputs = findInputs(b, src, env);
  const predicate = rewriteStarHas(src.predicate);

  // Which tables the predicate can see: the columns it names (a term reads every column).
  const named = new Set<string>();
  const termSearch = collectNames(predicate, env, named);
  const used = [...named].filter((n) => inputs.some((i) => i.byName.has(n)));
  const kept =
    termSearch || used.length === 0 ? inputs : inputs.filter((i) => used.some((n) => i.byName.has(n)));

  const filtered = kept.map((input): FindInput => {
    let rel = input.rel;
    const pads = used.filter((n) => !input.byName.has(n));
    if (pads.length > 0) {
      const padCols = pads.map((n) => b.ctx.column(n, typeIn(kept, n)));
      rel = {
        kind: 'project',
        cols: [...rel.cols, ...padCols],
        input: rel,
        exprs: [...rel.cols.map(colRef), ...padCols.map((c) => nullOf(c.type))],
      };
    }
    rel = bindSearchFilter(b, src.params, predicate, rel, env);
    return { ...input, rel };
  });

  const slots = src.project ? listedSlots(b, src.project, filtered) : smartSlots(filtered, used);
  const packCols = (input: FindInput): IrColumn[] =>
    [...input.byName.values()].filter((c) => !slots.some((s) => s.takes(c)));
  const withPack = src.project ? src.project.packAll !== undefined : filtered.some((i) => packCols(i).length);

  const outNames = [sourceName, ...slots.map((s) => s.name), ...(withPack ? ['pack_'] : [])];
  const dup = outNames.find((n, i) => outNames.indexOf(n) !== i);
  if (dup !== undefined)
    b.fail('SF105', `duplicate column name '${dup}' in the output of find`, src.project?.span ?? src.span);
  const cols: IrColumn[] = [
    b.ctx.column(sourceName, 'string'),
    ...slots.map((s) => b.ctx.column(s.name, s.type)),
    ...(withPack ? [b.ctx.column('pack_', 'dynamic')] : []),
  ];
  const parts = filtered.map((input): Rel => {
    const exprs: IrExpr[] = [
      { kind: 'const', type: 'string', value: input.name },
      ...slots.map((s) => s.fill(input)),
    ];
    if (withPack) {
      const args: IrExpr[] = packCols(input).flatMap((c): IrExpr[] => [
        { kind: 'const', type: 'string', value: c.name },
        colRef(c),
      ]);
      exprs.push({ kind: 'call', fn: 'bag_pack', type: 'dynamic', args });
    }
    return { kind: 'project', cols: cols.map((c) => ({ ...c, id: b.ctx.newId() })), input: input.rel, exprs };
  });
  if (parts.length === 1) return { ...(parts[0] as Extract<Rel, { kind: 'project' }>), cols };
  return { kind: 'union', cols, inputs: parts };
}

function paramText(src: FindSource, name: string): string | undefined {
  const p = src.params.find((x) => x.name === name);
  if (!p) return undefined;
  if (typeof p.value === 'string') return p.value;
  return p.value.kind === 'name' ? p.value.name : undefined;
}

/** The tables of `in (…)` (wildcards expanded, in name order), or every table of the schema. */
function findInputs(b: Binder, src: FindSource, env: Env): FindInput[] {
  const named: TabularExpr[] =
    src.tables.length > 0 ? src.tables : [{ kind: 'tableRef', span: src.span, name: '*' }];
  const out: FindInput[] = [];
  for (const t of named) {
    if (t.kind === 'tableRef' && t.name.includes('*')) {
      for (const n of tablesMatching(b.ctx.schema.tableNames(), t.name))
        out.push(input(b.tableRef(n, t.span, env), n));
      continue;
    }
    const name = t.kind === 'tableRef' ? t.name : `union_arg${out.length}`;
    out.push(input(t.kind === 'tableRef' ? b.tableRef(t.name, t.span, env) : b.bindTabular(t, env), name));
  }
  if (out.length === 0) return b.fail('SF101', 'find has no tables to look in', src.span);
  return out;
}

function input(rel: Rel, name: string): FindInput {
  return { rel, name, byName: new Map(rel.cols.map((c) => [c.name, c])) };
}

/** `* has "x"` is the term "x" on every column (find-operator.md, "Predicate syntax"). */
function rewriteStarHas(e: Expr): Expr {
  if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or'))
    return { ...e, left: rewriteStarHas(e.left), right: rewriteStarHas(e.right) };
  if (e.kind === 'call' && e.name === 'not' && e.args.length === 1)
    return { ...e, args: [rewriteStarHas(e.args[0]!)] };
  if (e.kind === 'binary' && e.op === 'has' && e.left.kind === 'star') return e.right;
  return e;
}

/**
 * Adds the names the predicate reads (not let-bound names) to `out`; true when it holds a term
 * that is looked for in every column (a bare string or `*` in a boolean position).
 */
function collectNames(e: Expr, env: Env, out: Set<string>, boolPos = true): boolean {
  switch (e.kind) {
    case 'star':
      return boolPos;
    case 'literal':
      return boolPos && e.type === 'string';
    case 'name':
      if (env.get(e.name) === undefined) out.add(e.name);
      return false;
    case 'binary': {
      const logical = boolPos && (e.op === 'and' || e.op === 'or');
      const l = collectNames(e.left, env, out, logical);
      const r = collectNames(e.right, env, out, logical);
      return l || r;
    }
    case 'call': {
      const logical = boolPos && e.name === 'not';
      return e.args.map((a) => collectNames(a, env, out, logical)).some(Boolean);
    }
    case 'unary':
      return collectNames(e.operand, env, out, false);
    case 'between':
      collectNames(e.expr, env, out, false);
      collectNames(e.low, env, out, false);
      collectNames(e.high, env, out, false);
      return false;
    case 'in':
      collectNames(e.expr, env, out, false);
      for (const x of e.list) collectNames(x, env, out, false);
      return false;
    case 'member':
      collectNames(e.object, env, out, false);
      return false;
    case 'index':
      collectNames(e.object, env, out, false);
      collectNames(e.index, env, out, false);
      return false;
    case 'namedArg':
      collectNames(e.value, env, out, false);
      return false;
    default:
      // a tabular subquery has its own columns; typeof() names a type
      return false;
  }
}

/** The type of column `name` in the first table that has it. */
function typeIn(inputs: FindInput[], name: string): KqlScalarType {
  for (const i of inputs) {
    const c = i.byName.get(name);
    if (c) return c.type;
  }
  return 'dynamic';
}

function typesOf(inputs: FindInput[], name: string): KqlScalarType[] {
  const types: KqlScalarType[] = [];
  for (const i of inputs) {
    const t = i.byName.get(name)?.type;
    if (t && !types.includes(t)) types.push(t);
  }
  return types;
}

/** A missing column reads as null; strings are never null in KQL, so as "". */
function nullOf(type: KqlScalarType): IrExpr {
  return { kind: 'const', type, value: type === 'string' ? '' : null };
}

/** project-smart: common columns, then the predicate's other columns; several types split. */
function smartSlots(inputs: FindInput[], predicateNames: string[]): Slot[] {
  const first = inputs[0]!;
  const common = [...first.byName.keys()].filter((n) => inputs.every((i) => i.byName.has(n)));
  const names = [...common, ...predicateNames.filter((n) => !common.includes(n))];
  const single = names.filter((n) => typesOf(inputs, n).length === 1);
  const alloc = new NameAllocator(single);
  const slots: Slot[] = [];
  for (const n of names) {
    const types = typesOf(inputs, n);
    for (const t of types) {
      const match = (c: IrColumn): boolean => c.name === n && c.type === t;
      slots.push({
        name: types.length === 1 ? n : alloc.unique(`${n}_${t}`),
        type: t,
        takes: match,
        fill: (i) => {
          const c = i.byName.get(n);
          return c && match(c) ? colRef(c) : nullOf(t);
        },
      });
    }
  }
  return slots;
}

/** project Col[:type], …: the listed columns, converted when a type is given. */
function listedSlots(b: Binder, project: FindProject, inputs: FindInput[]): Slot[] {
  return project.items.map((item): Slot => {
    const types = typesOf(inputs, item.name);
    if (types.length === 0) {
      const near = closestMatch(item.name, [...new Set(inputs.flatMap((i) => [...i.byName.keys()]))]);
      return b.fail(
        'SF102',
        `unknown column '${item.name}'${near ? `; did you mean '${near}'?` : ''}`,
        item.span,
        near ? undefined : 'no table find looks in has this column',
      );
    }
    let type: KqlScalarType;
    if (item.type !== undefined) {
      const t = parseTypeName(item.type);
      if (!t) return b.fail('SF201', `unknown type '${item.type}'`, item.span);
      type = t;
    } else if (types.length > 1) {
      return b.fail(
        'SF201',
        `column '${item.name}' has several types in these tables (${types.join(', ')})`,
        item.span,
        `give it one: ${item.name}:${types[0]}`,
      );
    } else type = types[0]!;
    return {
      name: item.name,
      type,
      takes: (c) => c.name === item.name,
      fill: (i) => {
        const c = i.byName.get(item.name);
        return c ? convertTo(b, colRef(c), type, item.span) : nullOf(type);
      },
    };
  });
}

/** `Col:type` in find's project: the value cast to the type (the predicate still sees the original). */
function convertTo(b: Binder, e: IrExpr, type: KqlScalarType, span: Span): IrExpr {
  if (e.type === type) return e;
  if (type === 'string') return b.exprs.asString(e);
  return { kind: 'call', fn: CONVERSION_FUNCTION[type], type, args: [e], nullable: true, span };
}
