import type { TechniqueCoverage } from '../../rules/publish/coverage.js';
import { COVERAGE_SCORE } from '../../rules/publish/coverage.js';
import { html, queryString, type Html } from '../html.js';
import { badge, page } from '../layout.js';
import type { WebState } from '../state.js';

/** How a covered technique is coloured: by whether its rules can run on the store's data, and hits. */
export function heat(c: TechniqueCoverage): { cls: string; label: string } {
  if (c.hits) return { cls: 'heat-hits', label: `${c.hits} findings in the latest hunt` };
  if (c.runnable === null) return { cls: 'heat-nostore', label: 'no store consulted' };
  if (c.runnable === 0) return { cls: 'heat-nodata', label: 'rules, no data in the store' };
  if (c.runnable < c.rules.length) return { cls: 'heat-partial', label: 'some rules have data' };
  return { cls: 'heat-data', label: 'every rule has data' };
}

export function coveragePage(state: WebState, hits?: ReadonlyMap<string, number>): string {
  const cov = state.coverage(hits);
  const tactics = state.attack.tactics;
  const techniquesPerTactic = new Map<string, number>();
  for (const t of state.attack.data.techniques)
    if (!t.subtechnique)
      for (const s of t.tactics) techniquesPerTactic.set(s, (techniquesPerTactic.get(s) ?? 0) + 1);

  const matrix = html`<div class="matrix" role="table" aria-label="ATT&CK coverage">
${tactics.map((t) => {
  const cells = cov.filter((c) => c.tactic === t.shortname);
  const covered = new Set(cells.map((c) => c.parent ?? c.techniqueId)).size;
  return html`<div class="tactic" role="rowgroup">
<div class="tactic-head" role="columnheader"><a href="/${queryString({ tactic: t.shortname })}">${t.name}</a>
<span class="small">${covered} of ${techniquesPerTactic.get(t.shortname) ?? 0}</span></div>
${cells.map((c) => {
  const h = heat(c);
  return html`<a class="cell ${h.cls}" role="cell" href="/${queryString({ technique: c.techniqueId })}" title="${c.techniqueId} ${c.name}: ${c.rules.length} rules; ${h.label}; score ${c.score}">
<span class="tid">${c.techniqueId}</span><span class="tname">${c.name}</span><span class="tcount">${c.rules.length}</span></a>`;
})}
</div>`;
})}
</div>`;

  const legend = html`<p class="legend">
<span class="cell heat-data">every rule has data</span>
<span class="cell heat-partial">some rules have data</span>
<span class="cell heat-nodata">rules, no data in the store</span>
${hits ? html`<span class="cell heat-hits">findings in the latest hunt</span>` : ''}
${state.persistent ? '' : html`<span class="cell heat-nostore">no store consulted</span>`}
</p>`;

  const body = html`
<section class="coverage-head">
  <h1>Coverage</h1>
  <p class="muted">ATT&CK Enterprise v${state.attack.version}: techniques hunted by the ${state.rules.length} rules, coloured by whether the store holds the data they read.
  Score per technique: ${COVERAGE_SCORE.perRule} per rule (at most ${COVERAGE_SCORE.maxRules}), up to ${COVERAGE_SCORE.data} for rules with data, ${COVERAGE_SCORE.hits} for recent hits.</p>
  <p><a class="button" href="/api/coverage/navigator" download="socfeed-layer.json">Download ATT&CK Navigator layer</a></p>
</section>
${legend}
${cov.length ? matrix : html`<p class="empty">No rule cites an ATT&CK technique.</p>`}
<div class="two-col">
<section><h2>Data sources</h2>${dataSourceTable(state)}</section>
<section><h2>RMM tools</h2>${toolTable(state)}</section>
</div>`;
  return page({ title: 'Coverage', nav: 'coverage', body, dbLabel: state.dbLabel });
}

function dataSourceTable(state: WebState): Html {
  const byTable = new Map<
    string,
    { rules: number; runnable: number; rows?: number; last?: string | null; inSchema: boolean }
  >();
  for (const { enriched } of state.entries) {
    for (const d of enriched.dataSources.value) {
      const row = byTable.get(d.table) ?? { rules: 0, runnable: 0, inSchema: d.inSchema };
      row.rules++;
      if (d.availability) {
        row.rows = d.availability.value.rows;
        row.last = d.availability.value.lastTimestamp;
      }
      byTable.set(d.table, row);
    }
  }
  const rows = [...byTable].sort((a, b) => b[1].rules - a[1].rules || a[0].localeCompare(b[0]));
  return html`<table class="grid"><thead><tr><th>Table</th><th class="num">Rules</th><th>In the store</th><th>Last event</th></tr></thead><tbody>
${rows.map(
  ([table, r]) =>
    html`<tr><td><a href="/${queryString({ table })}"><code>${table}</code></a></td><td class="num">${r.rules}</td><td>${
      !r.inSchema
        ? badge('not in schema', 'warn')
        : r.rows === undefined
          ? badge('no store', 'plain')
          : r.rows > 0
            ? badge(`${r.rows.toLocaleString('en-US')} rows`, 'ok')
            : badge('no rows', 'warn')
    }</td><td class="small">${r.last ?? '—'}</td></tr>`,
)}
</tbody></table>`;
}

function toolTable(state: WebState): Html {
  const tools = new Map<string, { name: string; category: string; rules: number; tables: Set<string> }>();
  for (const { enriched } of state.entries) {
    for (const t of enriched.tools.value) {
      const row = tools.get(t.id) ?? {
        name: t.name,
        category: t.category,
        rules: 0,
        tables: new Set<string>(),
      };
      row.rules++;
      for (const d of enriched.dataSources.value) row.tables.add(d.table);
      tools.set(t.id, row);
    }
  }
  const rows = [...tools].sort((a, b) => b[1].rules - a[1].rules || a[1].name.localeCompare(b[1].name));
  return html`<p class="muted small">${rows.length} tools with at least one rule.</p>
<div class="scroll"><table class="grid"><thead><tr><th>Tool</th><th>Category</th><th class="num">Rules</th><th>Signals</th></tr></thead><tbody>
${rows.map(
  ([id, t]) =>
    html`<tr><td><a href="/${queryString({ tool: id })}">${t.name}</a></td><td class="small">${t.category}</td><td class="num">${t.rules}</td><td class="small">${[...t.tables].sort().join(', ')}</td></tr>`,
)}
</tbody></table></div>`;
}
