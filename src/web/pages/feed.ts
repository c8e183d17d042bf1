import { html, queryString, raw, type Html } from '../html.js';
import { badge, page } from '../layout.js';
import { filterRules, paginate, type FeedQuery, type FilterKey } from '../feed-filter.js';
import type { RuleSummary } from '../catalog-view.js';
import type { WebState } from '../state.js';

const FILTER_LABELS: Record<FilterKey, string> = {
  source: 'Source',
  tactic: 'Tactic',
  technique: 'Technique',
  table: 'Table',
  tool: 'RMM tool',
  severity: 'Severity',
  confidence: 'Confidence',
};

/** The feed: rules newest and most recently updated first, with filters, search and paging. */
export function feedPage(state: WebState, q: FeedQuery): string {
  const matched = filterRules(state.rules, q, state.textOf);
  const p = paginate(matched, q.page, q.pageSize);
  const link = (over: Partial<FeedQuery>) => {
    const m = { ...q, ...over };
    return `/${queryString({
      q: m.q,
      source: m.source,
      tactic: m.tactic,
      technique: m.technique,
      table: m.table,
      tool: m.tool,
      severity: m.severity,
      confidence: m.confidence,
      page: m.page > 1 ? m.page : undefined,
    })}`;
  };
  const filters = (['source', 'tactic', 'technique', 'table', 'tool', 'severity', 'confidence'] as const).map(
    (key) => {
      // Options are escaped once per catalog (state.filterOptions); only `selected` varies.
      const options = state.filterOptions(key);
      return html`<label class="filter"><span>${FILTER_LABELS[key]}</span>
<select name="${key}" data-autosubmit>
<option value="">any</option>
${raw(options.map((o) => (o.value === q[key] ? o.selected : o.plain)).join('\n'))}
</select></label>`;
    },
  );
  const active = (
    ['source', 'tactic', 'technique', 'table', 'tool', 'severity', 'confidence'] as const
  ).filter((k) => q[k]);

  const body = html`
<section class="feed-head">
  <h1>Detection feed</h1>
  <p class="muted">${state.rules.length.toLocaleString('en-US')} hunting rules, newest and most recently updated first.
  <a class="atom" href="/feed.atom">Atom feed</a> · <a href="/feed.json">JSON Feed</a></p>
</section>
<div class="feed-layout">
<form class="filters" method="get" action="/" role="search">
  <label class="search"><span>Search</span>
  <input type="search" name="q" value="${q.q}" placeholder="e.g. anydesk, T1219, DeviceNetworkEvents" autocomplete="off"></label>
  ${filters}
  <div class="filter-actions"><button type="submit">Apply</button>${active.length || q.q ? html` <a href="/">Clear</a>` : ''}</div>
</form>
<section class="results" aria-live="polite">
  <p class="count" id="result-count">${p.total === state.rules.length ? `${p.total} rules` : `${p.total} of ${state.rules.length} rules match`}${
    p.pages > 1 ? ` · page ${p.page} of ${p.pages}` : ''
  }</p>
  ${p.items.length ? html`<ol class="rule-list">${p.items.map(ruleCard)}</ol>` : html`<p class="empty">No rule matches${q.q ? html` “${q.q}”` : ''}. <a href="/">Show all rules</a>.</p>`}
  ${pager(p.page, p.pages, (n) => link({ page: n }))}
</section>
</div>`;
  return page({ title: 'Feed', nav: 'feed', body, dbLabel: state.dbLabel, atom: true });
}

export function ruleHref(r: { id: string; source: string }): string {
  return `/rules/${encodeURIComponent(r.id)}${queryString({ source: r.source })}`;
}

export function severityKind(s: string | null): string {
  const v = (s ?? '').toLowerCase();
  return ['informational', 'low', 'medium', 'high'].includes(v) ? v : 'none';
}

function ruleCard(r: RuleSummary): Html {
  return html`<li class="rule-card">
  <div class="rule-card-head">
    <a class="rule-name" href="${ruleHref(r)}">${r.name}</a>
    <span class="date" title="published ${r.published}">${r.status === 'updated' ? 'updated' : 'new'} ${r.updated.slice(0, 10)}</span>
  </div>
  <div class="badges">
    ${badge(r.severity ? r.severity.toUpperCase() : 'NO SEVERITY', `sev-${severityKind(r.severity)}`)}
    ${badge(`confidence ${r.confidence.level}`, `conf-${r.confidence.level}`, `score ${r.confidence.score}/100`)}
    ${badge(r.source, 'source')}
    ${r.techniques.map((t) => badge(t.id, 'technique', t.name))}
    ${r.tables.map((t) => badge(t, 'table'))}
    ${r.valid ? '' : badge('does not validate', 'warn')}
  </div>
  <p class="hypothesis">${truncate(r.hypothesis, 260)}</p>
</li>`;
}

function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text;
}

export function pager(current: number, pages: number, href: (n: number) => string): Html {
  if (pages <= 1) return html``;
  const nums = new Set([1, pages, current - 1, current, current + 1].filter((n) => n >= 1 && n <= pages));
  const sorted = [...nums].sort((a, b) => a - b);
  const parts: Html[] = [];
  let prev = 0;
  for (const n of sorted) {
    if (n - prev > 1) parts.push(html`<span class="gap">…</span>`);
    parts.push(
      n === current ? html`<span aria-current="page">${n}</span>` : html`<a href="${href(n)}">${n}</a>`,
    );
    prev = n;
  }
  return html`<nav class="pager" aria-label="pages">
${current > 1 ? html`<a rel="prev" href="${href(current - 1)}">← Newer</a>` : ''}
${parts}
${current < pages ? html`<a rel="next" href="${href(current + 1)}">Older →</a>` : ''}
</nav>`;
}
