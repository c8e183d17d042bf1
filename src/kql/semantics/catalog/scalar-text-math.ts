import type { ScalarFunction } from './scalar.js';

/**
 * Trigonometry and Unicode code point functions (kept apart so scalar.ts stays small; same shape
 * and rules as SCALAR_FUNCTIONS). DuckDB lowering: src/sql/dialects/duckdb/text-math.ts.
 */
const f = (
  name: string,
  minArgs: number,
  maxArgs: number,
  returns: ScalarFunction['returns'],
): ScalarFunction => ({ id: name, names: [name], minArgs, maxArgs, returns });

export const TEXT_MATH_FUNCTIONS: ScalarFunction[] = [
  ...['sin', 'cos', 'tan', 'cot', 'asin', 'acos', 'atan', 'degrees', 'radians'].map((n) =>
    f(n, 1, 1, 'real'),
  ),
  f('atan2', 2, 2, 'real'),
  // The string's Unicode code points, as a dynamic array of ints.
  f('unicode_codepoints_from_string', 1, 1, 'dynamic'),
  // The string made of code points given as ints or dynamic arrays of ints.
  f('make_string', 1, 64, 'string'),
];
