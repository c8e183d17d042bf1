import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentProgress } from '../src/cli/progress.js';
import { runKql } from '../src/engine/run.js';
import type { KqlCell } from '../src/engine/types.js';
import { runHunt } from '../src/hunt/hunt.js';
import { selectRules } from '../src/hunt/rule-set.js';
import { resolveTabularLists } from '../src/hunt/constant-lists.js';
import { parseIsoTicks } from '../src/store/demo/ticks.js';
import { compileKql } from '../src/sql/compile.js';
import {
  generateBulkCertificateInfo,
  generateBulkNetworkEvents,
  generateBulkProcessEvents,
} from '../src/store/demo/bulk.js';
import { Store } from '../src/store/store.js';
import { referenceSql, refRule, type RefRule } from './hunt-reference.js';

/**
 * `npm run bench:hunt`: the whole bundled RMM pack (587 rules) over a store of ≥ 10M events across
 * the three RMM tables, three ways, in the same run:
 *   - socfeed hunt, fused (compile + plan + one shared scan per table + per-rule split), end to end;
 *   - every rule alone through runKql, one after the other (the sum);
 *   - a hand-written fused SQL reference for the same pack (bench/hunt-reference.ts).
 * Prints medians, the ratios (targets: alone / fused ≥ 5, fused / reference ≤ 1.5), peak RSS during
 * each, and checks that all three give every rule the same rows.
 *
 * The store is generated once into artifacts/bench/ and reused. SOCFEED_BENCH_ROWS sets the total
 * (default 10M: 55% process events, 35% connections, 10% signatures), SOCFEED_BENCH_RUNS the
 * repetitions of the fused and reference runs (default 3; the one-by-one sum runs once).
 */
const ROWS = Number(process.env['SOCFEED_BENCH_ROWS'] ?? 10_000_000);
const RUNS = Number(process.env['SOCFEED_BENCH_RUNS'] ?? 3);
const NOW = '2026-06-01T12:00:00Z';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dbPath = join(root, 'artifacts', 'bench', `hunt-${ROWS}.duckdb`);
const SPLIT = { process: 0.55, network: 0.35, certificate: 0.1 };

async function ensureStore(): Promise<void> {
  if (existsSync(dbPath)) return;
  mkdirSync(dirname(dbPath), { recursive: true });
  const partial = `${dbPath}.partial`;
  rmSync(partial, { force: true });
  process.stderr.write(`generating ${ROWS.toLocaleString('en-US')} events into ${dbPath} (once)…\n`);
  const store = await Store.open(partial);
  try {
    const common = { now: NOW, seed: 11, devices: 2_000 };
    await generateBulkProcessEvents(store, { ...common, rows: Math.round(ROWS * SPLIT.process) });
    await generateBulkNetworkEvents(store, { ...common, rows: Math.round(ROWS * SPLIT.network) });
    await generateBulkCertificateInfo(store, { ...common, rows: Math.round(ROWS * SPLIT.certificate) });
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
  renameSync(partial, dbPath);
}

/** Peak resident set size while `fn` runs (DuckDB's memory is in this process too). */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    return {
      value,
      ms: performance.now() - t0,
      peakMb: Math.max(peak, process.memoryUsage().rss) / 1_048_576,
    };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Rule results in one comparable form: device, first/last as 100 ns ticks, count, sorted report ids. */
function canonRows(rows: KqlCell[][]): string[] {
  return rows
    .map((r) => {
      const [dev, name, ...rest] = r;
      const extra = rest.length === 5 ? [String(rest.shift())] : [];
      const [first, last, report, count] = rest;
      const ids = (report as (number | string)[]).map(Number).sort((a, b) => a - b);
      return [
        dev,
        name,
        ...extra,
        String(parseIsoTicks(String(first))),
        String(parseIsoTicks(String(last))),
        ids.join(','),
        String(count),
      ].join('|');
    })
    .sort();
}

function nsToTicks(v: unknown): string {
  // TIMESTAMP_NS values come back as objects carrying nanoseconds.
  const nanos = (v as { nanos?: bigint }).nanos;
  return nanos !== undefined ? String(nanos / 100n) : String(v);
}

async function main(): Promise<void> {
  await ensureStore();
  const store = await Store.open(dbPath, { mustExist: true });
  try {
    const now = new Date(NOW);
    const counts = await store.query(
      `SELECT (SELECT count(*) FROM DeviceProcessEvents), (SELECT count(*) FROM DeviceNetworkEvents), (SELECT count(*) FROM DeviceFileCertificateInfo)`,
    );
    const [p, n, c] = counts.rows[0]!.map(Number) as [number, number, number];
    const rules = (await selectRules(store, ['rmm-pack'], true)).rules;

    // Hand-written reference, prepared once (writing SQL is not part of what it measures).
    // The all-tools rules' datatable lists are read as constants first, as an engineer would paste them.
    const refs: RefRule[] = [];
    for (const [i, r] of rules.entries())
      refs.push(
        refRule(
          i,
          await resolveTabularLists(store, compileKql(r.rule.query, { schema: store.schema, now }).rel!),
        ),
      );
    const tables = [...new Set(refs.map((r) => r.table))].sort();
    const plans = tables.map((t, i) =>
      referenceSql(
        t,
        refs.filter((r) => r.table === t),
        `_bench_ref_${i}`,
      ),
    );
    const reference = async () => {
      const out = new Map<number, string[]>();
      for (const plan of plans) {
        await store.run(plan.stage);
        for (const q of plan.queries) {
          const res = await store.query(q.sql);
          for (const row of res.rows) {
            const rule = Number(row[0]);
            const [dev, name, ...rest] = row.slice(1);
            const extra = rest.length === 5 ? [String(rest.shift())] : [];
            const [first, last, report, count] = rest;
            const ids = String(report)
              .replace(/[[\]\s]/g, '')
              .split(',')
              .filter(Boolean)
              .map(Number)
              .sort((a, b) => a - b);
            const line = [
              String(dev),
              String(name),
              ...extra,
              nsToTicks(first),
              nsToTicks(last),
              ids.join(','),
              String(count),
            ].join('|');
            out.set(rule, [...(out.get(rule) ?? []), line]);
          }
        }
      }
      for (const [k, v] of out) out.set(k, v.sort());
      return out;
    };
    const fused = async () => {
      const report = await runHunt(store, { rules: ['rmm-pack'], now, persist: false }, silentProgress);
      return new Map(
        report.outcomes.map((o) => [rules.findIndex((r) => r.rule.id === o.rule.rule.id), canonRows(o.rows)]),
      );
    };

    // Warm-up (file pages, macros), then alternate the two fused forms.
    await fused();
    await reference();
    const times = { fused: [] as number[], reference: [] as number[] };
    const peaks = { fused: 0, reference: 0 };
    let fusedRows = new Map<number, string[]>();
    let refRows = new Map<number, string[]>();
    for (let i = 0; i < RUNS; i++) {
      const f = await measured(fused);
      times.fused.push(f.ms);
      peaks.fused = Math.max(peaks.fused, f.peakMb);
      fusedRows = f.value;
      const r = await measured(reference);
      times.reference.push(r.ms);
      peaks.reference = Math.max(peaks.reference, r.peakMb);
      refRows = r.value;
    }
    const alone = await measured(async () => {
      const out = new Map<number, string[]>();
      for (const [i, r] of rules.entries())
        out.set(i, canonRows((await runKql(store, r.rule.query, { now })).rows));
      return out;
    });

    let differ = 0;
    let withRows = 0;
    for (let i = 0; i < rules.length; i++) {
      const a = JSON.stringify(alone.value.get(i) ?? []);
      if ((alone.value.get(i) ?? []).length > 0) withRows++;
      if (JSON.stringify(fusedRows.get(i) ?? []) !== a || JSON.stringify(refRows.get(i) ?? []) !== a) {
        differ++;
        if (differ <= 3)
          process.stderr.write(
            `rule ${rules[i]!.rule.name} differs:\n alone ${a}\n fused ${JSON.stringify(fusedRows.get(i))}\n ref   ${JSON.stringify(refRows.get(i))}\n`,
          );
      }
    }
    const mf = median(times.fused);
    const mr = median(times.reference);
    const line = (name: string, ms: number, mb?: number) =>
      `${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s${mb ? `   peak RSS ${mb.toFixed(0)} MB` : ''}`;
    const fmt = (x: number) => x.toLocaleString('en-US');
    process.stdout.write(
      [
        `RMM pack (${rules.length} rules) over ${fmt(p + n + c)} events: ${fmt(p)} process, ${fmt(n)} network, ${fmt(c)} certificate rows`,
        `results: ${differ === 0 ? 'identical for every rule on all three' : `${differ} rules DIFFER`} (${withRows} rules with rows)`,
        line(`socfeed hunt, fused (median of ${RUNS})`, mf, peaks.fused),
        line('every rule alone via runKql (sum, once)', alone.ms, alone.peakMb),
        line(`hand-written fused SQL (median of ${RUNS})`, mr, peaks.reference),
        `ratio alone / fused:      ${(alone.ms / mf).toFixed(1)}x   (target ≥ 5x)`,
        `ratio fused / reference:  ${(mf / mr).toFixed(2)}x   (target ≤ 1.5x)`,
        '',
      ].join('\n'),
    );
    if (differ > 0) process.exitCode = 1;
  } finally {
    store.close();
  }
}

await main();
