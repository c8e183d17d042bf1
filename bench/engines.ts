import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/store/store.js';
import {
  generateBulkCertificateInfo,
  generateBulkNetworkEvents,
  generateBulkProcessEvents,
} from '../src/store/demo/bulk.js';
import { runKql } from '../src/engine/run.js';
import { loadRules } from '../src/rules/load.js';
import { ChdbExecutor, loadChdb } from '../src/engine/clickhouse/chdb.js';
import { copyStoreToClickhouse } from '../src/engine/clickhouse/tables.js';
import { runKqlOnClickhouse } from '../src/engine/clickhouse/run.js';
import type { KqlCell } from '../src/engine/types.js';
import { ClickhouseBackend } from '../src/engine/clickhouse/backend.js';
import { silentProgress } from '../src/cli/progress.js';
import { runHunt } from '../src/hunt/hunt.js';
import { backendTarget, storeTarget } from '../src/hunt/target.js';

/**
 * `npm run bench:engines [-- --events N]`: the RMM hunt — every rule of the RMM pack (process,
 * file-signature and network rules) — over the same generated events on DuckDB and on ClickHouse
 * embedded (chdb), in this one run, two ways: every rule alone, and `socfeed hunt`'s fused plan
 * (one shared scan per table, compiled with each engine's dialect). Prints each engine's time for
 * the whole hunt (median of runs), their ratio, the load time into chdb, and checks that both
 * engines, and both ways, report the same findings.
 *
 * Default 1,000,000 events (60% process, 30% network, 10% certificate rows): generating and
 * loading 10M takes minutes on 2 cores; `--events 10000000` runs the full size. Stores are
 * generated once into artifacts/bench/ and reused. Needs chdb (`npm ci --prefix test/clickhouse/chdb-env`).
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const EVENTS = Number(arg('events') ?? process.env['SOCFEED_BENCH_EVENTS'] ?? 1_000_000);
const RUNS = Number(arg('runs') ?? 3);
const NOW = '2026-06-01T12:00:00Z';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dbPath = join(root, 'artifacts', 'bench', `rmm-hunt-${EVENTS}.duckdb`);

async function ensureStore(): Promise<void> {
  if (existsSync(dbPath)) return;
  mkdirSync(dirname(dbPath), { recursive: true });
  const partial = `${dbPath}.partial`;
  rmSync(partial, { force: true });
  process.stderr.write(`generating ${EVENTS.toLocaleString('en-US')} events into ${dbPath} (once)…\n`);
  const store = await Store.open(partial);
  try {
    const common = { now: NOW, seed: 7, devices: 2_000 };
    await generateBulkProcessEvents(store, { ...common, rows: Math.round(EVENTS * 0.6) });
    await generateBulkNetworkEvents(store, { ...common, rows: Math.round(EVENTS * 0.3) });
    await generateBulkCertificateInfo(store, { ...common, rows: Math.round(EVENTS * 0.1) });
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

/** Findings as comparable text (sets sorted), so the two engines can be checked against each other. */
function canon(rows: KqlCell[][]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(r.map((c) => (Array.isArray(c) ? [...c].map((x) => JSON.stringify(x)).sort() : c))),
    )
    .sort();
}

async function main(): Promise<void> {
  const loaded = loadChdb();
  if ('missing' in loaded) {
    console.error(`bench:engines needs chdb: ${loaded.missing}`);
    process.exit(2);
  }
  await ensureStore();
  const now = new Date(NOW);
  const rules = loadRules(join(root, 'data', 'rules', 'rmm-pack'), { now }).rules;
  const store = await Store.open(dbPath, { readOnly: true });
  const chDir = join(root, 'artifacts', 'bench', `chdb-${EVENTS}`);
  rmSync(chDir, { recursive: true, force: true });
  const ch = ChdbExecutor.open(chDir);
  try {
    const t0 = performance.now();
    const copied = await copyStoreToClickhouse(store, ch);
    const loadMs = performance.now() - t0;
    const total = copied.reduce((n, c) => n + c.rows, 0);

    const hunt = async (
      engine: 'duckdb' | 'clickhouse',
    ): Promise<{ ms: number; findings: Map<string, string[]> }> => {
      const findings = new Map<string, string[]>();
      const start = performance.now();
      for (const r of rules) {
        const res =
          engine === 'duckdb'
            ? await runKql(store, r.query, { now })
            : await runKqlOnClickhouse(ch, store.schema, r.query, { now });
        findings.set(r.id, canon(res.rows));
      }
      return { ms: performance.now() - start, findings };
    };
    // The fused hunt as `socfeed hunt` runs it; the ClickHouse side never closes the shared executor.
    const chTarget = backendTarget(new ClickhouseBackend(ch, store.schema, 'chdb'));
    const fused = async (
      engine: 'duckdb' | 'clickhouse',
    ): Promise<{ ms: number; findings: Map<string, string[]>; scans: number; fusedRules: number }> => {
      const start = performance.now();
      const report = await runHunt(
        store,
        { rules: ['rmm-pack'], now, persist: false },
        silentProgress,
        engine === 'duckdb' ? storeTarget(store) : chTarget,
      );
      const ms = performance.now() - start;
      const findings = new Map<string, string[]>();
      for (const o of report.outcomes) findings.set(o.rule.rule.id, canon(o.rows));
      return {
        ms,
        findings,
        scans: report.stages.length,
        fusedRules: report.outcomes.filter((o) => o.mode === 'fused').length,
      };
    };
    // One warm-up each (file cache, compiled regexes), then alternate engines so neither gets the quieter machine.
    await hunt('duckdb');
    await hunt('clickhouse');
    await fused('duckdb');
    await fused('clickhouse');
    const duckMs: number[] = [];
    const chMs: number[] = [];
    const duckFusedMs: number[] = [];
    const chFusedMs: number[] = [];
    let duckF = new Map<string, string[]>();
    let chF = new Map<string, string[]>();
    let duckFused = await fused('duckdb');
    let chFused = await fused('clickhouse');
    for (let i = 0; i < RUNS; i++) {
      const d = await hunt('duckdb');
      const c = await hunt('clickhouse');
      duckMs.push(d.ms);
      chMs.push(c.ms);
      duckF = d.findings;
      chF = c.findings;
      duckFused = await fused('duckdb');
      chFused = await fused('clickhouse');
      duckFusedMs.push(duckFused.ms);
      chFusedMs.push(chFused.ms);
    }
    const same = (a: Map<string, string[]>, b: Map<string, string[]>, id: string) =>
      JSON.stringify(a.get(id)) === JSON.stringify(b.get(id));
    const differing = rules.filter(
      (r) =>
        !same(duckF, chF, r.id) ||
        !same(duckF, duckFused.findings, r.id) ||
        !same(duckF, chFused.findings, r.id),
    );
    const mdf = median(duckFusedMs);
    const mcf = median(chFusedMs);
    const rows = [...duckF.values()].reduce((n, f) => n + f.length, 0);
    const md = median(duckMs);
    const mc = median(chMs);
    console.log(
      [
        `RMM hunt: ${rules.length} rules over ${total.toLocaleString('en-US')} events (${copied.map((c) => `${c.table} ${c.rows.toLocaleString('en-US')}`).join(', ')}), median of ${RUNS} runs`,
        `DuckDB:           ${(md / 1000).toFixed(2)} s  (${(md / rules.length).toFixed(1)} ms per rule)`,
        `ClickHouse chdb:  ${(mc / 1000).toFixed(2)} s  (${(mc / rules.length).toFixed(1)} ms per rule)`,
        `ratio ClickHouse / DuckDB: ${(mc / md).toFixed(2)}x`,
        `fused hunt (socfeed hunt's plan: ${chFused.fusedRules} rules in ${chFused.scans} shared scans on ClickHouse, ${duckFused.fusedRules} in ${duckFused.scans} on DuckDB):`,
        `  DuckDB:           ${(mdf / 1000).toFixed(2)} s  (${(md / mdf).toFixed(1)}x faster than one by one)`,
        `  ClickHouse chdb:  ${(mcf / 1000).toFixed(2)} s  (${(mc / mcf).toFixed(1)}x faster than one by one)`,
        `  ratio ClickHouse / DuckDB: ${(mcf / mdf).toFixed(2)}x`,
        `load into chdb (DuckDB → Parquet → MergeTree): ${(loadMs / 1000).toFixed(1)} s`,
        `findings: ${rows} rows; ${
          differing.length === 0
            ? 'identical on both engines, fused and one by one'
            : `${differing.length} rules differ: ${differing
                .slice(0, 5)
                .map((r) => r.name)
                .join('; ')}`
        }`,
      ].join('\n'),
    );
    if (differing.length) process.exitCode = 1;
  } finally {
    store.close();
    await ch.close();
    if (existsSync(chDir) && readdirSync(chDir).length) rmSync(chDir, { recursive: true, force: true });
  }
}

await main();
