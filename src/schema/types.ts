/** KQL scalar type names, as Kusto spells them in `getschema` and result sets. */
export const KQL_SCALAR_TYPES = [
  'bool',
  'int',
  'long',
  'real',
  'decimal',
  'datetime',
  'timespan',
  'string',
  'dynamic',
  'guid',
] as const;
export type KqlScalarType = (typeof KQL_SCALAR_TYPES)[number];

export function isKqlScalarType(name: string): name is KqlScalarType {
  return (KQL_SCALAR_TYPES as readonly string[]).includes(name);
}

/** Shape of the generated schema data: columns are [name, type, description?] tuples to keep it small. */
export interface RawTable {
  name: string;
  description: string;
  columns: readonly (readonly [string, KqlScalarType] | readonly [string, KqlScalarType, string])[];
  sentinel: { available: boolean; hasTimeGenerated: boolean };
}

export interface ColumnSchema {
  name: string;
  type: KqlScalarType;
  description?: string;
}

export interface TableSchema {
  name: string;
  description: string;
  columns: ColumnSchema[];
  /** Column names that resolve to another column (e.g. Sentinel's `TimeGenerated` → `Timestamp`). */
  aliases: Record<string, string>;
}

/** Storage column holding each row's ingestion time (KQL `ingestion_time()`); not part of any table's KQL schema. */
export const INGESTION_TIME_COLUMN = '_socfeed_ingestion_time';
