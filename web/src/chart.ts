import { cellText, type RunResponse } from './results.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2'];
const W = 880;
const H = 260;
const PAD = { l: 56, r: 16, t: 16, b: 40 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

/**
 * A simple chart for `render timechart|columnchart|barchart|piechart`: the first datetime (time
 * chart) or string column is the x axis, numeric columns are the series. Text goes in as
 * textContent only.
 */
export function drawChart(r: RunResponse): SVGSVGElement | undefined {
  const kind = r.chart?.kind ?? '';
  if (!['timechart', 'linechart', 'columnchart', 'barchart', 'piechart', 'areachart'].includes(kind))
    return undefined;
  const xi =
    kind === 'timechart' || kind === 'linechart' || kind === 'areachart'
      ? r.columns.findIndex((c) => c.type === 'datetime')
      : r.columns.findIndex((c) => !NUMERIC.has(c.type));
  const ys = r.columns.map((c, i) => (NUMERIC.has(c.type) && i !== xi ? i : -1)).filter((i) => i >= 0);
  if (xi < 0 || ys.length === 0 || r.rows.length === 0) return undefined;
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart-svg',
    role: 'img',
    'aria-label': `${kind} of the result`,
  });
  if (kind === 'piechart') return pie(root, r, xi, ys[0]!);
  const rows =
    kind === 'timechart'
      ? [...r.rows].sort((a, b) => cellText(a[xi]!).localeCompare(cellText(b[xi]!)))
      : r.rows;
  const max = Math.max(1e-9, ...rows.flatMap((row) => ys.map((i) => Number(row[i] ?? 0))));
  const plotW = W - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const y = (v: number) => PAD.t + plotH - (v / max) * plotH;
  for (const f of [0, 0.5, 1]) {
    root.append(
      svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(max * f), y2: y(max * f), class: 'grid-line' }),
    );
    root.append(
      svg(
        'text',
        { x: PAD.l - 6, y: y(max * f) + 4, 'text-anchor': 'end', class: 'axis' },
        formatNum(max * f),
      ),
    );
  }
  const n = rows.length;
  if (kind === 'columnchart' || kind === 'barchart') {
    const band = plotW / n;
    const bw = Math.max(2, (band * 0.8) / ys.length);
    rows.forEach((row, j) => {
      ys.forEach((yi, s) => {
        const v = Number(row[yi] ?? 0);
        const x = PAD.l + j * band + band * 0.1 + s * bw;
        const rect = svg('rect', {
          x,
          y: y(v),
          width: bw,
          height: PAD.t + plotH - y(v),
          fill: COLORS[s % COLORS.length]!,
        });
        rect.append(svg('title', {}, `${cellText(row[xi]!)}: ${v}`));
        root.append(rect);
      });
      if (n <= 24)
        root.append(
          svg(
            'text',
            { x: PAD.l + (j + 0.5) * band, y: H - PAD.b + 16, 'text-anchor': 'middle', class: 'axis' },
            short(cellText(row[xi]!)),
          ),
        );
    });
  } else {
    const x = (j: number) => PAD.l + (n === 1 ? plotW / 2 : (j / (n - 1)) * plotW);
    ys.forEach((yi, s) => {
      const d = rows
        .map((row, j) => `${j ? 'L' : 'M'}${x(j).toFixed(1)},${y(Number(row[yi] ?? 0)).toFixed(1)}`)
        .join(' ');
      root.append(svg('path', { d, fill: 'none', stroke: COLORS[s % COLORS.length]!, 'stroke-width': 2 }));
    });
    for (const j of [0, Math.floor((n - 1) / 2), n - 1])
      root.append(
        svg(
          'text',
          { x: x(j), y: H - PAD.b + 16, 'text-anchor': 'middle', class: 'axis' },
          cellText(rows[j]![xi]!).replace('T', ' ').slice(0, 16),
        ),
      );
  }
  ys.forEach((yi, s) =>
    root.append(
      svg(
        'text',
        { x: PAD.l + s * 160, y: H - 6, class: 'legend-text', fill: COLORS[s % COLORS.length]! },
        `■ ${r.columns[yi]!.name}`,
      ),
    ),
  );
  return root;
}

function pie(root: SVGSVGElement, r: RunResponse, xi: number, yi: number): SVGSVGElement {
  const items = r.rows
    .map((row) => ({ label: cellText(row[xi]!), v: Math.max(0, Number(row[yi] ?? 0)) }))
    .slice(0, 12);
  const total = items.reduce((s, i) => s + i.v, 0) || 1;
  const cx = 140;
  const cy = H / 2;
  const rad = 110;
  let a = -Math.PI / 2;
  items.forEach((it, k) => {
    const b = a + (it.v / total) * Math.PI * 2;
    const large = b - a > Math.PI ? 1 : 0;
    const d = `M${cx},${cy} L${cx + rad * Math.cos(a)},${cy + rad * Math.sin(a)} A${rad},${rad} 0 ${large} 1 ${cx + rad * Math.cos(b)},${cy + rad * Math.sin(b)} Z`;
    const path = svg('path', { d, fill: COLORS[k % COLORS.length]!, stroke: '#fff' });
    path.append(svg('title', {}, `${it.label}: ${it.v}`));
    root.append(path);
    root.append(
      svg(
        'text',
        { x: 290, y: 30 + k * 18, class: 'legend-text', fill: COLORS[k % COLORS.length]! },
        `■ ${short(it.label, 40)} (${it.v})`,
      ),
    );
    a = b;
  });
  return root;
}

function short(s: string, n = 12): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function formatNum(v: number): string {
  return Math.abs(v) >= 1000
    ? v.toLocaleString('en-US', { maximumFractionDigits: 0 })
    : String(Math.round(v * 100) / 100);
}
