import type { SqlPrinterHooks } from '../ast/printer.js';
import type { SqlExpr, SqlQuery, SqlSelect } from '../ast/nodes.js';
import type { IrExpr, IrType, ConstValue } from '../ir/expr.js';
import type { AggCall, Rel } from '../ir/nodes.js';

/**
 * What the generic relational lowering asks of an engine. Engine differences live behind this
 * interface (capability questions and hooks); no code outside src/sql/dialects names an engine.
 */
export interface Dialect extends SqlPrinterHooks {
  readonly name: string;
  /** SQL type used to store / cast a KQL type. */
  typeName(t: IrType): string;
  /** A constant in SQL (typed so that NULLs and empty lists keep their KQL type). */
  constant(type: IrType, value: ConstValue): SqlExpr;
  /** A scalar catalog call (`has`, `tostring`, `bin`, …). Throws UnsupportedFeature when not lowered. */
  call(e: Extract<IrExpr, { kind: 'call' }>, ctx: LowerContext): SqlExpr;
  /** An aggregation call inside GROUP BY. */
  aggregate(a: AggCall, ctx: LowerContext): SqlExpr;
  /** Window values (row_number, prev, next) in the given row order. */
  window(e: Extract<IrExpr, { kind: 'window' }>, ctx: LowerContext, order: SqlSelect['orderBy']): SqlExpr;
  /** Keep one arbitrary row per key (innerunique join's left side). */
  dedupe(select: SqlSelect, keys: SqlExpr[]): SqlSelect;
  /** A row source expanding `arrays` (JSON) in parallel: yields element columns and an index column. */
  /**
   * When true, expandArrays returns a FROM-less SELECT whose items (set-returning calls such as
   * unnest) go beside the input's columns in one SELECT, instead of a lateral subquery joined to
   * each row (DuckDB copies large correlated lists per row in a lateral join).
   */
  readonly expandInline?: boolean;
  expandArrays(
    arrays: SqlExpr[],
    elementNames: string[],
    indexName: string,
    bagExpansion: 'bag' | 'array',
  ): SqlQuery;
  /** Convert an expanded JSON element to the wanted type (`mv-expand … to typeof(T)`). */
  fromJsonElement(e: SqlExpr, t: IrType): SqlExpr;
  /** Table function producing one column for `range x from a to b step s`. */
  rangeSource(from: SqlExpr, to: SqlExpr, step: SqlExpr, type: IrType, column: string): SqlQuery;
  /** Unpack field `index` of a packed arg_max/arg_min row. */
  rowField(packed: SqlExpr, index: number): SqlExpr;
  /** Optional engine-specific rewrite of the finished SQL tree (e.g. ClickHouse has no VALUES lists). */
  rewriteQuery?(q: SqlQuery): SqlQuery;
}

/** Given to dialect hooks so they can lower sub-expressions and subqueries. */
export interface LowerContext {
  expr(e: IrExpr): SqlExpr;
  /** Lower a predicate where NULL and false are interchangeable (WHERE/HAVING conjuncts). */
  predicate(e: IrExpr): SqlExpr;
  subquery(rel: Rel): SqlQuery;
  /** Whether an IR expression can evaluate to null (strings never can). */
  nullable(e: IrExpr): boolean;
  /** Compile-time constant value of an expression, if it is one. */
  constValue(e: IrExpr): ConstValue | undefined;
}

/** A valid KQL feature this dialect cannot express; becomes diagnostic SF302/SF303. */
export class UnsupportedFeature extends Error {
  /** Where in the KQL text; filled in by the lowering from the IR node being lowered. */
  span?: { start: number; end: number };

  constructor(
    readonly code: 'SF301' | 'SF302' | 'SF303' | 'SF304',
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedFeature';
  }
}
