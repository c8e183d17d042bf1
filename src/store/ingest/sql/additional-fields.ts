import { sqlString } from './literals.js';

/*
 * Unknown keys ("extras") go into the row's AdditionalFields. Both helpers build text by
 * concatenation (keys passed isCapturableKey, values are JSON text already), so the common case
 * parses nothing; the original AdditionalFields text is kept byte for byte.
 */

/**
 * The extras of a row as the inside of a JSON object (`"k":v,...`, no braces), NULL when there are
 * none. `values` are SQL expressions of JSON text, one per key. Null and empty values are left out
 * (a `union` export pads every row with the other tables' columns), and so is a key the row's own
 * AdditionalFields (text `a`) already has: the original value wins.
 */
export function extrasObjectSql(a: string, keys: readonly string[], values: readonly string[]): string {
  const parts = keys.map((k, i) => {
    const x = values[i]!;
    const inAf = `CASE WHEN contains(${a}, ${sqlString(`"${k}"`)}) THEN json_valid(${a}) AND json_exists(${a}, ${sqlString(`$."${k}"`)}) ELSE false END`;
    return `CASE WHEN ${x} IS NULL OR ${x} = '""' OR ${inAf} THEN NULL ELSE ${sqlString(`"${k}":`)} || ${x} END`;
  });
  return parts.length === 1 ? parts[0]! : `NULLIF(concat_ws(',', ${parts.join(', ')}), '')`;
}

/**
 * AdditionalFields (text `a`) with the extras `e` spliced in after its opening brace; a value that
 * is not a JSON object is kept under the key "AdditionalFields".
 */
export function mergedAdditionalFieldsSql(a: string, e: string): string {
  return (
    `CASE WHEN ${e} IS NULL THEN ${a} ` +
    `WHEN ${a} IS NULL OR ${a} = '' THEN '{' || ${e} || '}' ` +
    `WHEN ${a} LIKE '{%}' AND json_valid(${a}) THEN CASE WHEN trim(substr(${a}, 2, length(${a}) - 2)) = '' ` +
    `THEN '{' || ${e} || '}' ELSE '{' || ${e} || ',' || substr(${a}, 2) END ` +
    `ELSE '{' || ${e} || ',"AdditionalFields":' || CASE WHEN json_valid(${a}) THEN ${a} ELSE CAST(to_json(${a}) AS VARCHAR) END || '}' END`
  );
}
