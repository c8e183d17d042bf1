import { rmmCatalog } from '../../rules/rmm-catalog.js';
import { html, queryString, type Html } from '../html.js';
import { badge, page, shortTime } from '../layout.js';
import { ruleHref } from './feed.js';
import type { HuntFinding, HuntRun, InventoryRow } from '../hunt-data.js';
import { inventory } from '../hunt-data.js';
import { LOOKBACKS } from '../rule-run.js';

export interface HuntsQuery {
  run?: number;
  device?: string;
  delta?: string;
}

export function parseHuntsQuery(params: URLSearchParams): HuntsQuery {
  const q: HuntsQuery = {};
  const run = Number(params.get('run'));
  if (Number.isInteger(run) && run > 0) q.run = run;
  const device = params.get('device');
  if (device) q.device = device.slice(0, 300);
  const delta = params.get('delta');
  if (delta && ['new', 'changed', 'unchanged', 'gone'].includes(delta)) q.delta = delta;
  return q;
}

export interface HuntsData {
  available: boolean;
  runs: HuntRun[];
  run?: HuntRun;
  findings: HuntFinding[];
}

/** Runs, the selected run's findings with their deltas, device drill-down and the RMM inventory. */
/** What the "Run the hunt" form shows: the default `now` and the policy `serve` was given. */
export interface HuntForm {
  now?: string;
  policy?: string;
}

export function huntsPage(dbLabel: string, d: HuntsData, q: HuntsQuery, form: HuntForm): string {
  const body = html`${!d.available || !d.run ? emptyState(d.available) : runView(d, d.run, q)}
${huntForm(form)}`;
  return page({ title: 'Hunts', nav: 'hunts', body, dbLabel });
}

function toolName(id: string): string {
  return rmmCatalog().tool(id)?.name ?? id;
}

function runView(d: HuntsData, run: HuntRun, q: HuntsQuery): Html {
  const link = (over: HuntsQuery) =>
    `/hunts${queryString({ run: run.runId, device: q.device, delta: q.delta, ...over })}`;
  const scoped = q.device ? d.findings.filter((f) => f.deviceName === q.device) : d.findings;
  const shown = q.delta ? scoped.filter((f) => f.delta === q.delta) : scoped;
  const inv = inventory(scoped);
  const devices = new Set(d.findings.filter((f) => f.delta !== 'gone').map((f) => f.deviceName));
  const unapproved = inventory(d.findings).filter((r) => !r.approved).length;
  const stat = (label: string, value: number | string, delta?: string) =>
    html`<a class="stat" href="${link({ delta })}"${q.delta === delta && delta ? html` aria-current="true"` : ''}><strong>${value}</strong>${label}</a>`;
  return html`
<h1>Hunts</h1>
<p class="muted">Run #${run.runId}${run.previousRunId ? ` (compared with #${run.previousRunId})` : ' (first run: every finding is new)'} ·
now ${run.now}${run.windowStart ? ` · events since ${run.windowStart}` : ''}${run.lookback ? ` (look-back ${run.lookback})` : ''} ·
${run.rules} rules · ${run.policy ? `policy ${run.policy}` : 'no approved-tools policy: every tool is raised'}</p>
<div class="stats">
  ${stat('findings', run.findings, undefined)}
  ${stat('new', run.counts.new, 'new')}
  ${stat('changed', run.counts.changed, 'changed')}
  ${stat('gone', run.counts.gone, 'gone')}
  <div class="stat"><strong>${devices.size}</strong>devices</div>
  <div class="stat"><strong>${unapproved}</strong>unapproved tool sightings</div>
</div>
${q.device ? html`<p class="drill">Device <strong>${q.device}</strong> · <a href="${link({ device: undefined })}">all devices</a></p>` : ''}
<section class="hunt-section" id="inventory">
<h2>RMM inventory${q.device ? ` on ${q.device}` : ''}</h2>
${inv.length ? inventoryTable(inv, link) : html`<p class="muted">No RMM tool seen${q.device ? ' on this device' : ''} in this run.</p>`}
</section>
<section class="hunt-section" id="findings">
<h2>Findings${q.delta ? ` (${q.delta})` : ''}</h2>
${shown.length ? findingsTable(shown, link) : html`<p class="muted">No finding${q.delta ? ` with delta ${q.delta}` : ''}.</p>`}
</section>
<section class="hunt-section" id="runs">
<h2>Runs</h2>
${runsTable(d.runs, run.runId)}
</section>`;
}

function inventoryTable(rows: InventoryRow[], link: (o: HuntsQuery) => string): Html {
  return html`<div class="scroll"><table class="grid"><thead><tr><th>Status</th><th>Device</th><th>Tool</th><th>Signals</th><th>First seen</th><th>Last seen</th><th class="num">Events</th><th>Why</th></tr></thead><tbody>
${rows.map(
  (
    r,
  ) => html`<tr class="${r.approved ? 'approved' : 'unapproved'}"><td>${r.approved ? badge('approved', 'ok') : badge('unapproved', 'warn')}</td>
<td><a href="${link({ device: r.deviceName })}">${r.deviceName}</a></td><td>${toolName(r.tool)}</td><td class="small">${r.signals.join(', ')}</td>
<td class="small time">${shortTime(r.firstSeen)}</td><td class="small time">${shortTime(r.lastSeen)}</td><td class="num">${r.events}</td><td class="small">${r.note}</td></tr>`,
)}
</tbody></table></div>`;
}

function findingsTable(rows: HuntFinding[], link: (o: HuntsQuery) => string): Html {
  return html`<div class="scroll"><table class="grid"><thead><tr><th>Delta</th><th>Device</th><th>Tool</th><th>Signal</th><th>First seen</th><th>Last seen</th><th class="num">Events</th><th>Rule</th></tr></thead><tbody>
${rows.map(
  (
    f,
  ) => html`<tr><td><span class="delta-${f.delta}">${f.delta}</span></td><td><a href="${link({ device: f.deviceName })}">${f.deviceName}</a></td>
<td>${f.tool ? toolName(f.tool) : '—'}</td><td class="small">${f.signal ?? '—'}</td><td class="small time">${shortTime(f.firstSeen)}</td><td class="small time">${shortTime(f.lastSeen)}</td>
<td class="num">${f.count ?? '—'}</td><td class="small"><a href="${ruleHref({ id: f.ruleId, source: f.source })}">${f.ruleName}</a></td></tr>`,
)}
</tbody></table></div>`;
}

function runsTable(runs: HuntRun[], current: number): Html {
  return html`<table class="grid"><thead><tr><th>Run</th><th>Started</th><th>now</th><th class="num">Rules</th><th class="num">Findings</th><th class="num">New</th><th class="num">Changed</th><th class="num">Gone</th><th>Policy</th></tr></thead><tbody>
${runs.map(
  (
    r,
  ) => html`<tr${r.runId === current ? html` class="current"` : ''}><td><a href="/hunts?run=${r.runId}">#${r.runId}</a></td><td class="small time">${shortTime(r.startedAt)}</td><td class="small time">${shortTime(r.now)}</td>
<td class="num">${r.rules}</td><td class="num">${r.findings}</td><td class="num">${r.counts.new}</td><td class="num">${r.counts.changed}</td><td class="num">${r.counts.gone}</td><td class="small">${r.policy ?? '—'}</td></tr>`,
)}
</tbody></table>`;
}

function emptyState(tables: boolean) {
  return html`<h1>Hunts</h1>
<div class="empty-state">
<p>${tables ? 'The store has hunt tables but no run yet.' : 'No hunt has run over this store yet.'}</p>
<p>A hunt runs the RMM rule pack and the imported rules over the store and records per-device findings, with what is new, changed or gone since the previous run, and an inventory of the RMM tools on each device, approved or not.
Run one with the button below, or from the command line while the server is stopped (the store takes one writer at a time):</p>
<pre><code>socfeed hunt --db STORE --policy approved-tools.yaml</code></pre>
</div>`;
}

function huntForm(f: HuntForm) {
  return html`<section class="hunt-section" id="run-hunt">
<h2>Run the hunt</h2>
<form id="hunt-form" class="run-form">
  <label>now <input name="now" value="${f.now ?? ''}" placeholder="server time" size="30" title="pins now() and ago() for every rule"></label>
  <label>look-back <select name="lookback">
    <option value="">each rule's own window</option>
    ${Object.keys(LOOKBACKS).map((k) => html`<option value="${k}">last ${k}</option>`)}
  </select></label>
  <button type="submit">Run the hunt</button>
  <span class="hint">${f.policy ? `approved-tools policy: ${f.policy}` : 'no approved-tools policy (start serve with --policy FILE): every RMM tool is raised'}</span>
</form>
<div id="hunt-result" aria-live="polite"></div>
</section>`;
}
