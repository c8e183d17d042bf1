import { INGESTION_TIME_COLUMN, type KqlScalarType, type TableSchema } from '../../../schema/index.js';

export { INGESTION_TIME_COLUMN };

/**
 * How each KQL type is stored in DuckDB. datetime keeps Kusto's 100 ns precision
 * (TIMESTAMP_NS); timespan is a count of 100 ns ticks, exactly as Kusto defines it, so
 * arithmetic on it is exact integer arithmetic.
 */
export const DUCKDB_STORAGE_TYPE: Record<KqlScalarType, string> = {
  bool: 'BOOLEAN',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  datetime: 'TIMESTAMP_NS',
  timespan: 'BIGINT',
  string: 'VARCHAR',
  dynamic: 'JSON',
  guid: 'UUID',
};

export function quoteIdentDuckdb(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * DDL for one telemetry table. Strings are NOT NULL DEFAULT '': in KQL a string is never null,
 * and enforcing it in storage means no query has to coalesce on read.
 */
export function createTableSql(table: TableSchema): string {
  const cols = table.columns.map((c) => {
    const type = DUCKDB_STORAGE_TYPE[c.type];
    const constraint = c.type === 'string' ? " NOT NULL DEFAULT ''" : '';
    return `  ${quoteIdentDuckdb(c.name)} ${type}${constraint}`;
  });
  cols.push(`  ${quoteIdentDuckdb(INGESTION_TIME_COLUMN)} TIMESTAMP_NS`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentDuckdb(table.name)} (\n${cols.join(',\n')}\n)`;
}
