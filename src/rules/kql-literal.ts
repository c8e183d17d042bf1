import { RuntimeFailure } from '../util/errors.js';

/**
 * The one way socfeed writes a value into generated KQL as a string literal.
 *
 * A value holding a backslash (a path) becomes a verbatim literal `@'…'`, where the backslash is
 * plain text and a quote is written twice; anything else becomes `'…'` with `\'` and `\\`
 * escapes, the form the seed rules use. Non-ASCII text is written as is (KQL strings are Unicode).
 * Control characters have no business in an indicator; they are refused loudly rather than
 * escaped in a form a reader would not expect.
 */
export function kqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new RuntimeFailure(
      'SF-KQL-LITERAL',
      `cannot write a control character into a KQL literal: ${JSON.stringify(value)}`,
    );
  }
  if (value.includes('\\')) return `@'${value.replace(/'/g, "''")}'`;
  return `'${value.replace(/'/g, "\\'")}'`;
}

/** `('a', 'b')`, or a parenthesised, indented list when it would be long (seed style). */
export function kqlStringList(values: readonly string[], indent: string): string {
  const items = values.map(kqlString);
  const oneLine = `(${items.join(', ')})`;
  if (oneLine.length <= 60 && values.length <= 3) return oneLine;
  return `(\n${items.map((i) => `${indent}    ${i}`).join(',\n')}\n${indent})`;
}
