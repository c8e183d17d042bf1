import type { TableSchema } from '../../schema/index.js';
import { ROUTING_KEYS, type RecordShape } from './sql/pass-sql.js';

/**
 * What an input key means for a table:
 * - column: a column of the table
 * - consumed: routing metadata (Sentinel `Type`) or a column alias (`TimeGenerated`)
 * - variant: another spelling of a column — Log Analytics union suffixes (`ReportId_long`,
 *   `AdditionalFields_dynamic`) or a case difference (Sentinel `ISP` vs Defender `Isp`)
 * - extra: anything else ("unknown extra column")
 */
export type KeyClass =
  { kind: 'column' } | { kind: 'consumed' } | { kind: 'variant'; column: string } | { kind: 'extra' };

const UNION_SUFFIX =
  /^(.+)_(long|string|dynamic|int|real|bool|boolean|datetime|guid|timespan|decimal|double)$/;

export class KeyClassifier {
  private readonly columns: Set<string>;
  private readonly byLower = new Map<string, string>();

  constructor(
    private readonly table: TableSchema,
    private readonly shape: RecordShape,
  ) {
    this.columns = new Set(table.columns.map((c) => c.name));
    for (const c of table.columns) this.byLower.set(c.name.toLowerCase(), c.name);
  }

  classify(key: string): KeyClass {
    if (this.columns.has(key)) return { kind: 'column' };
    if (key in this.table.aliases) return { kind: 'consumed' };
    if (this.shape !== 'envelope' && (ROUTING_KEYS as readonly string[]).includes(key))
      return { kind: 'consumed' };
    const m = UNION_SUFFIX.exec(key);
    if (m && this.columns.has(m[1]!)) return { kind: 'variant', column: m[1]! };
    const ci = this.byLower.get(key.toLowerCase());
    if (ci) return { kind: 'variant', column: ci };
    return { kind: 'extra' };
  }
}
