import type { Diagnostic, Span } from '../diagnostics.js';
import { diag } from '../diagnostics.js';
import type { CallExpr, FunctionParam, QueryBody, TabularExpr } from '../syntax/ast.js';
import type { AggregateFunction } from './catalog/aggregate.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import type { SchemaCatalog } from '../../schema/index.js';
import type { JsonLike } from '../../sql/ir/expr.js';

/** What a `let` name stands for. Tabular lets are re-bound at each use so every use gets fresh column ids. */
export type Binding =
  | { kind: 'scalar'; expr: IrExpr }
  | { kind: 'tabular'; ast: TabularExpr; env: Env }
  | { kind: 'rel'; rel: Rel }
  | { kind: 'function'; params: FunctionParam[]; body: QueryBody; env: Env; name: string };

/** Lexical scope of let statements and function parameters. */
export class Env {
  private readonly bindings = new Map<string, Binding>();
  constructor(readonly parent?: Env) {}

  set(name: string, b: Binding): void {
    this.bindings.set(name, b);
  }

  get(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.get(name);
  }

  /**
   * The names bound so far, fixed: a let's value sees the statements before it, never itself or
   * later ones (`let DeviceEvents = DeviceEvents | where …` reads the table).
   */
  snapshot(): Env {
    const copy = new Env(this.parent);
    for (const [k, v] of this.bindings) copy.bindings.set(k, v);
    return copy;
  }

  names(): string[] {
    const own = [...this.bindings.keys()];
    return this.parent ? [...new Set([...own, ...this.parent.names()])] : own;
  }
}

/**
 * The columns visible to expressions of one operator: the input's columns, plus names that
 * resolve without being output columns (Sentinel's TimeGenerated alias), plus, inside a join
 * condition, the `$left` and `$right` sides.
 */
export interface RowScope {
  cols: IrColumn[];
  aliases?: Map<string, IrColumn>;
  left?: RowScope;
  right?: RowScope;
  /** The operator's input columns when `cols` also holds columns the operator made (extend); pack_all packs these. */
  inputCols?: IrColumn[];
  /** Serialized input: row_number/prev/next are allowed. */
  serialized?: boolean;
  /** Inside summarize: binds an aggregation call met in an expression, returning its result column. */
  aggregate?: (call: CallExpr, f: AggregateFunction) => IrExpr;
  /** The rows come after a bag_unpack that found no properties in the data (see OpenBag). */
  openBag?: OpenBag;
}

/**
 * A bag_unpack that found no properties at all (no rows, or only empty bags) is "open": it adds no
 * columns, and a later name that is no column may be a key every bag lacks, so it reads as the
 * null dynamic the unpacked column would hold (openBagColumn), with a warning. Which operators
 * keep it open: KEEPS_OPEN_BAG in bind-evaluate.ts.
 */
export interface OpenBag {
  /** The evaluate operator's span: the warning is given once per bag_unpack and name. */
  span: Span;
  prefix: string;
  ignored: string[];
}

export function emptyRow(): RowScope {
  return { cols: [] };
}

export function lookupColumn(row: RowScope, name: string): IrColumn | undefined {
  return row.cols.find((c) => c.name === name) ?? row.aliases?.get(name);
}

export interface ChartHint {
  kind: string;
  properties: Record<string, JsonLike>;
}

/** A bag_unpack whose output columns are the property names of column `colId` of `rel`. */
export interface BagKeyRequest {
  spanStart: number;
  rel: Rel;
  colId: number;
  /** pivot: the column's distinct (string) values are wanted, not the keys of its bags; none at all is an answer. */
  distinctValues?: true;
}

/** Shared state of one bind run: schema, pinned clock, diagnostics, id supply. */
export class BindContext {
  readonly diagnostics: Diagnostic[] = [];
  chart?: ChartHint;
  /** Defender-only tables or functions that returned empty results, etc. */
  private nextColumnId = 1;
  /** Guards against runaway recursion in user functions. */
  depth = 0;
  /** bag_unpack keys found by running the input first (evaluate's span start → keys). */
  bagKeys: Record<number, string[]> = {};
  /** bag_unpack calls whose keys depend on the data: the engine can run `rel` to find them. */
  readonly bagKeyRequests: BagKeyRequest[] = [];
  /** Results of open bag_unpacks, and of the operators that keep them open (see OpenBag). */
  readonly openBags = new WeakMap<Rel, OpenBag>();
  /** Names already warned about as missing bag properties (`spanStart:name`). */
  private readonly emptyBagNames = new Set<string>();

  constructor(
    readonly schema: SchemaCatalog,
    /** `now()` for the whole query, in 100 ns ticks since the Unix epoch. */
    readonly nowTicks: bigint,
  ) {}

  newId(): number {
    return this.nextColumnId++;
  }

  column(name: string, type: IrColumn['type']): IrColumn {
    return { id: this.newId(), name, type };
  }

  error(code: Parameters<typeof diag>[0], message: string, span: Span, hint?: string): void {
    this.diagnostics.push(diag(code, message, span, hint ? { hint } : {}));
  }

  warn(code: Parameters<typeof diag>[0], message: string, span: Span, hint?: string): void {
    this.diagnostics.push(diag(code, message, span, { severity: 'warning', ...(hint ? { hint } : {}) }));
  }

  /**
   * `name`, which is no column of `row`: after an open bag_unpack, the property no bag had, so a
   * null dynamic for every row (warned once per bag_unpack and name); otherwise undefined.
   */
  openBagColumn(row: RowScope, name: string, span: Span): IrExpr | undefined {
    const bag = row.openBag;
    const key = bag && name.startsWith(bag.prefix) ? name.slice(bag.prefix.length) : undefined;
    if (!bag || !key || bag.ignored.includes(key)) return undefined;
    const seen = `${bag.span.start}:${name}`;
    if (!this.emptyBagNames.has(seen)) {
      this.emptyBagNames.add(seen);
      const column = bag.prefix ? ` '${name}'` : '';
      this.warn(
        'SF102',
        `bag_unpack found no property '${key}' in the data; the column${column} is empty`,
        span,
      );
    }
    return { kind: 'const', type: 'dynamic', value: null };
  }
}

/** Thrown to abandon binding an operator after its error was reported; caught per statement. */
export class BindAbort extends Error {}
