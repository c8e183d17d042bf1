import type { IrExpr, IrType } from './expr.js';

/** An output column of a relational node: a unique id, its KQL name and type. */
export interface IrColumn {
  id: number;
  name: string;
  type: IrType;
}

export interface SortKey {
  expr: IrExpr;
  desc: boolean;
  nullsFirst: boolean;
}

export interface AggCall {
  /** Aggregate catalog id: count, countif, sum, min, max, make_set, arg_max, … */
  fn: string;
  args: IrExpr[];
  type: IrType;
  /** For make_set/make_list: the maximum number of elements kept. */
  limit?: number;
  /**
   * arg_max/arg_min: the aggregate yields the whole winning row (args[1..]) packed together;
   * `row_field` calls in a project above unpack it, so all columns come from the same row.
   */
  packed?: boolean;
}

export type JoinKind =
  | 'inner'
  | 'innerunique'
  | 'leftouter'
  | 'rightouter'
  | 'fullouter'
  | 'leftsemi'
  | 'rightsemi'
  | 'leftanti'
  | 'rightanti';

/**
 * The relational IR: a small, closed set of plain-data nodes. `cols` is always the node's
 * output schema, in order. Hidden columns (helpers such as sort ordinals) never appear in `cols`.
 */
export type Rel =
  | {
      kind: 'scan';
      cols: IrColumn[];
      table: string;
      sourceNames: string[];
      /** Storage columns readable by name but not part of the output (ingestion time). */
      hidden?: { id: number; source: string; type: IrType; role: 'ingestion_time' }[];
    }
  | { kind: 'values'; cols: IrColumn[]; rows: IrExpr[][]; external?: ExternalSource }
  /** `range x from a to b step s`: one column, inclusive of `to` when reached. */
  | { kind: 'range'; cols: IrColumn[]; from: IrExpr; to: IrExpr; step: IrExpr }
  | { kind: 'filter'; cols: IrColumn[]; input: Rel; predicate: IrExpr }
  /** One expression per output column; a column passed through unchanged keeps its id. */
  | { kind: 'project'; cols: IrColumn[]; input: Rel; exprs: IrExpr[] }
  /** Output: one column per group key, then one per aggregate. */
  | { kind: 'aggregate'; cols: IrColumn[]; input: Rel; groups: IrExpr[]; aggs: AggCall[] }
  | { kind: 'sort'; cols: IrColumn[]; input: Rel; keys: SortKey[] }
  /** `partitionBy`: keep `count` rows per distinct key (in the input's order) instead of overall — mv-apply's per-row take/top. */
  | { kind: 'limit'; cols: IrColumn[]; input: Rel; count: number; partitionBy?: IrExpr[] }
  | { kind: 'join'; cols: IrColumn[]; joinKind: JoinKind; left: Rel; right: Rel; on: [IrExpr, IrExpr][] }
  /** Inputs already projected to `cols` (same arity and types, in order). */
  | { kind: 'union'; cols: IrColumn[]; inputs: Rel[] }
  /** mv-expand: each expansion expands a dynamic array column in parallel (zip). */
  | {
      kind: 'expand';
      cols: IrColumn[];
      input: Rel;
      /** Output column id → expression of the array to expand, and the element type wanted. */
      expansions: { id: number; expr: IrExpr; toType: IrType }[];
      itemIndex?: number;
      /** Kusto's per-row expansion cap. */
      limit?: number;
      bagExpansion: 'bag' | 'array';
    }
  /** Rows numbered in the input's order (after sort/serialize) so windows and later operators keep it. */
  | { kind: 'serialize'; cols: IrColumn[]; input: Rel };

export type RelKind = Rel['kind'];

/**
 * KQL `externaldata`: rows that live in files named by URL. The binder knows only the declared
 * columns; the engine reads local copies and fills `rows` (dropping `external`) before lowering,
 * because nothing may be fetched at run time. Lowering refuses a values node still carrying it.
 */
export interface ExternalSource {
  urls: string[];
  /** Kusto data format name in lower case: csv, tsv, psv, scsv, sohsv, txt, json, multijson… */
  format: string;
  ignoreFirstRecord: boolean;
  /** Where the externaldata operator is written, for diagnostics. */
  span: { start: number; end: number };
}
