import type { Span } from '../diagnostics.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { Binder } from './binder.js';

/**
 * Sizes socfeed refuses up front instead of letting the engine run out of memory. Kusto has no
 * documented cap on the `range` operator; an embedded engine on a laptop needs one.
 */
export const MAX_RANGE_ROWS = 100_000_000;

/** `range x from a to b step s` with constant bounds: at most MAX_RANGE_ROWS rows, else SF303. */
export function checkRangeSize(b: Binder, from: IrExpr, to: IrExpr, step: IrExpr, span: Span): void {
  if (from.kind !== 'const' || to.kind !== 'const' || step.kind !== 'const') return;
  const [a, z, s] = [from.value, to.value, step.value].map((v) =>
    typeof v === 'bigint' || typeof v === 'number' ? Number(v) : undefined,
  );
  if (a === undefined || z === undefined || s === undefined) return;
  if (s === 0) b.fail('SF201', 'range step cannot be zero', span);
  const rows = Math.floor((z - a) / s) + 1;
  if (rows > MAX_RANGE_ROWS) {
    b.fail(
      'SF303',
      `range would produce ${rows.toLocaleString('en-US')} rows; socfeed runs at most ${MAX_RANGE_ROWS.toLocaleString('en-US')} rows per range`,
      span,
      'use a larger step or a narrower interval',
    );
  }
}
