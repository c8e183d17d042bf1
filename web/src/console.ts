import 'monaco-editor/esm/vs/editor/edcore.main';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import { getKustoWorker, kustoDefaults } from '@kusto/monaco-kusto';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import KustoWorker from './kusto-worker.js?worker';
import { drawChart } from './chart.js';
import {
  ApiFailure,
  cellText,
  el,
  errorBox,
  postJson,
  resultTable,
  summaryLine,
  type RunResponse,
} from './results.js';

// Workers come from this origin's bundle (the CSP allows no other): Kusto's for the language
// service, the editor's own for everything else.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'kusto' ? new KustoWorker() : new EditorWorker()),
};

// Token colouring in the main thread as well, so the text is coloured at once; the worker's
// schema-aware colouring refines it when it arrives.
kustoDefaults.setLanguageSettings({ ...kustoDefaults.languageSettings, useTokenColorization: true });

const initial = document.querySelector<HTMLTextAreaElement>('#kql-initial')!.value;
const form = document.querySelector<HTMLFormElement>('#console-form')!;
const status = document.querySelector<HTMLElement>('#query-status')!;
const out = document.querySelector<HTMLElement>('#query-result')!;
const chartBox = document.querySelector<HTMLElement>('#query-chart')!;

const editor = monaco.editor.create(document.querySelector<HTMLElement>('#editor')!, {
  value: initial,
  language: 'kusto',
  theme: 'kusto-light',
  minimap: { enabled: false },
  automaticLayout: true,
  fontSize: 13,
  scrollBeyondLastLine: false,
  wordWrap: 'on',
});
(window as unknown as { socfeedEditor: typeof editor }).socfeedEditor = editor; // for the browser tests

/** Completion and diagnostics from the store's schema (the same tables the compiler binds). */
async function loadSchema(): Promise<void> {
  const res = await fetch('/api/schema', { credentials: 'same-origin' });
  if (!res.ok) return;
  const schema = await res.json();
  const accessor = await getKustoWorker();
  const worker = await accessor(editor.getModel()!.uri);
  await worker.setSchema(schema);
  document.body.dataset['schema'] = 'loaded';
}
void loadSchema().catch((e: unknown) => console.warn('schema not loaded', e));

async function run(): Promise<void> {
  const data = new FormData(form);
  const button = form.querySelector('button')!;
  button.disabled = true;
  monaco.editor.setModelMarkers(editor.getModel()!, 'socfeed', []);
  status.textContent = 'Running…';
  status.className = 'status running';
  out.replaceChildren();
  chartBox.replaceChildren();
  try {
    const r = await postJson<RunResponse>('/api/query', {
      kql: editor.getValue(),
      now: String(data.get('now') ?? '').trim(),
      maxRows: Number(data.get('maxRows')) || undefined,
    });
    status.className = 'status done';
    status.textContent = summaryLine(r);
    const exports = el('span', { class: 'exports' });
    const csv = el('button', { type: 'button', id: 'export-csv' }, 'CSV');
    const json = el('button', { type: 'button', id: 'export-json' }, 'JSON');
    csv.addEventListener('click', () => download('socfeed-result.csv', 'text/csv', toCsv(r)));
    json.addEventListener('click', () =>
      download(
        'socfeed-result.json',
        'application/json',
        JSON.stringify(
          r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]))),
          null,
          2,
        ),
      ),
    );
    exports.append(' Export: ', csv, ' ', json);
    status.append(exports);
    for (const w of r.warnings) status.append(el('div', { class: 'warn' }, `${w.code}: ${w.message}`));
    const chart = drawChart(r);
    if (chart) chartBox.append(chart);
    out.append(resultTable(r));
  } catch (e) {
    status.className = 'status failed';
    status.textContent = e instanceof ApiFailure ? `${e.detail.code}` : 'failed';
    out.append(errorBox(e));
    if (e instanceof ApiFailure && e.detail.diagnostics) markers(e.detail.diagnostics);
  } finally {
    button.disabled = false;
  }
}

/** The compiler's diagnostics as squiggles at their spans. */
function markers(diags: NonNullable<ApiFailure['detail']['diagnostics']>): void {
  const model = editor.getModel()!;
  monaco.editor.setModelMarkers(
    model,
    'socfeed',
    diags.map((d) => {
      const s = model.getPositionAt(d.start);
      const e = model.getPositionAt(Math.max(d.end, d.start + 1));
      return {
        severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: `${d.code}: ${d.message}${d.hint ? `\n${d.hint}` : ''}`,
        startLineNumber: s.lineNumber,
        startColumn: s.column,
        endLineNumber: e.lineNumber,
        endColumn: e.column,
      };
    }),
  );
}

function toCsv(r: RunResponse): string {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  // A leading =, +, - or @ would make a spreadsheet evaluate the cell: prefix a quote.
  const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  return (
    [
      r.columns.map((c) => q(c.name)).join(','),
      ...r.rows.map((row) => row.map((c) => q(safe(cellText(c)))).join(',')),
    ].join('\r\n') + '\r\n'
  );
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run();
});
editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void run());
