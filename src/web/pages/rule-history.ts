import { html, type Html } from '../html.js';
import type { RuleHistory } from '../hunt-data.js';
import { shortTime } from '../layout.js';

export function historySection(h: RuleHistory): Html {
  const body = !h.available
    ? html`<p class="muted">No hunt has run over this store yet. Run one with <code>socfeed hunt</code>; its findings show here and on the <a href="/hunts">Hunts</a> page.</p>`
    : h.runs.length === 0
      ? html`<p class="muted">No hunt run has included this rule yet.</p>`
      : html`<table class="grid"><thead><tr><th>Run</th><th>Started</th><th>now</th><th>How it ran</th><th class="num">Findings</th><th class="num">New</th><th class="num">Gone</th></tr></thead><tbody>
${h.runs.map(
  (r) =>
    html`<tr><td><a href="/hunts?run=${r.runId}">#${r.runId}</a></td><td class="small time">${shortTime(r.startedAt)}</td><td class="small time">${shortTime(r.now)}</td><td>${r.mode}</td><td class="num">${r.findings}</td><td class="num">${r.new}</td><td class="num">${r.gone}</td></tr>`,
)}
</tbody></table>`;
  return html`<section class="rule-section" id="history"><h2>Findings history</h2>${body}</section>`;
}
