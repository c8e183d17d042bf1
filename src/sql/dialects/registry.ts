import type { Dialect } from './dialect.js';
import { duckdbDialect } from './duckdb/dialect.js';
import { clickhouseDialect } from './clickhouse/dialect.js';

/** Every SQL dialect socfeed can generate. Contract tests iterate this list. */
const DIALECTS: Record<string, Dialect> = {
  duckdb: duckdbDialect,
  clickhouse: clickhouseDialect,
};

export function getDialect(name: string): Dialect {
  const d = DIALECTS[name];
  if (!d) throw new Error(`unknown SQL dialect '${name}'`);
  return d;
}

export function dialectNames(): string[] {
  return Object.keys(DIALECTS);
}
