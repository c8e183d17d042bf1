import type { KqlScalarType } from '../../schema/index.js';
import type { Rel } from './nodes.js';

/**
 * Typed scalar expressions of the relational IR. Columns are referenced by id, never by name,
 * so renames and shadowing cannot confuse later passes. Every call names a catalog id (see
 * src/kql/semantics/catalog); each dialect lowers catalog ids to SQL.
 */
export type IrType = KqlScalarType;

/**
 * Constant values: string → string; int/long → bigint; real/decimal → number; bool → boolean;
 * datetime → bigint 100 ns ticks since the Unix epoch; timespan → bigint ticks; guid → string;
 * dynamic → a JSON value (JsonLike); null → null (typed by `type`).
 */
export type ConstValue = null | string | number | bigint | boolean | JsonLike;
export type JsonLike = null | boolean | number | string | JsonLike[] | { [k: string]: JsonLike };

export type IrExpr =
  | { kind: 'const'; type: IrType; value: ConstValue }
  | { kind: 'col'; type: IrType; id: number }
  /** `span` points back at the KQL text, so a dialect that cannot lower the call can say where. */
  | {
      kind: 'call';
      type: IrType;
      fn: string;
      args: IrExpr[];
      nullable?: boolean;
      span?: { start: number; end: number };
    }
  /** A list of constants or expressions, e.g. the right side of `in` or `has_any`. */
  | { kind: 'list'; type: IrType; items: IrExpr[] }
  /** The first column of a tabular expression, as a list (right side of `in`) or scalar (`toscalar`). */
  | { kind: 'subquery'; type: IrType; rel: Rel; mode: 'list' | 'scalar' }
  /** Window values over the serialized row order: row_number, prev, next. */
  | { kind: 'window'; type: IrType; fn: 'row_number' | 'prev' | 'next'; args: IrExpr[]; restart?: IrExpr };

export function constExpr(type: IrType, value: ConstValue): IrExpr {
  return { kind: 'const', type, value };
}

export function isConst(e: IrExpr): e is { kind: 'const'; type: IrType; value: ConstValue } {
  return e.kind === 'const';
}

/** Ids of the columns an expression reads (not looking into subqueries, which have their own scope). */
export function columnsUsed(e: IrExpr, out = new Set<number>()): Set<number> {
  switch (e.kind) {
    case 'col':
      out.add(e.id);
      break;
    case 'call':
      for (const a of e.args) columnsUsed(a, out);
      break;
    case 'list':
      for (const a of e.items) columnsUsed(a, out);
      break;
    case 'window':
      for (const a of e.args) columnsUsed(a, out);
      if (e.restart) columnsUsed(e.restart, out);
      break;
    default:
      break;
  }
  return out;
}

export function hasWindow(e: IrExpr): boolean {
  if (e.kind === 'window') return true;
  if (e.kind === 'call') return e.args.some(hasWindow);
  if (e.kind === 'list') return e.items.some(hasWindow);
  return false;
}
