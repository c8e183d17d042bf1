import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/store/store.js';
import { generateBulkProcessEvents } from '../src/store/demo/bulk.js';
import { parseIsoTicks } from '../src/store/demo/ticks.js';
import { runKql } from '../src/engine/run.js';

/**
 * `npm run bench`: the ServerEye seed rule as on its seed page (KQL, compiled by socfeed) against the same query written
 * by hand in DuckDB SQL with identical semantics, over ≥ 10M DeviceProcessEvents rows in one store.
 * Prints the median of each, their ratio (target: compiled ≤ 1.5× hand-written) and checks that
 * both return the same rows. Two references: the plain way (whole-term regexes) and the tuned way
 * (a LIKE prefilter before the regex, as an expert would add), so the ratio is honest either way.
 *
 * The 10M-row store is generated once into artifacts/bench/ (~1–2 min) and reused;
 * SOCFEED_BENCH_ROWS overrides the size, SOCFEED_BENCH_RUNS the repetitions.
 */
const ROWS = Number(process.env['SOCFEED_BENCH_ROWS'] ?? 10_000_000);
const RUNS = Number(process.env['SOCFEED_BENCH_RUNS'] ?? 7);
const NOW = '2026-06-01T12:00:00Z';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dbPath = join(root, 'artifacts', 'bench', `process-${ROWS}.duckdb`);

const SEED_KQL = `let Time_start = now(-5d);
let Time_end = now();
DeviceProcessEvents
| where Timestamp between (Time_start..Time_end)
| where ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'
    and ProcessVersionInfoProductName has_any ('ServerEye', 'Server-Eye')
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

/** KQL's has: the needle bounded by non-alphanumerics (ASCII), case-insensitive. */
const COMPANY_TERM = `'(?i)(?:^|[^0-9a-z])Krämer IT Solutions GmbH(?:$|[^0-9a-z])'`;
const PRODUCT_TERM = `'(?i)(?:^|[^0-9a-z])(?:servereye|server-eye)(?:$|[^0-9a-z])'`;
const WINDOW = `"Timestamp" BETWEEN TIMESTAMP_NS '2026-05-27 12:00:00' AND TIMESTAMP_NS '2026-06-01 12:00:00'`;
const SELECT = `SELECT DeviceId, DeviceName, epoch_ns(min("Timestamp")) AS FirstSeen,
  epoch_ns(max("Timestamp")) AS LastSeen, list_distinct(list(ReportId)) AS Report, count(*) AS Count
FROM DeviceProcessEvents`;

const HAND_PLAIN = `${SELECT}
WHERE ${WINDOW}
  AND regexp_matches(ProcessVersionInfoCompanyName, ${COMPANY_TERM})
  AND regexp_matches(ProcessVersionInfoProductName, ${PRODUCT_TERM})
GROUP BY ALL`;

const HAND_TUNED = `${SELECT}
WHERE ${WINDOW}
  AND ProcessVersionInfoCompanyName ILIKE '%Krämer IT Solutions GmbH%'
  AND regexp_matches(ProcessVersionInfoCompanyName, ${COMPANY_TERM})
  AND (ProcessVersionInfoProductName ILIKE '%servereye%' OR ProcessVersionInfoProductName ILIKE '%server-eye%')
  AND regexp_matches(ProcessVersionInfoProductName, ${PRODUCT_TERM})
GROUP BY ALL`;

/** A row as comparable text: device, first/last in ns, sorted report ids, count. */
type Canon = string;

async function ensureStore(): Promise<void> {
  if (existsSync(dbPath)) return;
  mkdirSync(dirname(dbPath), { recursive: true });
  const partial = `${dbPath}.partial`;
  rmSync(partial, { force: true });
  process.stderr.write(
    `generating ${ROWS.toLocaleString('en-US')} DeviceProcessEvents rows into ${dbPath} (once)…\n`,
  );
  const store = await Store.open(partial);
  try {
    await generateBulkProcessEvents(store, { rows: ROWS, now: NOW, seed: 7, devices: 2_000 });
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
  renameSync(partial, dbPath);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function isoToNs(iso: string): string {
  const ticks = parseIsoTicks(iso);
  if (ticks === undefined) throw new Error(`bad datetime ${iso}`);
  return String(ticks * 100n);
}

async function compiled(store: Store): Promise<{ ms: number; rows: Canon[] }> {
  const t0 = performance.now();
  const r = await runKql(store, SEED_KQL, { now: new Date(NOW) });
  const ms = performance.now() - t0;
  const rows = r.rows.map((row) => {
    const [dev, name, first, last, report, count] = row;
    const ids = (report as number[]).map(Number).sort((a, b) => a - b);
    return [dev, name, isoToNs(String(first)), isoToNs(String(last)), ids.join(','), String(count)].join('|');
  });
  return { ms, rows: rows.sort() };
}

async function handWritten(store: Store, sql: string): Promise<{ ms: number; rows: Canon[] }> {
  const t0 = performance.now();
  const r = await store.query(sql);
  const ms = performance.now() - t0;
  const rows = r.rows.map((row) => {
    const [dev, name, first, last, report, count] = row;
    const ids = String(report)
      .replace(/[[\]\s]/g, '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number)
      .sort((a, b) => a - b);
    return [dev, name, String(first), String(last), ids.join(','), String(count)].map(String).join('|');
  });
  return { ms, rows: rows.sort() };
}

async function main(): Promise<void> {
  await ensureStore();
  const store = await Store.open(dbPath, { mustExist: true });
  try {
    const [[n]] = (await store.query('SELECT count(*) FROM DeviceProcessEvents')).rows as [[bigint]];
    const times = { compiled: [] as number[], plain: [] as number[], tuned: [] as number[] };
    let reference: Canon[] | undefined;
    // One untimed round warms caches and checks the results; then the sides alternate.
    for (let i = 0; i <= RUNS; i++) {
      const c = await compiled(store);
      const p = await handWritten(store, HAND_PLAIN);
      const t = await handWritten(store, HAND_TUNED);
      if (i === 0) {
        reference = p.rows;
        const same =
          JSON.stringify(c.rows) === JSON.stringify(p.rows) &&
          JSON.stringify(t.rows) === JSON.stringify(p.rows);
        if (!same || p.rows.length === 0) {
          process.stderr.write(
            `results differ or are empty:\ncompiled ${JSON.stringify(c.rows)}\nhand ${JSON.stringify(p.rows)}\ntuned ${JSON.stringify(t.rows)}\n`,
          );
          process.exitCode = 1;
          return;
        }
        continue;
      }
      times.compiled.push(c.ms);
      times.plain.push(p.ms);
      times.tuned.push(t.ms);
    }
    const mc = median(times.compiled);
    const mp = median(times.plain);
    const mt = median(times.tuned);
    const line = (name: string, ms: number) => `${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms`;
    process.stdout.write(
      [
        `seed rule ServerEye (process) over ${Number(n).toLocaleString('en-US')} DeviceProcessEvents rows, median of ${RUNS}`,
        `identical results on all three: ${reference?.length ?? 0} rows`,
        line('socfeed (KQL compiled, end to end)', mc),
        line('hand-written SQL, regex', mp),
        line('hand-written SQL, LIKE + regex', mt),
        `ratio compiled / hand-written regex:        ${(mc / mp).toFixed(2)}x`,
        `ratio compiled / hand-written LIKE + regex: ${(mc / mt).toFixed(2)}x   (target ≤ 1.5x)`,
        '',
      ].join('\n'),
    );
  } finally {
    store.close();
  }
}

await main();
