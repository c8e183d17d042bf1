import type { Expr, OperatorParam, TabularExpr, TabularSource } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { bindUnion } from './bind-operators.js';
import { colRef, tablesMatching } from './naming.js';
import type { Env, RowScope } from './scope.js';

/**
 * `search`: rows in which a term occurs, with Kusto's rewrite rules (search-operator.md):
 *   "term"      → any column has "term"          "term*" → hasprefix, "*term" → hassuffix
 *   "*term*"    → contains                        "a*b"   → matches regex \ba.*b\b
 *   Col:"term"  → Col has "term" (same rules)     *       → every row
 * and/or/not combine terms; any other predicate (`Timestamp > ago(1d)`, `Col == "x"`) is an
 * ordinary expression. kind=case_sensitive uses the _cs operators. Without an input, search reads
 * the tables named by `in (…)`, else every table, and adds `$table` (the source table) first.
 */
export function bindSearchSource(
  b: Binder,
  src: Extract<TabularSource, { kind: 'searchSource' }>,
  env: Env,
): Rel {
  // Each table is searched on its own columns, then the matches are unioned (the same rows as
  // union-then-search, with far smaller predicates). A table lacking a column the predicate
  // names cannot match it: it is skipped with a warning, as union isfuzzy=true does.
  const named: TabularExpr[] =
    src.tables.length > 0 ? src.tables : [{ kind: 'tableRef', span: src.span, name: '*' }];
  const tables = named.flatMap((t): TabularExpr[] => {
    if (t.kind !== 'tableRef' || !t.name.includes('*')) return [t];
    return tablesMatching(b.ctx.schema.tableNames(), t.name).map((n): TabularExpr => ({
      kind: 'tableRef',
      span: t.span,
      name: n,
    }));
  });
  const parts: TabularExpr[] = tables.map((t) => ({
    kind: 'pipe',
    span: src.span,
    source: t,
    op: { kind: 'search', span: src.span, params: src.params, predicate: src.predicate },
  }));
  const fuzzy: OperatorParam[] = parts.length > 1 ? [{ name: 'isfuzzy', value: 'true', span: src.span }] : [];
  return bindUnion(b, fuzzy, parts, undefined, env, src.span);
}

/**
 * `T | search …`: filters T's rows and, like every search, puts `$table` first: the table the
 * rows come from when the input is one table read through row-wise operators, else "" (a
 * datatable or a computed input has no table name).
 */
export function bindSearchPipe(
  b: Binder,
  params: OperatorParam[],
  predicate: Expr,
  input: Rel,
  env: Env,
): Rel {
  const table = b.ctx.column('$table', 'string');
  const withTable: Rel = {
    kind: 'project',
    cols: [table, ...input.cols],
    input,
    exprs: [{ kind: 'const', type: 'string', value: sourceTable(input) ?? '' }, ...input.cols.map(colRef)],
  };
  return bindSearchFilter(b, params, predicate, withTable, env);
}

function sourceTable(r: Rel): string | undefined {
  if (r.kind === 'scan') return r.table;
  if (
    r.kind === 'filter' ||
    r.kind === 'project' ||
    r.kind === 'sort' ||
    r.kind === 'limit' ||
    r.kind === 'serialize'
  )
    return sourceTable(r.input);
  return undefined;
}

export function bindSearchFilter(
  b: Binder,
  params: OperatorParam[],
  predicate: Expr,
  input: Rel,
  env: Env,
): Rel {
  const kind = params.find((p) => p.name === 'kind');
  const kindText = kind
    ? typeof kind.value === 'string'
      ? kind.value
      : kind.value.kind === 'name'
        ? kind.value.name
        : undefined
    : undefined;
  if (kindText !== undefined && kindText !== 'case_sensitive' && kindText !== 'case_insensitive') {
    b.fail(
      'SF201',
      `unknown search kind '${kindText}'`,
      kind!.span,
      'use case_sensitive or case_insensitive',
    );
  }
  const s = new SearchPredicate(b, b.rowOf(input), env, kindText === 'case_sensitive');
  const p = s.bind(predicate);
  if (p === true) return input;
  return { kind: 'filter', cols: input.cols, input, predicate: p };
}

class SearchPredicate {
  constructor(
    private readonly b: Binder,
    private readonly row: RowScope,
    private readonly env: Env,
    private readonly cs: boolean,
  ) {}

  /** `true` stands for `search *` (no filter). */
  bind(e: Expr): IrExpr | true {
    if (e.kind === 'star') return true;
    if (e.kind === 'literal' && e.type === 'string') return this.termOn(this.searchable(), String(e.value));
    if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or')) {
      const l = this.bind(e.left);
      const r = this.bind(e.right);
      if (e.op === 'and') return l === true ? r : r === true ? l : call('and', [l, r]);
      return l === true || r === true ? true : call('or', [l, r]);
    }
    if (e.kind === 'call' && e.name === 'not' && e.args.length === 1) {
      const x = this.bind(e.args[0]!);
      return x === true ? constBool(false) : call('not', [x]);
    }
    // `Col:"term"` (the parser writes it as `has`) follows the term rules on one column.
    if (e.kind === 'binary' && e.op === 'has' && e.right.kind === 'literal' && e.right.type === 'string') {
      const target = this.b.exprs.bind(e.left, this.row, this.env);
      return this.termOn([target], String(e.right.value));
    }
    return this.b.exprs.asBool(this.b.exprs.bind(e, this.row, this.env), e.span);
  }

  /** Every column (`$table` included, as in Kusto) as text. */
  private searchable(): IrExpr[] {
    return this.row.cols.map((c: IrColumn) => colRef(c));
  }

  private termOn(cols: IrExpr[], text: string): IrExpr {
    const star = text.indexOf('*');
    const sfx = this.cs ? '_cs' : '';
    let op: string;
    let needle = text;
    if (star < 0) op = `has${sfx}`;
    else if (/^\*[^*]+\*$/.test(text)) [op, needle] = [`contains${sfx}`, text.slice(1, -1)];
    else if (/^[^*]+\*$/.test(text)) [op, needle] = [`hasprefix${sfx}`, text.slice(0, -1)];
    else if (/^\*[^*]+$/.test(text)) [op, needle] = [`hassuffix${sfx}`, text.slice(1)];
    else if (/^\**$/.test(text)) return constBool(true);
    else {
      const body = text
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      const re = `${this.cs ? '' : '(?i)'}\\b${body}\\b`;
      return or(
        cols.map((c) =>
          call('matches_regex', [this.b.exprs.asString(c), { kind: 'const', type: 'string', value: re }]),
        ),
      );
    }
    return or(
      cols.map((c) => call(op, [this.b.exprs.asString(c), { kind: 'const', type: 'string', value: needle }])),
    );
  }
}

function call(fn: string, args: IrExpr[]): IrExpr {
  return { kind: 'call', fn, type: 'bool', args };
}

function constBool(v: boolean): IrExpr {
  return { kind: 'const', type: 'bool', value: v };
}

function or(items: IrExpr[]): IrExpr {
  if (items.length === 0) return constBool(false);
  return items.reduce((acc, x) => call('or', [acc, x]));
}
