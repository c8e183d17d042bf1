import { formatTable } from '../cli/format.js';
import type { KqlCell } from '../engine/types.js';
import type { RmmCatalog } from '../rules/rmm-catalog.js';
import type { HuntReport } from './hunt.js';
import type { InventoryEntry } from './inventory.js';
import type { JudgedFinding } from './persist.js';
import type { HuntPlan } from './plan.js';
import type { Rel } from '../sql/ir/nodes.js';

/** Renderings of a hunt and an inventory: the terminal summary, CSV, JSON and SARIF. */

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, noun: string) => `${n(x)} ${noun}${x === 1 ? '' : 's'}`;
/** Times to the second: the table is for reading; JSON and CSV keep full precision. */
const short = (iso: string | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z').replace('T', ' ') : '');

function toolLabel(f: JudgedFinding, catalog: RmmCatalog): string {
  return f.tool ? (catalog.tool(f.tool)?.name ?? f.tool) : (f.detail ?? '');
}

function sortFindings(list: JudgedFinding[]): JudgedFinding[] {
  const rank = { raised: 0, expected: 1 } as const;
  return [...list].sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      a.deviceName.localeCompare(b.deviceName) ||
      a.ruleName.localeCompare(b.ruleName),
  );
}

export function huntText(
  r: HuntReport,
  catalog: RmmCatalog,
  opts: { db: string; seconds: number; policy?: string },
): string {
  const out: string[] = [];
  const fused = r.outcomes.filter((o) => o.mode === 'fused').length;
  const alone = r.outcomes.filter((o) => o.mode === 'alone').length;
  const failed = r.outcomes.filter((o) => o.mode === 'failed');
  const run = r.saved ? `Hunt run ${r.saved.runId}` : 'Hunt';
  out.push(
    `${run} over ${opts.db}, now = ${r.now}${r.windowStart ? `, data from ${r.windowStart}` : ''}: ${plural(r.outcomes.length, 'rule')} in ${opts.seconds.toFixed(1)} s`,
    `  ${n(fused)} fused into ${plural(r.stages.length, 'shared scan')} (${r.stages.map((s) => `${s.table} ${n(s.rules)}`).join(', ') || 'none'}), ${n(alone)} alone, ${n(failed.length)} failed`,
  );
  // Telemetry on another engine: say where, and whether the plan was fused there.
  if (r.engine.name !== 'duckdb') out.push(`  telemetry on ${r.engine.summary}; runs kept in ${opts.db}`);
  const current = r.findings.filter((f) => f.delta !== 'gone');
  const gone = r.findings.filter((f) => f.delta === 'gone');
  const count = (d: string) => current.filter((f) => f.delta === d).length;
  const raised = current.filter((f) => f.status === 'raised').length;
  const withRows = r.outcomes.filter((o) => o.rows.length > 0);
  out.push(
    `  ${plural(current.length, 'finding')} from ${plural(withRows.length, 'rule')}: ${n(raised)} raised, ${n(current.length - raised)} expected${opts.policy ? ` by ${opts.policy}` : ' (no --policy: every finding is raised)'}`,
  );
  if (r.saved?.previousRunId !== undefined) {
    out.push(
      `  since run ${r.saved.previousRunId}: ${n(count('new'))} new, ${n(count('changed'))} changed, ${n(count('unchanged'))} unchanged, ${n(gone.length)} gone`,
    );
  } else if (r.saved) {
    out.push('  first recorded run: every finding is new');
  }
  if (current.length > 0) {
    out.push('', 'Findings:');
    const rows: KqlCell[][] = sortFindings(current).map((f) => [
      f.status,
      f.delta,
      f.deviceName,
      toolLabel(f, catalog),
      f.signal ?? '',
      short(f.firstSeen),
      short(f.lastSeen),
      f.count ?? null,
      f.ruleName,
    ]);
    const cols = [
      'STATUS',
      'DELTA',
      'DEVICE',
      'TOOL (OR MATCH)',
      'SIGNAL',
      'FIRST SEEN',
      'LAST SEEN',
      'COUNT',
      'RULE',
    ].map((name) => ({ name, type: 'string' as const }));
    out.push(formatTable(cols, rows, { maxCell: 70 }));
  }
  if (gone.length > 0) {
    out.push('', 'Gone since the previous run:');
    for (const f of gone) out.push(`  ${f.deviceName}  ${toolLabel(f, catalog)}  ${f.ruleName}`);
  }
  if (failed.length > 0) {
    out.push('', `${plural(failed.length, 'rule')} could not run:`);
    for (const f of failed.slice(0, 10)) out.push(`  ${f.rule.label}: ${f.note?.split('\n')[0] ?? ''}`);
    if (failed.length > 10) out.push(`  … and ${n(failed.length - 10)} more (--format json lists them all)`);
  }
  if (current.length === 0) out.push('', 'No findings.');
  return out.join('\n');
}

/** --explain: which rules share which scan, the shared scan's SQL, and why the others run alone. */
export function explainText(plan: HuntPlan, sqlOf: (rel: Rel) => string): string {
  const out: string[] = [];
  for (const g of plan.groups) {
    out.push(
      `Shared scan of ${g.table} (${plural(g.members.length, 'rule')}), into ${g.stage}:`,
      indent(sqlOf(g.stageRel)),
      '',
      '  then each rule runs over the stage:',
    );
    for (const m of g.members) out.push(`    ${m.rule.rule.name}`);
    out.push('');
  }
  if (plan.alone.length > 0) {
    out.push('Alone:');
    for (const a of plan.alone) {
      out.push(`  ${a.rule.rule.name}: ${a.reason}`);
      if (a.rel) out.push(indent(sqlOf(a.rel), '      '));
    }
  }
  if (plan.failed.length > 0) {
    out.push('', 'Not compiled:');
    for (const f of plan.failed) out.push(f.message);
  }
  return out.join('\n');
}

function indent(text: string, pad = '    '): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(header: string[], rows: (string | number | undefined)[][]): string {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map((v) => csvField(v === undefined ? '' : String(v))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function findingsCsv(findings: JudgedFinding[]): string {
  return csv(
    [
      'status',
      'delta',
      'device_id',
      'device_name',
      'tool',
      'signal',
      'first_seen',
      'last_seen',
      'count',
      'rule_id',
      'rule_name',
      'source',
      'report_ids',
      'status_note',
    ],
    sortFindings(findings).map((f) => [
      f.status,
      f.delta,
      f.deviceId,
      f.deviceName,
      f.tool,
      f.signal,
      f.firstSeen,
      f.lastSeen,
      f.count,
      f.ruleId,
      f.ruleName,
      f.source,
      f.reportIds.join(' '),
      f.statusNote,
    ]),
  );
}

export function inventoryText(entries: InventoryEntry[], policy: string | undefined): string {
  if (entries.length === 0) return 'No RMM tools seen.';
  const devices = new Set(entries.map((e) => e.deviceId)).size;
  const tools = new Set(entries.map((e) => e.tool)).size;
  const raised = entries.filter((e) => e.status === 'raised').length;
  const lines = [
    `${plural(tools, 'RMM tool')} on ${plural(devices, 'device')}; ${n(raised)} of ${n(entries.length)} device/tool pairs not approved${policy ? ` by ${policy}` : ' (no --policy given)'}.`,
    '',
  ];
  const rows: KqlCell[][] = entries.map((e) => [
    e.deviceName,
    e.toolName,
    e.signals.map((s) => `${s.signal} ×${s.count}`).join(', '),
    short(e.firstSeen),
    short(e.lastSeen),
    e.status === 'expected' ? 'approved' : 'NOT APPROVED',
  ]);
  const cols = ['DEVICE', 'TOOL', 'SIGNALS', 'FIRST SEEN', 'LAST SEEN', 'POLICY'].map((name) => ({
    name,
    type: 'string' as const,
  }));
  lines.push(formatTable(cols, rows, { maxCell: 60 }));
  return lines.join('\n');
}

export function inventoryCsv(entries: InventoryEntry[]): string {
  return csv(
    [
      'device_id',
      'device_name',
      'tool',
      'tool_name',
      'signal',
      'first_seen',
      'last_seen',
      'count',
      'status',
      'status_note',
      'rules',
    ],
    entries.flatMap((e) =>
      e.signals.map((s) => [
        e.deviceId,
        e.deviceName,
        e.tool,
        e.toolName,
        s.signal,
        s.firstSeen,
        s.lastSeen,
        s.count,
        e.status,
        e.statusNote,
        s.rules.join('; '),
      ]),
    ),
  );
}
