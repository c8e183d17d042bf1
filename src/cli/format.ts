import type { KqlCell, KqlColumn, KqlResult } from '../engine/types.js';

/** Text of one cell as a human reads it: strings bare, dynamic as compact JSON, null empty. */
export function cellText(v: KqlCell): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function formatJson(
  result: Pick<KqlResult, 'columns' | 'rows'>,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({ columns: result.columns, rows: result.rows, ...extra });
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(result: Pick<KqlResult, 'columns' | 'rows'>): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((v) => csvField(cellText(v))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** An aligned text table; long cells are cut so a wide result stays readable in a terminal. */
export function formatTable(
  columns: KqlColumn[],
  rows: KqlCell[][],
  opts: { maxCell?: number } = {},
): string {
  const max = opts.maxCell ?? 60;
  const clip = (s: string) => {
    const one = s.replace(/\r?\n/g, '⏎');
    return one.length > max ? one.slice(0, max - 1) + '…' : one;
  };
  const cells = rows.map((r) => r.map((v) => clip(cellText(v))));
  const headers = columns.map((c) => c.name);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells) out.push(line(r));
  return out.join('\n');
}
