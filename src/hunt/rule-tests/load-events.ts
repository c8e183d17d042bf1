import type { DuckDBValue } from '@duckdb/node-api';
import type { SchemaCatalog } from '../../schema/index.js';
import type { Store } from '../../store/store.js';
import type { FixtureEvent } from './spec.js';

/** Ids given to events that do not name their device, so results can be traced to the event. */
export interface PlacedEvent extends FixtureEvent {
  deviceId: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes fixture events into their tables. Column names are checked against the schema and the
 * statement names them from the schema (not from the fixture); every value is a bound parameter.
 */
export async function insertEvents(
  store: Store,
  schema: SchemaCatalog,
  list: FixtureEvent[],
  now: Date,
  tag: string,
): Promise<PlacedEvent[]> {
  const placed: PlacedEvent[] = [];
  let n = 0;
  for (const ev of list) {
    n++;
    const table = schema.tables.find((t) => t.name.toLowerCase() === ev.table.toLowerCase());
    if (!table) throw new Error(`${ev.origin}: unknown table '${ev.table}'`);
    const values: Record<string, unknown> = {
      Timestamp: new Date(now.getTime() - 3_600_000).toISOString(),
      DeviceId: `fixture-${tag}-${n}`,
      DeviceName: `fixture-${tag}-${n}.test.local`,
      ReportId: n,
      ...ev.values,
    };
    const cols: string[] = [];
    const params: DuckDBValue[] = [];
    for (const [k, v] of Object.entries(values)) {
      const col = table.columns.find((c) => c.name.toLowerCase() === k.toLowerCase());
      if (!col) {
        if (['Timestamp', 'DeviceId', 'DeviceName', 'ReportId'].includes(k)) continue; // not every table has them
        throw new Error(`${ev.origin}: ${table.name} has no column '${k}'`);
      }
      cols.push(quote(col.name));
      params.push(
        v === null || v === undefined
          ? null
          : typeof v === 'object'
            ? JSON.stringify(v)
            : typeof v === 'boolean' || typeof v === 'number'
              ? v
              : String(v),
      );
    }
    await store.run(
      `INSERT INTO ${quote(table.name)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      params,
    );
    placed.push({ ...ev, deviceId: String(values['DeviceId']) });
  }
  return placed;
}

/** Empties the tables a test wrote, so the next test starts clean. */
export async function clearTables(store: Store, tables: Iterable<string>): Promise<void> {
  for (const t of new Set(tables)) await store.run(`DELETE FROM ${quote(t)}`);
}
