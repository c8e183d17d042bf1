import { quoteIdentDuckdb } from '../../../sql/dialects/duckdb/ddl.js';

/**
 * SQL text for a string constant. Used only where DuckDB needs a constant at bind time and a
 * bound parameter cannot be used (the json_transform structure, JSON paths that must be folded):
 * the text is either a schema name or a JSON key that passed `isCapturableKey`.
 */
export function sqlString(text: string): string {
  if (text.includes('\u0000')) throw new Error('NUL in SQL string constant');
  return `'${text.replace(/'/g, "''")}'`;
}

/** A list constant of strings, e.g. the table's column names. */
export function sqlStringList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]::VARCHAR[]`;
}

export const ident = quoteIdentDuckdb;

/**
 * JSON keys from the data that we are willing to name in generated SQL (as a constant inside the
 * json_transform structure and as a json_object key). Anything else is only counted, never spliced.
 */
export function isCapturableKey(key: string): boolean {
  return /^[A-Za-z0-9_@$.\- ]{1,128}$/.test(key);
}
