import type { ExtraColumnReport, RenamedColumnReport } from './types.js';

/** What one input file contributed, accumulated over its chunks. */
export class FileCounters {
  readonly rows = new Map<string, number>();
  rejects = 0;
  readonly skipped = new Map<string, number>();
  readonly inferred = new Map<string, number>();
  private readonly extras = new Map<string, ExtraColumnReport>();
  private readonly renamed = new Map<string, RenamedColumnReport>();

  addRows(table: string, n: number): void {
    if (n > 0) this.rows.set(table, (this.rows.get(table) ?? 0) + n);
  }

  skip(kind: string, n = 1): void {
    this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + n);
  }

  infer(table: string): void {
    this.inferred.set(table, (this.inferred.get(table) ?? 0) + 1);
  }

  extra(table: string, column: string, rows: number, kept: ExtraColumnReport['kept']): void {
    if (rows <= 0) return;
    const key = `${table}\u0000${column}`;
    const e = this.extras.get(key);
    if (e) e.rows += rows;
    else this.extras.set(key, { table, column, rows, kept });
  }

  rename(table: string, from: string, to: string, rows: number): void {
    const key = `${table}\u0000${from}`;
    const e = this.renamed.get(key);
    if (e) e.rows += rows;
    else this.renamed.set(key, { table, from, to, rows });
  }

  get totalRows(): number {
    let n = 0;
    for (const v of this.rows.values()) n += v;
    return n;
  }

  extraColumns(): ExtraColumnReport[] {
    return [...this.extras.values()].sort((a, b) => a.table.localeCompare(b.table) || b.rows - a.rows);
  }

  renamedColumns(): RenamedColumnReport[] {
    return [...this.renamed.values()].sort(
      (a, b) => a.table.localeCompare(b.table) || a.from.localeCompare(b.from),
    );
  }
}
