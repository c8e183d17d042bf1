import { cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { ScalarLowering } from './scalar.js';

/** DuckDB lowering of trigonometry and Unicode code point functions (catalog/scalar-text-math.ts). */

const X = { k: 'col' as const, name: '__x' };
const lambda = (body: SqlExpr): SqlExpr => ({ k: 'lambda', params: ['__x'], body });
const real = (e: SqlExpr): SqlExpr => cast(e, 'DOUBLE');

const unary =
  (name: string): ScalarLowering =>
  ([x], ctx) =>
    fn(name, real(ctx.expr(x!)));

export const TEXT_MATH_LOWERINGS: Record<string, ScalarLowering> = {
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  cot: unary('cot'),
  asin: unary('asin'),
  acos: unary('acos'),
  atan: unary('atan'),
  degrees: unary('degrees'),
  radians: unary('radians'),
  atan2: ([y, x], ctx) => fn('atan2', real(ctx.expr(y!)), real(ctx.expr(x!))),
  // DuckDB's length and substr count code points, like UTF-32 units.
  unicode_codepoints_from_string: ([s], ctx) => {
    const text = ctx.expr(s!);
    return fn(
      'to_json',
      fn(
        'list_transform',
        fn('range', num(1), op('+', fn('length', text), num(1))),
        lambda(fn('unicode', fn('substr', text, X, num(1)))),
      ),
    );
  },
  make_string: (args, ctx) =>
    args
      .map((a): SqlExpr => {
        const e = ctx.expr(a);
        if (a.type === 'dynamic')
          return fn(
            'array_to_string',
            fn(
              'list_transform',
              fn('from_json', e, str('["BIGINT"]')),
              lambda(fn('chr', cast(X, 'INTEGER'))),
            ),
            str(''),
          );
        return fn('chr', cast(e, 'INTEGER'));
      })
      .reduce((acc, x) => op('||', acc, x)),
};
