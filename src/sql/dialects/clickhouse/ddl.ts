import { INGESTION_TIME_COLUMN, type KqlScalarType, type TableSchema } from '../../../schema/index.js';

/**
 * How each KQL type is stored in ClickHouse. datetime keeps Kusto's 100 ns ticks exactly
 * (DateTime64(7), always UTC); timespan is a count of ticks (Int64) as in the DuckDB store;
 * dynamic is JSON text. Every type but string is Nullable: strings are never null in KQL.
 */
export const CH_VALUE_TYPE: Record<KqlScalarType, string> = {
  bool: 'Bool',
  int: 'Int32',
  long: 'Int64',
  real: 'Float64',
  decimal: 'Float64',
  datetime: "DateTime64(7, 'UTC')",
  timespan: 'Int64',
  string: 'String',
  dynamic: 'String',
  guid: 'UUID',
};

/** The SQL type of a (possibly null) KQL value of type `t`. */
export function chType(t: KqlScalarType): string {
  return t === 'string' ? 'String' : `Nullable(${CH_VALUE_TYPE[t]})`;
}

/** Backquoted identifier; ClickHouse reads backslash escapes inside quoted identifiers. */
export function quoteIdentClickhouse(name: string): string {
  if (name.includes('\0')) throw new Error('SF900: identifier contains NUL');
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

export interface ClickhouseTableOptions {
  /** Database to create the table in (quoted); omitted → the connection's default database. */
  database?: string;
  /** Table engine clause; defaults to MergeTree ordered for hunting. */
  engine?: string;
  /** Name suffix for the local table of a Distributed set-up (`_local`). */
  suffix?: string;
  /** `ON CLUSTER name` for cluster-wide DDL. */
  cluster?: string;
}

/** ORDER BY key for hunting: per device, then time; tables without those columns fall back. */
export function sortingKey(table: TableSchema): string[] {
  const names = new Set(table.columns.map((c) => c.name));
  const key = ['DeviceId', 'Timestamp'].filter((n) => names.has(n));
  return key;
}

function qualified(table: string, opts: ClickhouseTableOptions): string {
  const name = quoteIdentClickhouse(table + (opts.suffix ?? ''));
  return opts.database ? `${quoteIdentClickhouse(opts.database)}.${name}` : name;
}

/**
 * DDL for one telemetry table: MergeTree ordered by (DeviceId, Timestamp) and partitioned by
 * day, so a hunt over one device or one time window reads few parts. Sort-key columns must not be
 * Nullable, so they are stored with a default instead (an absent DeviceId is '' anyway).
 */
export function createTableSqlClickhouse(table: TableSchema, opts: ClickhouseTableOptions = {}): string {
  const key = sortingKey(table);
  const cols = table.columns.map((c) => {
    const inKey = key.includes(c.name);
    const type = c.type === 'string' ? "String DEFAULT ''" : inKey ? CH_VALUE_TYPE[c.type] : chType(c.type);
    return `  ${quoteIdentClickhouse(c.name)} ${type}`;
  });
  cols.push(`  ${quoteIdentClickhouse(INGESTION_TIME_COLUMN)} Nullable(${CH_VALUE_TYPE.datetime})`);
  const hasTimestamp = table.columns.some((c) => c.name === 'Timestamp' && c.type === 'datetime');
  const engine = opts.engine ?? 'MergeTree';
  const clauses = [`ENGINE = ${engine}`];
  if (hasTimestamp) clauses.push(`PARTITION BY toDate(${quoteIdentClickhouse('Timestamp')})`);
  clauses.push(key.length ? `ORDER BY (${key.map(quoteIdentClickhouse).join(', ')})` : 'ORDER BY tuple()');
  const on = opts.cluster ? ` ON CLUSTER ${quoteIdentClickhouse(opts.cluster)}` : '';
  return `CREATE TABLE IF NOT EXISTS ${qualified(table.name, opts)}${on} (\n${cols.join(',\n')}\n)\n${clauses.join('\n')}`;
}

/**
 * The Distributed table over per-shard `<table>_local` tables (see docs/clickhouse.md): queries
 * name the plain table, ClickHouse fans them out to every shard.
 */
export function createDistributedTableSql(table: TableSchema, cluster: string, database: string): string {
  const local = quoteIdentClickhouse(table.name + '_local');
  const shardKey = table.columns.some((c) => c.name === 'DeviceId')
    ? `cityHash64(${quoteIdentClickhouse('DeviceId')})`
    : 'rand()';
  const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentClickhouse(database)}.${quoteIdentClickhouse(table.name)} ON CLUSTER ${quoteIdentClickhouse(cluster)}\n` +
    `AS ${quoteIdentClickhouse(database)}.${local}\n` +
    `ENGINE = Distributed(${lit(cluster)}, ${lit(database)}, ${lit(table.name + '_local')}, ${shardKey})`
  );
}
