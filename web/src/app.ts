import { el, errorBox, postJson, resultTable, summaryLine, type RunResponse } from './results.js';

/** Feed filters apply as soon as a select changes (the Apply button stays for keyboards). */
for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-autosubmit]')) {
  select.addEventListener('change', () => select.form?.requestSubmit());
}

/** The rule page's Run: the rule's own query over the store, results under the form. */
const runForm = document.querySelector<HTMLFormElement>('#run-form');
const article = document.querySelector<HTMLElement>('article.rule');
if (runForm && article) {
  const out = document.querySelector<HTMLElement>('#run-result')!;
  runForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void run();
  });
  async function run(): Promise<void> {
    const data = new FormData(runForm!);
    const button = runForm!.querySelector('button')!;
    button.disabled = true;
    out.replaceChildren(el('p', { class: 'muted' }, 'Running…'));
    const id = encodeURIComponent(article!.dataset['ruleId'] ?? '');
    const source = encodeURIComponent(article!.dataset['ruleSource'] ?? '');
    try {
      const r = await postJson<RunResponse>(`/api/rules/${id}/run?source=${source}`, {
        now: String(data.get('now') ?? '').trim(),
        maxRows: Number(data.get('maxRows')) || undefined,
        lookback: String(data.get('lookback') ?? ''),
      });
      const text =
        r.rowCount === 0 ? `No match in the store for this window · now = ${r.now}` : summaryLine(r);
      out.replaceChildren(el('p', { class: 'run-summary', 'data-rows': String(r.rowCount) }, text));
      if (r.rowCount > 0) out.append(resultTable(r));
    } catch (e) {
      out.replaceChildren(errorBox(e));
    } finally {
      button.disabled = false;
    }
  }
}

/** The Hunts page's Run: the whole hunt on the server, then the page of the new run. */
const huntForm = document.querySelector<HTMLFormElement>('#hunt-form');
if (huntForm) {
  const out = document.querySelector<HTMLElement>('#hunt-result')!;
  huntForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void hunt(huntForm);
  });
  async function hunt(form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const button = form.querySelector('button')!;
    button.disabled = true;
    out.replaceChildren(el('p', { class: 'muted' }, 'Hunting: every rule over the store…'));
    try {
      const r = await postJson<{ runId: number }>('/api/hunts/run', {
        now: String(data.get('now') ?? '').trim(),
        lookback: String(data.get('lookback') ?? ''),
      });
      window.location.assign(`/hunts?run=${r.runId}`);
    } catch (e) {
      out.replaceChildren(errorBox(e));
      button.disabled = false;
    }
  }
}
