import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateStreamingFiles } from './ingest-generate.js';

/**
 * `npm run bench:ingest`: generates ≥ 1 GB of Defender streaming-API Storage files
 * (DeviceProcessEvents + DeviceNetworkEvents) in a temp dir and loads them twice into fresh stores:
 * with `socfeed ingest` and with DuckDB's own read_json (typed columns, no validation, no rejects,
 * no dedup). Prints both rates, their ratio (target: socfeed ≥ 0.5× DuckDB) and each peak RSS.
 * SOCFEED_BENCH_MB overrides the size (for quick runs while developing).
 */

interface RunResult {
  seconds: number;
  rows: number;
  maxRssBytes: number;
}

const MB = 1 << 20;
const here = dirname(fileURLToPath(import.meta.url));

function runSide(mode: 'socfeed' | 'duckdb', dataDir: string, db: string): RunResult {
  const out = execFileSync(process.execPath, [join(here, 'ingest-run.js'), mode, dataDir, db], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

function line(name: string, r: RunResult, bytes: number): string {
  const mbs = bytes / MB / r.seconds;
  return (
    `${name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s ${mbs.toFixed(1).padStart(8)} MB/s ` +
    `${Math.round(r.rows / r.seconds)
      .toLocaleString('en-US')
      .padStart(10)} rows/s   peak RSS ${Math.round(r.maxRssBytes / MB)} MB`
  );
}

const totalMb = Number(process.env['SOCFEED_BENCH_MB'] ?? 1100);
const work = mkdtempSync(join(tmpdir(), 'socfeed-bench-ingest-'));
try {
  const dataDir = join(work, 'data');
  execFileSync('mkdir', ['-p', dataDir]);
  process.stdout.write(`generating ${totalMb} MB of streaming-API records in ${dataDir} ...\n`);
  const gen = await generateStreamingFiles(dataDir, totalMb * MB);
  process.stdout.write(
    `${gen.files.length} files, ${(gen.bytes / MB).toFixed(0)} MB, ${gen.rows.toLocaleString('en-US')} rows ` +
      `(${gen.files
        .map((f) => f.table)
        .filter((t, i, a) => a.indexOf(t) === i)
        .join(', ')})\n\n`,
  );
  const duck = runSide('duckdb', dataDir, join(work, 'duckdb.duckdb'));
  const ours = runSide('socfeed', dataDir, join(work, 'socfeed.duckdb'));
  process.stdout.write(line('DuckDB read_json', duck, gen.bytes) + '\n');
  process.stdout.write(line('socfeed ingest', ours, gen.bytes) + '\n');
  const ratio = duck.seconds / ours.seconds;
  process.stdout.write(`\nratio socfeed / DuckDB read_json: ${ratio.toFixed(2)}x  (target ≥ 0.50x)\n`);
  if (ours.rows !== gen.rows || duck.rows !== gen.rows) {
    process.stdout.write(
      `WARNING: row counts differ: generated ${gen.rows}, socfeed ${ours.rows}, DuckDB ${duck.rows}\n`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
