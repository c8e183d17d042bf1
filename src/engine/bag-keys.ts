import type { Store } from '../store/store.js';
import type { BagKeyRequest } from '../kql/semantics/scope.js';
import type { IrColumn, Rel } from '../sql/ir/nodes.js';
import { lowerToSql } from '../sql/compile.js';
import { getDialect } from '../sql/dialects/registry.js';
import { decodeCell } from './decode.js';

/** Most columns one bag_unpack may add: beyond that the query is refused rather than run. */
const MAX_KEYS = 1000;
/** Column ids for the discovery query, far above any id a bind run hands out. */
const BASE_ID = 1_000_000_000;

/**
 * Runs the input of each data-dependent bag_unpack to find its property names (the distinct keys
 * of the column's bags), so the query can be bound again with those columns. The discovery query
 * is IR (bag_keys → mv-expand → distinct) lowered like any other: no SQL text is assembled here.
 * Returns undefined when a discovery cannot run or finds too many keys, leaving the original
 * diagnostic in place.
 */
export async function discoverBagKeys(
  store: Store,
  requests: BagKeyRequest[],
): Promise<Record<number, string[]> | undefined> {
  const out: Record<number, string[]> = {};
  for (const req of requests) {
    const source = req.rel.cols.find((c) => c.id === req.colId);
    if (!source) return undefined;
    const keys: IrColumn = { id: BASE_ID + 1, name: 'keys', type: 'dynamic' };
    const key: IrColumn = { id: BASE_ID + 2, name: 'key', type: 'string' };
    const group: IrColumn = { id: BASE_ID + 3, name: 'key', type: 'string' };
    // pivot asks for the values of a string column itself; bag_unpack for the keys of its bags.
    const valuesOf: Rel = req.distinctValues
      ? req.rel
      : {
          kind: 'expand',
          cols: [key],
          input: {
            kind: 'project',
            cols: [keys],
            input: req.rel,
            exprs: [
              {
                kind: 'call',
                fn: 'bag_keys',
                type: 'dynamic',
                args: [{ kind: 'col', type: 'dynamic', id: source.id }],
                nullable: true,
              },
            ],
          },
          expansions: [{ id: key.id, expr: { kind: 'col', type: 'dynamic', id: keys.id }, toType: 'string' }],
          bagExpansion: 'bag',
        };
    const valueId = req.distinctValues ? source.id : key.id;
    const distinct: Rel = {
      kind: 'aggregate',
      cols: [group],
      input: valuesOf,
      groups: [{ kind: 'col', type: 'string', id: valueId }],
      aggs: [],
    };
    const lowered = lowerToSql(distinct, getDialect('duckdb'));
    if (!lowered.sql) return undefined;
    const res = await store.query(lowered.sql);
    const names = res.rows
      .map((r) => String(decodeCell(r[0] ?? null, 'string') ?? ''))
      .filter((k) => k !== '' || req.distinctValues);
    // No properties at all (e.g. no rows yet) is an answer too: bag_unpack then adds no columns,
    // and later names the data would have made columns read as empty (OpenBag in scope.ts).
    if (names.length > MAX_KEYS) return undefined;
    out[req.spanStart] = names;
  }
  return out;
}
