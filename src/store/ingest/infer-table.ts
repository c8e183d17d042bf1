import type { SchemaCatalog } from '../../schema/index.js';

const UNION_SUFFIX = /_(long|string|dynamic|int|real|bool|boolean|datetime|guid|timespan|decimal|double)$/;

function baseKey(k: string): string {
  return k.replace(UNION_SUFFIX, '').toLowerCase();
}

function hasValue(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '';
}

/**
 * The table a flat row most likely comes from, by its column names, for exports that do not say
 * (e.g. a Log Analytics `union` export without `Type`, such as OTRF's GoldenSAML set):
 * 1. the table matching the most keys that carry a value;
 * 2. on a tie, the table whose columns are most completely present among all keys (a union export
 *    carries every column of each unioned table, with nulls).
 * Undefined when no table matches at least two valued keys or the best two still tie.
 */
export class TableInference {
  private readonly tables: { name: string; columns: Set<string> }[];
  private readonly cache = new Map<string, string | undefined>();

  constructor(schema: SchemaCatalog) {
    this.tables = schema.tables.map((t) => ({
      name: t.name,
      columns: new Set(t.columns.map((c) => c.name.toLowerCase())),
    }));
  }

  infer(row: Record<string, unknown>): string | undefined {
    const all = Object.keys(row).map(baseKey);
    const valued = Object.entries(row)
      .filter(([, v]) => hasValue(v))
      .map(([k]) => baseKey(k));
    const cacheKey = `${all.join(',')}|${valued.join(',')}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey);
    let best: { name: string; valued: number; coverage: number } | undefined;
    let tie = false;
    for (const t of this.tables) {
      const v = valued.filter((k) => t.columns.has(k)).length;
      const coverage = all.filter((k) => t.columns.has(k)).length / t.columns.size;
      if (!best || v > best.valued || (v === best.valued && coverage > best.coverage)) {
        best = { name: t.name, valued: v, coverage };
        tie = false;
      } else if (v === best.valued && coverage === best.coverage) {
        tie = true;
      }
    }
    const result = best && best.valued >= 2 && !tie ? best.name : undefined;
    this.cache.set(cacheKey, result);
    return result;
  }
}
