import { REJECTS_TABLE } from './sql/bookkeeping.js';
import type { FileSummary, IngestSummary } from './types.js';

const n = (x: number) => x.toLocaleString('en-US');

function size(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KB`;
  return `${bytes} B`;
}

function list(entries: [string, number][], limit = 8): string {
  const shown = entries.slice(0, limit).map(([k, v]) => `${k} ×${n(v)}`);
  if (entries.length > limit) shown.push(`… ${entries.length - limit} more`);
  return shown.join(', ');
}

function fileLines(f: FileSummary): string[] {
  const formats = [...new Set(f.members.map((m) => m.format).filter((x) => x))].join('; ');
  const head = `${f.status.padEnd(11)} ${f.path}`;
  if (f.status === 'unchanged') return [`${head}  (already ingested${f.note ? `: ${f.note}` : ''})`];
  if (f.status === 'failed') return [`${head}: ${f.error ?? 'failed'}`];
  const lines = [`${head}  (${formats || 'nothing readable'}, ${size(f.bytes)}, ${f.seconds.toFixed(1)} s)`];
  const rows = Object.entries(f.status === 'ingested' ? f.rows : {});
  if (rows.length > 0) lines.push(`  rows: ${rows.map(([t, c]) => `${t} ${n(c)}`).join(' · ')}`);
  if (f.status === 'rolled-back')
    lines.push(`  --strict: nothing kept (${n(f.rowsRead)} rows would have been ingested)`);
  if (f.rejects > 0) {
    lines.push(`  rejects: ${n(f.rejects)} — ${list(Object.entries(f.rejectReasons), 5)}`);
    for (const s of f.rejectSamples.slice(0, 3)) lines.push(`    ${s.source}:${s.line}: ${s.reason}`);
  }
  const inferred = Object.entries(f.inferredTables);
  if (inferred.length > 0) lines.push(`  table inferred from column names: ${list(inferred)}`);
  const kept = f.extraColumns.filter((e) => e.kept === 'AdditionalFields');
  const dropped = f.extraColumns.filter((e) => e.kept === 'dropped');
  if (kept.length > 0)
    lines.push(
      `  extra columns kept in AdditionalFields: ${list(kept.map((e) => [`${e.table}.${e.column}`, e.rows]))}`,
    );
  if (dropped.length > 0) {
    lines.push(
      `  extra columns NOT kept (table has no AdditionalFields): ${list(dropped.map((e) => [`${e.table}.${e.column}`, e.rows]))}`,
    );
  }
  if (f.renamedColumns.length > 0) {
    lines.push(
      `  read under another name: ${f.renamedColumns.map((r) => `${r.from} → ${r.table}.${r.to}`).join(', ')}`,
    );
  }
  const skipped = Object.entries(f.skipped);
  if (skipped.length > 0) lines.push(`  skipped (not mapped): ${list(skipped)}`);
  for (const m of f.members.filter((m) => m.skipped)) lines.push(`  member skipped: ${m.name}: ${m.skipped}`);
  return lines;
}

/** The human-readable ingest report. */
export function renderIngestSummary(s: IngestSummary): string {
  const lines = s.files.flatMap(fileLines);
  for (const p of s.notFound)
    lines.push(`nothing to ingest in ${p} (no .json, .jsonl, .csv, .parquet, .gz or .zip files)`);
  const t = s.totals;
  const tables = new Set(s.files.flatMap((f) => Object.keys(f.rows))).size;
  const parts = [`${n(t.files)} file${t.files === 1 ? '' : 's'}: ${n(t.ingested)} ingested`];
  if (t.unchanged) parts.push(`${n(t.unchanged)} unchanged`);
  if (t.rolledBack) parts.push(`${n(t.rolledBack)} rolled back (--strict)`);
  if (t.failed) parts.push(`${n(t.failed)} failed`);
  const rate =
    t.seconds > 0
      ? ` (${(t.bytes / (1 << 20) / t.seconds).toFixed(1)} MB/s, ${n(Math.round(t.rows / t.seconds))} rows/s)`
      : '';
  lines.push('');
  lines.push(
    `${parts.join(', ')} · ${n(t.rows)} rows into ${tables} table${tables === 1 ? '' : 's'} · ${n(t.rejects)} rejects · ` +
      `${size(t.bytes)} in ${t.seconds.toFixed(1)} s${rate}`,
  );
  if (t.rejects > 0 && !s.strict)
    lines.push(`rejected records are kept with source, line and reason in ${REJECTS_TABLE} (run ${s.runId})`);
  return lines.join('\n');
}
