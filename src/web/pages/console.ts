import { html } from '../html.js';
import { page } from '../layout.js';
import type { RunLimits } from '../console-run.js';

export const SAMPLE_QUERY = `// KQL over the store, compiled to SQL by socfeed. Ctrl+Enter runs.
DeviceProcessEvents
| where Timestamp > ago(7d)
| summarize Processes = count() by bin(Timestamp, 1h)
| render timechart`;

/**
 * The query console's page. The editor (Monaco with the Kusto language service) is the `console`
 * bundle; the initial text travels in a hidden textarea, escaped like any other text, because the
 * CSP allows no inline script.
 */
export function consolePage(o: {
  dbLabel: string;
  initial: string;
  now?: string;
  limits: RunLimits;
}): string {
  const body = html`
<section class="console">
  <div class="console-bar">
    <h1>Query console</h1>
    <form id="console-form" class="console-controls">
      <label>now <input name="now" value="${o.now ?? ''}" placeholder="server time" size="30" title="pins now() and ago()"></label>
      <label>rows at most <input name="maxRows" type="number" min="1" max="${o.limits.maxRows}" value="${Math.min(500, o.limits.maxRows)}"></label>
      <button type="submit" id="run-query">Run ▶</button>
      <span class="hint">Ctrl+Enter · time-out ${Math.round(o.limits.timeoutMs / 1000)} s · KQL only, compiled by socfeed</span>
    </form>
  </div>
  <textarea id="kql-initial" hidden>${o.initial}</textarea>
  <div id="editor" class="editor" aria-label="KQL editor"></div>
  <noscript><p class="warn">The console needs JavaScript for its editor; the rest of the app works without it.</p></noscript>
  <div id="query-status" class="status" aria-live="polite"></div>
  <div id="query-chart" class="chart"></div>
  <div id="query-result" class="query-result"></div>
</section>`;
  return page({ title: 'Query console', nav: 'console', body, dbLabel: o.dbLabel, bundle: 'console' });
}
