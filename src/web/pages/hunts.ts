import { html } from '../html.js';
import { page } from '../layout.js';
import type { HuntsView } from '../hunt-data.js';

export function huntsPage(dbLabel: string, v: HuntsView): string {
  const body = html`
<h1>Hunts</h1>
${v.available ? html`<p class="muted">Hunt tables in the store: ${v.tables.join(', ')}.</p>` : emptyState()}`;
  return page({ title: 'Hunts', nav: 'hunts', body, dbLabel });
}

function emptyState() {
  return html`<div class="empty-state">
<p>No hunt has run over this store yet.</p>
<p>A hunt runs a rule pack over the store and records per-device findings, with what is new, gone or changed since the previous run. Stop <code>socfeed serve</code> (the store allows one writer), then run</p>
<pre><code>socfeed hunt --db socfeed.duckdb</code></pre>
<p>and start <code>socfeed serve</code> again: runs, findings and the RMM inventory show here.</p>
</div>`;
}
