import type { Store } from '../../store/store.js';
import { quoteIdentDuckdb } from '../../sql/dialects/duckdb/ddl.js';
import type { SchemaCatalog } from '../../schema/index.js';
import type { Rule } from '../model.js';
import type { QueryFacts } from './query-facts.js';
import type { DataSourceInfo, TableAvailability } from './types.js';

/**
 * The tables a rule needs: those its bound query reads (or, when it does not bind, those its text
 * names), each with the connector the rule declares for it and, when a store was consulted, how
 * many rows the store holds and up to when.
 */
export function dataSources(
  rule: Rule,
  facts: QueryFacts,
  schema: SchemaCatalog,
  availability?: ReadonlyMap<string, TableAvailability>,
): DataSourceInfo[] {
  return facts.tables.map((table) => {
    const info: DataSourceInfo = {
      table,
      inSchema: schema.table(table) !== undefined,
      columns: facts.columns[table] ?? [],
    };
    const connector = rule.requiredDataConnectors.find((c) => c.dataTypes.includes(table));
    if (connector) info.connector = connector.connectorId;
    if (availability) {
      info.availability = {
        value: availability.get(table) ?? { rows: 0, lastTimestamp: null },
        source: 'store',
      };
    }
    return info;
  });
}

/**
 * Row count and latest Timestamp of each table in the store. A table the store does not have
 * counts as empty. One query per table; callers gather every table once for a whole catalog.
 */
export async function tableAvailability(
  store: Store,
  tables: Iterable<string>,
): Promise<Map<string, TableAvailability>> {
  const existing = new Set(
    (await store.query('SELECT table_name FROM duckdb_tables()')).rows.map((r) => String(r[0])),
  );
  const out = new Map<string, TableAvailability>();
  for (const table of new Set(tables)) {
    if (!existing.has(table)) {
      out.set(table, { rows: 0, lastTimestamp: null });
      continue;
    }
    const hasTimestamp = store.schema.table(table)?.columns.some((c) => c.name === 'Timestamp') ?? false;
    // Table names come from the schema and the catalog of existing tables, and are quoted.
    const sql = `SELECT count(*), ${hasTimestamp ? `CAST(max("Timestamp") AS VARCHAR)` : 'NULL'} FROM ${quoteIdentDuckdb(table)}`;
    const row = (await store.query(sql)).rows[0]!;
    out.set(table, {
      rows: Number(row[0]),
      lastTimestamp: row[1] === null ? null : isoTimestamp(String(row[1])),
    });
  }
  return out;
}

/** DuckDB's `2024-05-01 12:00:00.1234567` → `2024-05-01T12:00:00.1234567Z` (stored times are UTC). */
function isoTimestamp(text: string): string {
  return text.includes('T') ? text : `${text.replace(' ', 'T')}Z`;
}

/** The enriched data sources with store availability added (for callers that enrich before reading the store). */
export function withAvailability<T extends { dataSources: { value: DataSourceInfo[] } }>(
  enriched: T,
  availability: ReadonlyMap<string, TableAvailability>,
): T {
  const value = enriched.dataSources.value.map((d) => ({
    ...d,
    availability: {
      value: availability.get(d.table) ?? { rows: 0, lastTimestamp: null },
      source: 'store' as const,
    },
  }));
  return { ...enriched, dataSources: { ...enriched.dataSources, value } };
}
