/** Result rendering shared by the rule page's Run and the console. DOM text only, never markup. */

export interface Column {
  name: string;
  type: string;
}

export type Cell = null | boolean | number | string | Cell[] | { [k: string]: Cell };

export interface RunResponse {
  columns: Column[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  maxRows: number;
  chart?: { kind: string; properties: Record<string, Cell> };
  warnings: { code: string; message: string }[];
  now: string;
  lookback?: string;
}

export interface ApiError {
  error: { code: string; message: string; hint?: string; diagnostics?: Diagnostic[] };
}

export interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  start: number;
  end: number;
  hint?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

export function cellText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'object') return JSON.stringify(c);
  return String(c);
}

/** A results grid: numbers right-aligned, dynamic values as compact JSON, null shown faintly. */
export function resultTable(r: RunResponse): HTMLElement {
  const numeric = r.columns.map((c) => ['int', 'long', 'real', 'decimal'].includes(c.type));
  const head = el(
    'tr',
    {},
    ...r.columns.map((c, i) =>
      el('th', numeric[i] ? { title: c.type, class: 'num' } : { title: c.type }, c.name),
    ),
  );
  const body = el('tbody');
  for (const row of r.rows) {
    const tr = el('tr');
    row.forEach((cell, i) => {
      const td = el('td', numeric[i] ? { class: 'num' } : {}, cellText(cell));
      if (cell === null) td.classList.add('null');
      tr.append(td);
    });
    body.append(tr);
  }
  return el(
    'div',
    { class: 'scroll result-scroll' },
    el('table', { class: 'grid results' }, el('thead', {}, head), body),
  );
}

export function summaryLine(r: RunResponse): string {
  const rows = `${r.rowCount} row${r.rowCount === 1 ? '' : 's'}`;
  return `${rows}${r.truncated ? ` (cut at the cap of ${r.maxRows})` : ''} · now = ${r.now}${r.lookback ? ` · look-back ${r.lookback}` : ''}`;
}

/** POSTs JSON to the API; returns the parsed answer or throws the API's error. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = (await res.json()) as T | ApiError;
  if (!res.ok) throw new ApiFailure((data as ApiError).error);
  return data as T;
}

export class ApiFailure extends Error {
  constructor(readonly detail: ApiError['error']) {
    super(detail.message);
  }
}

export function errorBox(e: unknown): HTMLElement {
  const box = el('div', { class: 'error-box', role: 'alert' });
  if (e instanceof ApiFailure) {
    box.append(el('pre', {}, e.detail.message));
    if (e.detail.hint) box.append(el('p', { class: 'muted' }, e.detail.hint));
  } else {
    box.append(el('p', {}, `The request failed: ${(e as Error).message}`));
  }
  return box;
}
