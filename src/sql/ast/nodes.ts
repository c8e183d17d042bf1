/**
 * A small SQL syntax tree. Lowering builds these nodes; only the printer turns them into text,
 * calling the dialect's quoting and escaping hooks. Function names and operators come from the
 * dialect's lowering code, never from user text; user values only ever appear in `str`/`num`
 * literals, which the printer escapes.
 */
export type SqlExpr =
  | { k: 'col'; name: string; qualifier?: string }
  | { k: 'str'; value: string }
  | { k: 'num'; value: number | bigint }
  | { k: 'bool'; value: boolean }
  | { k: 'null' }
  /** A typed literal such as TIMESTAMP_NS '2024-01-01 00:00:00' (type keyword from the dialect). */
  | { k: 'typed'; type: string; value: string }
  | { k: 'fn'; name: string; args: SqlExpr[]; distinct?: boolean; filter?: SqlExpr; orderBy?: SqlOrder[] }
  | { k: 'op'; op: SqlBinaryOp; l: SqlExpr; r: SqlExpr }
  | { k: 'not'; e: SqlExpr }
  | { k: 'neg'; e: SqlExpr }
  | { k: 'isnull'; e: SqlExpr; negated: boolean }
  | { k: 'case'; whens: [SqlExpr, SqlExpr][]; else?: SqlExpr }
  | { k: 'cast'; e: SqlExpr; type: string; try?: boolean }
  | { k: 'in'; e: SqlExpr; list: SqlExpr[]; negated: boolean }
  | { k: 'inSelect'; e: SqlExpr; query: SqlQuery; negated: boolean }
  | { k: 'exists'; query: SqlQuery; negated: boolean }
  | { k: 'scalar'; query: SqlQuery }
  | { k: 'between'; e: SqlExpr; lo: SqlExpr; hi: SqlExpr }
  | { k: 'window'; fn: SqlExpr; partitionBy: SqlExpr[]; orderBy: SqlOrder[]; frame?: string }
  | { k: 'list'; items: SqlExpr[] }
  /** Lambda for list functions: `x -> expr`. */
  | { k: 'lambda'; params: string[]; body: SqlExpr }
  | { k: 'index'; e: SqlExpr; index: SqlExpr }
  | { k: 'star'; qualifier?: string }
  /** Struct literal {'a': x, 'b': y} / named fields. */
  | { k: 'struct'; fields: [string, SqlExpr][] };

export type SqlBinaryOp =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'AND'
  | 'OR'
  | '+'
  | '-'
  | '*'
  | '/'
  | '//'
  | '%'
  | '||'
  | 'IS NOT DISTINCT FROM'
  | 'IS DISTINCT FROM'
  | 'LIKE'
  | 'ILIKE'
  | 'NOT LIKE'
  | 'NOT ILIKE'
  | '&'
  | '|'
  | 'xor'
  | '<<'
  | '>>';

export interface SqlOrder {
  e: SqlExpr;
  desc: boolean;
  nullsFirst: boolean;
}

export interface SqlSelectItem {
  e: SqlExpr;
  alias?: string;
}

export type SqlFrom =
  | { k: 'table'; name: string; alias?: string }
  | { k: 'subquery'; query: SqlQuery; alias: string }
  | {
      k: 'join';
      kind: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';
      left: SqlFrom;
      right: SqlFrom;
      on?: SqlExpr;
    }
  /** Table function such as range(…) or unnest(…), with column aliases. */
  | { k: 'tableFn'; fn: SqlExpr; alias: string; columns?: string[]; lateral?: boolean }
  | { k: 'values'; rows: SqlExpr[][]; alias: string; columns: string[] };

export interface SqlSelect {
  k: 'select';
  distinct?: boolean;
  distinctOn?: SqlExpr[];
  items: SqlSelectItem[];
  from?: SqlFrom;
  where?: SqlExpr;
  groupBy?: SqlExpr[];
  having?: SqlExpr;
  qualify?: SqlExpr;
  orderBy?: SqlOrder[];
  limit?: number;
}

export interface SqlUnion {
  k: 'union';
  parts: SqlQuery[];
}

export type SqlQuery = SqlSelect | SqlUnion;

// ------------------------------------------------------------ constructors

export const col = (name: string, qualifier?: string): SqlExpr =>
  qualifier ? { k: 'col', name, qualifier } : { k: 'col', name };
export const str = (value: string): SqlExpr => ({ k: 'str', value });
export const num = (value: number | bigint): SqlExpr => ({ k: 'num', value });
export const bool = (value: boolean): SqlExpr => ({ k: 'bool', value });
export const NULL: SqlExpr = { k: 'null' };
export const fn = (name: string, ...args: SqlExpr[]): SqlExpr => ({ k: 'fn', name, args });
export const op = (o: SqlBinaryOp, l: SqlExpr, r: SqlExpr): SqlExpr => ({ k: 'op', op: o, l, r });
export const and = (...xs: SqlExpr[]): SqlExpr => xs.reduce((a, b) => op('AND', a, b));
export const or = (...xs: SqlExpr[]): SqlExpr => xs.reduce((a, b) => op('OR', a, b));
export const not = (e: SqlExpr): SqlExpr => ({ k: 'not', e });
export const isNull = (e: SqlExpr, negated = false): SqlExpr => ({ k: 'isnull', e, negated });
export const cast = (e: SqlExpr, type: string, tryCast = false): SqlExpr =>
  tryCast ? { k: 'cast', e, type, try: true } : { k: 'cast', e, type };
export const caseWhen = (whens: [SqlExpr, SqlExpr][], elseExpr?: SqlExpr): SqlExpr =>
  elseExpr ? { k: 'case', whens, else: elseExpr } : { k: 'case', whens };
