import type { BagKeyRequest } from '../kql/semantics/scope.js';
import type { IrColumn, Rel } from '../sql/ir/nodes.js';
import type { Dialect } from '../sql/dialects/dialect.js';
import { lowerToSql } from '../sql/compile.js';
import type { KqlCell, KqlColumn } from './types.js';

/**
 * Runs SQL made by the compiler with `dialect` and returns its rows, cells decoded to `columns`'
 * KQL types (the shape of SqlAccess.query in backend.ts, so any SQL engine can serve).
 */
export type RunSql = (sql: string, columns: KqlColumn[]) => Promise<KqlCell[][]>;

/** Most columns one bag_unpack may add: beyond that the query is refused rather than run. */
const MAX_KEYS = 1000;
/** Column ids for the discovery query, far above any id a bind run hands out. */
const BASE_ID = 1_000_000_000;

/**
 * Runs the input of each data-dependent bag_unpack to find its property names (the distinct keys
 * of the column's bags), so the query can be bound again with those columns. The discovery query
 * is IR (bag_keys → mv-expand → distinct) lowered with the engine's dialect like any other query:
 * no SQL text is assembled here, and the engine only has to run it (`runSql`).
 * Returns undefined when a discovery cannot run or finds too many keys, leaving the original
 * diagnostic in place.
 */
export async function discoverBagKeys(
  dialect: Dialect,
  runSql: RunSql,
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
    const lowered = lowerToSql(distinct, dialect);
    if (!lowered.sql) return undefined;
    const rows = await runSql(lowered.sql, [{ name: group.name, type: group.type }]);
    const names = rows.map((r) => String(r[0] ?? '')).filter((k) => k !== '' || req.distinctValues);
    // No properties at all (e.g. no rows yet) is an answer too: bag_unpack then adds no columns,
    // and later names the data would have made columns read as empty (OpenBag in scope.ts).
    if (names.length > MAX_KEYS) return undefined;
    out[req.spanStart] = names;
  }
  return out;
}
