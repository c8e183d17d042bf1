import type { DataSourceInfo, EnrichedRule, FieldSource } from '../../rules/enrich/index.js';
import type { EnrichedEntry } from '../../rules/publish/enrich-catalog.js';
import { RMM_PACK_SOURCE } from '../../rules/publish/rmm-pack-source.js';
import { ruleYaml } from '../../rules/publish/rule-yaml.js';
import { html, safeHref, queryString, type Html } from '../html.js';
import { highlightKql } from '../kql-highlight.js';
import { badge, page } from '../layout.js';
import { severityKind } from './feed.js';
import type { RuleHistory } from '../hunt-data.js';
import { historySection } from './rule-history.js';
import { LOOKBACKS } from '../rule-run.js';

const SOURCE_WORDS: Record<string, string> = {
  rule: 'from the rule',
  'rmm-catalog': "from socfeed's RMM catalog",
  store: 'from the store',
  derived: 'composed by socfeed',
  llm: 'written by a language model',
};

function sourceNote(s: FieldSource): Html {
  const words = s.startsWith('attack-v')
    ? `from MITRE ATT&CK v${s.slice('attack-v'.length)}`
    : (SOURCE_WORDS[s] ?? s);
  return html`<span class="field-source" title="where this section comes from">${words}</span>`;
}

function section(id: string, title: string, source: FieldSource | undefined, body: Html | Html[]): Html {
  return html`<section class="rule-section" id="${id}">
<h2>${title}${source ? html` ${sourceNote(source)}` : ''}</h2>
${body}
</section>`;
}

/** The latest event time among the rule's tables: the natural `now` for a hunt over an export. */
export function latestData(e: EnrichedRule): string | undefined {
  const times = e.dataSources.value.flatMap((d) =>
    d.availability?.value.lastTimestamp ? [d.availability.value.lastTimestamp] : [],
  );
  return times.sort().at(-1);
}

/** A rule page with every section of the seed pages, plus Run and the findings history. */
export function rulePage(entry: EnrichedEntry, dbLabel: string, history: RuleHistory): string {
  const { published: p, enriched: e } = entry;
  const r = p.rule;
  const att = e.attack.value;
  const conf = e.confidence.value;
  const original = safeHref(r.provenance.url);
  const repo = r.provenance.repository;
  const origin =
    p.source === RMM_PACK_SOURCE
      ? html`This rule is part of socfeed's bundled RMM rule pack, generated from its RMM indicator catalog,`
      : html`This rule was pulled from the open-source repository <strong>${repo}</strong>`;
  const latest = latestData(e);

  const body = html`
<nav class="crumbs"><a href="/">← Back to SOC feed</a><a href="/coverage">Coverage →</a></nav>
<article class="rule" data-rule-id="${r.id}" data-rule-source="${p.source}">
<h1>${r.name}</h1>
<div class="badges">
  ${badge('kql', 'lang')}
  ${badge(r.severity ? r.severity.toUpperCase() : 'NO SEVERITY', `sev-${severityKind(r.severity ?? null)}`)}
  ${badge(p.source, 'source')}
  ${att.techniques.map((t) => badge(t.id, 'technique', t.name))}
  ${att.unknown.map((t) => badge(`${t.id} (unknown)`, 'warn', t.note))}
  ${e.dataSources.value.map((d) => badge(d.table, 'table'))}
  ${badge(r.type, 'plain')}
  ${r.tags.map((t) => badge(t, 'tag'))}
</div>
<div class="provenance">
  <p>${origin} and enriched by socfeed deterministically (no AI) from ${enrichmentSources(e)}.
  Validate in a test environment before deploying to production.</p>
  <p>${original ? html`<a href="${original}" rel="noopener noreferrer" target="_blank">View original rule at ${repo} →</a>` : html`Original rule: ${repo}/${r.provenance.path} (no public link recorded)`}</p>
  <p class="facts">Retrieved: ${r.provenance.retrievedAt} · Confidence: <strong>${conf.level}</strong> (${conf.score}/100) ·
  Published: ${p.published} · Updated: ${p.updated} · ${p.versions === 1 ? 'Version 1' : `Versions: ${p.versions}`}</p>
</div>

${section(
  'confidence',
  'Confidence',
  e.confidence.source,
  html`
<p><strong>${conf.level}</strong> — score ${conf.score} of 100, starting from a neutral 40:</p>
<table class="reasons"><tbody>
${conf.reasons.map((x) => html`<tr><td class="points ${x.points > 0 ? 'plus' : x.points < 0 ? 'minus' : ''}">${x.points > 0 ? '+' : x.points < 0 ? '−' : '±'}${Math.abs(x.points)}</td><th>${x.factor}</th><td>${x.detail}</td></tr>`)}
</tbody></table>`,
)}

${section('hypothesis', 'Hunt Hypothesis', e.hypothesis.source, html`<p>${e.hypothesis.value}</p>`)}

${section(
  'query',
  'KQL Query',
  'rule',
  html`
<pre class="kql"><code>${highlightKql(r.query.replace(/\n+$/, ''))}</code></pre>
<p class="actions"><a href="/console${queryString({ rule: r.id, source: p.source })}">Open in the query console →</a></p>`,
)}

${section(
  'run',
  'Run',
  undefined,
  html`
<form class="run-form" id="run-form">
  <label>now <input name="now" value="${latest ?? ''}" placeholder="server time" size="30" title="pins now() and ago() for the run"></label>
  <label>look-back <select name="lookback" title="limits every table the rule reads to this span before now, as socfeed hunt --lookback does">
    <option value="">the rule's own window</option>
    ${Object.keys(LOOKBACKS).map((k) => html`<option value="${k}">last ${k}</option>`)}
  </select></label>
  <label>rows at most <input name="maxRows" type="number" min="1" max="10000" value="200"></label>
  <button type="submit">Run over the store</button>
  <span class="hint">${latest ? html`now defaults to the latest event in the rule's tables (${latest}), so the rule's own look-back window covers your data.` : html`the store has no rows in the rule's tables yet; ingest them or run <code>socfeed demo</code>.`}</span>
</form>
<div id="run-result" class="run-result" aria-live="polite"></div>`,
)}

${historySection(history)}

${section('definition', `${r.type === 'analytic' ? 'Analytic' : 'Hunting'} Rule Definition`, 'rule', html`<pre class="yaml"><code>${ruleYaml(r)}</code></pre>`)}

${section('data-sources', 'Required Data Sources', e.dataSources.source, dataSourceTable(e.dataSources.value))}

${section(
  'attack',
  'MITRE ATT&CK Context',
  e.attack.source,
  html`
${att.techniques.length === 0 && att.unknown.length === 0 ? html`<p>The rule cites no ATT&CK technique.</p>` : ''}
${att.techniques.map(
  (t) => html`<div class="technique">
<h3><a href="${safeHref(t.url) ?? '#'}" rel="noopener noreferrer" target="_blank">${t.id}</a> ${t.parent ? `${t.parent.name}: ` : ''}${t.name}</h3>
${t.tactics.length ? html`<p class="muted">Tactic: ${t.tactics.map((x) => `${x.name} (${x.id})`).join(', ')}</p>` : ''}
<p>${t.description}</p>
${t.dataComponents.length ? html`<p><strong>Data components:</strong> ${t.dataComponents.join(', ')}</p>` : ''}
${t.detection ? html`<p><strong>Detection (ATT&CK v17.1):</strong> ${t.detection}</p>` : ''}
</div>`,
)}
${att.unknown.map((u) => html`<p class="warn">${u.id}: ${u.note}</p>`)}
${att.tactics.length ? html`<p class="muted">Tactics as the rule writes them: ${att.tactics.map((t) => (t.id ? `${t.asWritten} → ${t.id} ${t.name}` : `${t.asWritten} (not an ATT&CK tactic)`)).join(', ')}</p>` : ''}
<p class="small muted">ATT&CK® data: MITRE ATT&CK Enterprise v${att.version}, © The MITRE Corporation.</p>`,
)}

${section(
  'references',
  'References',
  undefined,
  e.references.length
    ? html`<ul>${e.references.map((ref) => {
        const href = safeHref(ref.url);
        return html`<li>${href ? html`<a href="${href}" rel="noopener noreferrer" target="_blank">${ref.label}</a>` : ref.label} <span class="muted">(${ref.source})</span></li>`;
      })}</ul>`
    : html`<p>None.</p>`,
)}

${section('false-positives', 'False Positive Guidance', e.falsePositives.source, html`<ul>${e.falsePositives.value.map((g) => html`<li>${g}</li>`)}</ul>`)}

${section(
  'original',
  'Original Source',
  undefined,
  html`
<p>${original ? html`<a href="${original}" rel="noopener noreferrer" target="_blank">${original}</a>` : `${repo}/${r.provenance.path}`}</p>
<p class="small muted">source '${p.source}' · path ${r.provenance.path}${r.provenance.commit ? ` · commit ${r.provenance.commit}` : ''} · retrieved ${r.provenance.retrievedAt}</p>`,
)}
</article>`;
  return page({ title: r.name, nav: 'rule', body, dbLabel });
}

function enrichmentSources(e: EnrichedRule): string {
  const words: string[] = [];
  if (e.attack.source.startsWith('attack-v'))
    words.push(`MITRE ATT&CK v${e.attack.source.slice('attack-v'.length)}`);
  if (e.tools.source === 'rmm-catalog' || e.falsePositives.source === 'rmm-catalog')
    words.push("socfeed's RMM indicator catalog");
  words.push("the rule's own query (bound against the table schemas)");
  if (e.dataSources.value.some((d) => d.availability)) words.push('the telemetry store (row counts)');
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0]!;
}

function dataSourceTable(sources: DataSourceInfo[]): Html {
  if (sources.length === 0) return html`<p>The query names no table socfeed could find.</p>`;
  return html`<table class="grid"><thead><tr><th>Table</th><th>Connector</th><th>In the store</th><th>Notes</th></tr></thead><tbody>
${sources.map((d) => {
  const a = d.availability?.value;
  const connector = d.connector ? `the ${d.connector} connector` : 'its connector';
  const status = !d.inSchema
    ? badge('not in schema', 'warn')
    : a === undefined
      ? badge('no store', 'plain')
      : a.rows > 0
        ? badge(`${a.rows.toLocaleString('en-US')} rows`, 'ok')
        : badge('no rows', 'warn');
  const notes = !d.inSchema
    ? 'not in the schema: socfeed cannot run this part'
    : a === undefined
      ? `Ensure ${connector} is enabled, or ingest the table.`
      : a.rows > 0
        ? `Last event ${a.lastTimestamp ?? 'unknown'}.`
        : `Ingest ${d.table} or enable ${connector}.`;
  return html`<tr><td><code>${d.table}</code></td><td>${d.connector ?? '—'}</td><td>${status}</td><td>${notes}${
    d.columns.length ? html`<div class="small muted">columns read: ${d.columns.join(', ')}</div>` : ''
  }</td></tr>`;
})}
</tbody></table>`;
}
