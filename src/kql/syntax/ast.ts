import type { Span } from '../diagnostics.js';

/**
 * The parse tree: plain data, every node with its source span. The parser builds it without
 * knowing any schema; names are resolved later by the binder.
 */

// ---------------------------------------------------------------- scalar expressions

export type LiteralType =
  | 'string'
  | 'long'
  | 'int'
  | 'real'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'dynamic'
  | 'decimal'
  | 'null';

export interface LiteralExpr {
  kind: 'literal';
  span: Span;
  type: LiteralType;
  /**
   * string: the decoded text; long/int: decimal digits; real: a JS number; bool: boolean;
   * datetime/guid/timespan raw forms: the text inside the parentheses; timespan literals: ticks
   * as decimal digits; dynamic: the parsed JSON-like value; null: typed null (see `nullOf`).
   */
  value: string | number | boolean | null | DynamicValue;
  /** For `int(null)`-style typed nulls and typed literals `long(5)`: the KQL type named. */
  nullOf?: string;
}

export type DynamicValue =
  | null
  | boolean
  | number
  | string
  | DynamicValue[]
  | { [k: string]: DynamicValue }
  | { $kql: string; value: string };

export interface NameExpr {
  kind: 'name';
  span: Span;
  name: string;
  /** Written as ['name'] or ["name"]. */
  bracketed?: boolean;
}

export interface CallExpr {
  kind: 'call';
  span: Span;
  name: string;
  nameSpan: Span;
  args: Expr[];
}

export interface StarExpr {
  kind: 'star';
  span: Span;
}

export interface BinaryExpr {
  kind: 'binary';
  span: Span;
  op: string;
  opSpan: Span;
  left: Expr;
  right: Expr;
}

export interface UnaryExpr {
  kind: 'unary';
  span: Span;
  op: '-' | '+';
  operand: Expr;
}

export interface BetweenExpr {
  kind: 'between';
  span: Span;
  negated: boolean;
  expr: Expr;
  low: Expr;
  high: Expr;
}

/** `x in (a, b)`, `x has_any (…)`, with a list of expressions or one tabular expression. */
export interface InExpr {
  kind: 'in';
  span: Span;
  op: string; // in, !in, in~, !in~, has_any, has_all
  opSpan: Span;
  expr: Expr;
  list: Expr[];
}

export interface MemberExpr {
  kind: 'member';
  span: Span;
  object: Expr;
  name: string;
}

export interface IndexExpr {
  kind: 'index';
  span: Span;
  object: Expr;
  index: Expr;
}

/** A tabular expression used where a scalar or a list is expected: `(T | distinct x)`, `toscalar(…)`. */
export interface TabularInScalar {
  kind: 'tabular';
  span: Span;
  query: TabularExpr;
}

/** `typeof(long)` as used by `mv-expand … to typeof(…)`, `extract(…, typeof(…))`. */
export interface TypeOfExpr {
  kind: 'typeof';
  span: Span;
  typeName: string;
}

/** `name = expr` inside argument lists (e.g. `bin_at(…)` named args, `with_itemindex`), kept for the binder. */
export interface NamedArgExpr {
  kind: 'namedArg';
  span: Span;
  name: string;
  value: Expr;
}

export type Expr =
  | LiteralExpr
  | NameExpr
  | CallExpr
  | StarExpr
  | BinaryExpr
  | UnaryExpr
  | BetweenExpr
  | InExpr
  | MemberExpr
  | IndexExpr
  | TabularInScalar
  | TypeOfExpr
  | NamedArgExpr;

// ---------------------------------------------------------------- tabular expressions

/** `[Name =] expr` in extend/project/summarize/print; `(A, B) = expr` for multi-column results. */
export interface Assignment {
  span: Span;
  names?: { name: string; span: Span }[];
  expr: Expr;
}

export interface SortKey {
  span: Span;
  expr: Expr;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface ColumnDecl {
  name: string;
  type: string;
  span: Span;
}

export interface OperatorParam {
  name: string;
  value: Expr | string;
  span: Span;
}

export type Operator =
  | { kind: 'where'; span: Span; predicate: Expr }
  | { kind: 'extend'; span: Span; items: Assignment[] }
  | { kind: 'project'; span: Span; items: Assignment[] }
  | { kind: 'project-away'; span: Span; columns: NameExpr[] }
  /** `project-by-names "A", "C*"` or a dynamic array of names: column names as constant expressions. */
  | { kind: 'project-by-names'; span: Span; names: Expr[] }
  | { kind: 'project-keep'; span: Span; columns: NameExpr[] }
  | { kind: 'project-rename'; span: Span; items: { span: Span; newName: string; oldName: NameExpr }[] }
  | {
      kind: 'project-reorder';
      span: Span;
      columns: { span: Span; column: NameExpr; direction?: 'asc' | 'desc' }[];
    }
  | { kind: 'summarize'; span: Span; params: OperatorParam[]; aggregates: Assignment[]; by: Assignment[] }
  | { kind: 'distinct'; span: Span; columns: Assignment[] }
  | { kind: 'sort'; span: Span; keys: SortKey[] }
  | { kind: 'top'; span: Span; count: Expr; keys: SortKey[] }
  | { kind: 'take'; span: Span; count: Expr }
  | { kind: 'count'; span: Span }
  | { kind: 'join'; span: Span; params: OperatorParam[]; right: TabularExpr; on: Expr[] }
  | { kind: 'lookup'; span: Span; params: OperatorParam[]; right: TabularExpr; on: Expr[] }
  | { kind: 'union'; span: Span; params: OperatorParam[]; tables: TabularExpr[] }
  | {
      kind: 'mv-expand';
      span: Span;
      params: OperatorParam[];
      items: { span: Span; name?: string; expr: Expr; toType?: string }[];
      itemIndex?: string;
      limit?: Expr;
    }
  | {
      kind: 'mv-apply';
      span: Span;
      params: OperatorParam[];
      items: { span: Span; name?: string; expr: Expr; toType?: string }[];
      itemIndex?: string;
      body: TabularExpr;
    }
  | {
      kind: 'parse';
      span: Span;
      where: boolean;
      params: OperatorParam[];
      expr: Expr;
      pattern: ParsePatternPart[];
    }
  | { kind: 'parse-kv'; span: Span; expr: Expr; columns: ColumnDecl[]; params: OperatorParam[] }
  /** `schema`: the declared output columns (`: (*, A:string)`); `star` keeps the other columns first or last. */
  | {
      kind: 'evaluate';
      span: Span;
      params: OperatorParam[];
      plugin: CallExpr;
      schema?: { columns: ColumnDecl[]; star?: 'first' | 'last' };
    }
  | { kind: 'invoke'; span: Span; call: CallExpr }
  | { kind: 'render'; span: Span; chart: string; params: OperatorParam[] }
  | { kind: 'as'; span: Span; name: string; params: OperatorParam[] }
  | { kind: 'getschema'; span: Span }
  | { kind: 'serialize'; span: Span; items: Assignment[] }
  | {
      kind: 'make-series';
      span: Span;
      params: OperatorParam[];
      aggregates: Assignment[];
      /** `default=` of each aggregate, by position. */ defaults: (Expr | undefined)[];
      on: Expr;
      from?: Expr;
      to?: Expr;
      step: Expr;
      by: Assignment[];
    }
  | {
      kind: 'top-nested';
      span: Span;
      levels: {
        span: Span;
        count?: Expr;
        of: Assignment;
        others?: Expr;
        by: Assignment;
        direction?: 'asc' | 'desc';
      }[];
    }
  | { kind: 'search'; span: Span; params: OperatorParam[]; predicate: Expr }
  | { kind: 'sample'; span: Span; count: Expr }
  | { kind: 'sample-distinct'; span: Span; count: Expr; column: Expr }
  | { kind: 'unsupported'; span: Span; name: string };

export interface ParsePatternPart {
  span: Span;
  /** A literal delimiter, `*` wildcard, or a column (with optional type). */
  kind: 'literal' | 'wildcard' | 'column';
  text?: string;
  name?: string;
  type?: string;
}

/**
 * `partition [hint.…=…] by Column ( Subquery )`: the subquery runs once per distinct value of
 * Column over that value's rows (its source is implicitly `$row`); `{ Subquery }` is the legacy
 * form whose subquery names its own source (`withSource`).
 */
export interface PartitionOperator {
  kind: 'partition';
  span: Span;
  params: OperatorParam[];
  by: NameExpr;
  body: TabularExpr;
  withSource: boolean;
}

export interface PipeExpr {
  kind: 'pipe';
  span: Span;
  source: TabularExpr;
  /** partition is kept apart from Operator: only its own binder (bind-partition.ts) takes it. */
  op: Operator | PartitionOperator;
}

export type TabularSource =
  | { kind: 'tableRef'; span: Span; name: string; bracketed?: boolean; qualified?: boolean }
  | { kind: 'datatable'; span: Span; columns: ColumnDecl[]; values: Expr[] }
  | { kind: 'print'; span: Span; items: Assignment[] }
  | { kind: 'range'; span: Span; column: string; from: Expr; to: Expr; step: Expr }
  | { kind: 'unionSource'; span: Span; params: OperatorParam[]; tables: TabularExpr[] }
  | { kind: 'searchSource'; span: Span; params: OperatorParam[]; tables: TabularExpr[]; predicate: Expr }
  /** `find`: without `project`, project-smart (the default). */
  | {
      kind: 'findSource';
      span: Span;
      params: OperatorParam[];
      tables: TabularExpr[];
      predicate: Expr;
      project?: FindProject;
    }
  | { kind: 'externaldata'; span: Span; columns: ColumnDecl[]; urls: string[]; params: OperatorParam[] }
  | { kind: 'callSource'; span: Span; call: CallExpr }
  | { kind: 'evaluateSource'; span: Span; params: OperatorParam[]; plugin: CallExpr }
  | { kind: 'parenSource'; span: Span; query: TabularExpr }
  | { kind: 'unsupportedSource'; span: Span; name: string };

export type TabularExpr = TabularSource | PipeExpr;

/** find's `project` clause: columns (each with an optional type to cast to), then `pack_all()`. */
export interface FindProject {
  span: Span;
  items: FindProjectItem[];
  packAll?: Span;
}

export interface FindProjectItem {
  name: string;
  span: Span;
  type?: string;
}

// ---------------------------------------------------------------- statements

export interface FunctionParam {
  name: string;
  span: Span;
  /** A scalar type name, or `tabular` with its declared columns (`T:(x:long)`, `T:(*)`). */
  type: string;
  columns?: ColumnDecl[];
  default?: Expr;
}

export type Statement =
  | { kind: 'let'; span: Span; name: string; nameSpan: Span; value: Expr | TabularExpr }
  | {
      kind: 'letFunction';
      span: Span;
      name: string;
      nameSpan: Span;
      params: FunctionParam[];
      body: QueryBody;
    }
  | { kind: 'set'; span: Span; name: string }
  | { kind: 'declare'; span: Span; params: FunctionParam[] }
  /** The body of a function may be a scalar expression; the binder decides what a bare name is. */
  | { kind: 'query'; span: Span; query: TabularExpr | Expr };

/** Statements of a function body or the whole query, the last one being the result. */
export interface QueryBody {
  span: Span;
  statements: Statement[];
}

export function isTabularNode(x: Expr | TabularExpr): x is TabularExpr {
  return (
    x.kind === 'pipe' ||
    x.kind === 'tableRef' ||
    x.kind === 'datatable' ||
    x.kind === 'print' ||
    x.kind === 'range' ||
    x.kind === 'unionSource' ||
    x.kind === 'searchSource' ||
    x.kind === 'findSource' ||
    x.kind === 'externaldata' ||
    x.kind === 'callSource' ||
    x.kind === 'evaluateSource' ||
    x.kind === 'parenSource' ||
    x.kind === 'unsupportedSource'
  );
}
