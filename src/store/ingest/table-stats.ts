import type { Store } from '../store.js';
import { ident, sqlString } from './sql/literals.js';

export interface TableStats {
  table: string;
  rows: number;
  /** ISO-8601 UTC, null when the table is empty or has no Timestamp column. */
  firstTimestamp: string | null;
  lastTimestamp: string | null;
}

/** Row count and Timestamp range of every telemetry table, in one query. */
export async function tableStats(store: Store): Promise<TableStats[]> {
  const parts = store.schema.tables.map((t) => {
    const hasTs = t.columns.some((c) => c.name === 'Timestamp');
    // Rendered in SQL so that the 100 ns precision survives: "2022-11-07T17:00:58.1501482Z".
    const iso = (agg: string) =>
      hasTs ? `replace(CAST(${agg}("Timestamp") AS VARCHAR), ' ', 'T') || 'Z'` : 'NULL';
    return `SELECT ${sqlString(t.name)} AS t, count(*) AS n, ${iso('min')} AS first, ${iso('max')} AS last FROM ${ident(t.name)}`;
  });
  const reader = await store.connection.runAndReadAll(parts.join(' UNION ALL '));
  return reader
    .getRows()
    .map(([t, n, first, last]) => ({
      table: String(t),
      rows: Number(n),
      firstTimestamp: first === null ? null : String(first),
      lastTimestamp: last === null ? null : String(last),
    }))
    .sort((a, b) => Number(b.rows > 0) - Number(a.rows > 0) || a.table.localeCompare(b.table));
}
