import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { count, query, REPO, sandbox, streamRecord, type Sandbox } from './helpers.js';

/*
 * Crash consistency with a real process: the ingest code is compiled (tsc, only what ingest needs,
 * into a temp dir) and run by a small runner; runs are killed with SIGKILL part way through a
 * large file. The store must hold none of that file's rows, and the next run must ingest it fully.
 * Both routes are covered: a gzipped file (staged through JS in chunks) and a plain JSON-lines
 * file (read by DuckDB directly, in one statement).
 */

let sb: Sandbox;
let runner: string;
let plainFile: string;
let gzFile: string;
const ROWS = 300_000;

beforeAll(async () => {
  sb = sandbox();
  const out = join(sb.dir, 'build');
  mkdirSync(out);
  symlinkSync(join(REPO, 'node_modules'), join(sb.dir, 'node_modules'), 'dir');
  const tscArgs = [
    '--outDir',
    out,
    '--rootDir',
    REPO,
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
  ];
  tscArgs.push('--target', 'es2022', '--skipLibCheck', '--types', 'node', '--strict', '--resolveJsonModule');
  execFileSync(join(REPO, 'node_modules/.bin/tsc'), [...tscArgs, join(REPO, 'src/store/ingest/index.ts')], {
    stdio: 'inherit',
  });
  runner = join(out, 'runner.mjs');
  // Progress goes to stderr ("phase" when the file's transaction starts, "read N" per input
  // buffer) so that the test can kill the process part way through.
  writeFileSync(
    runner,
    `import { Store } from './src/store/store.js';
import { ingestPaths } from './src/store/ingest/index.js';
const [db, file] = process.argv.slice(2);
const store = await Store.open(db);
let read = 0;
const progress = {
  phase() { process.stderr.write('phase\\n'); },
  done() {},
  tick(n = 1) { read += n; process.stderr.write('read ' + read + '\\n'); },
};
const s = await ingestPaths(store, [file], { chunkBytes: 4 << 20, progress });
store.close();
process.stdout.write(JSON.stringify({ status: s.files[0].status, rows: s.totals.rows }) + '\\n');
`,
  );
  plainFile = join(sb.dir, 'big.json');
  const ws = createWriteStream(plainFile);
  const template = JSON.stringify(
    streamRecord('DeviceProcessEvents', {
      Timestamp: '2024-05-01T10:00:00.1234567Z',
      DeviceName: 'ws-01.corp.example.com',
      FileName: 'powershell.exe',
      FolderPath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      ProcessCommandLine:
        'powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "Get-Process | Out-File C:\\Temp\\p.txt"'.repeat(
          3,
        ),
      ProcessId: 0,
      SHA256: 'ab'.repeat(32),
    }),
  );
  for (let i = 0; i < ROWS; i++) {
    if (!ws.write(template.replace('"ProcessId":0', `"ProcessId":${i}`) + '\n')) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  gzFile = join(sb.dir, 'big.json.gz');
  await pipeline(createReadStream(plainFile), createGzip({ level: 1 }), createWriteStream(gzFile));
}, 300_000);
afterAll(() => sb.cleanup());

interface Run {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
  kill: () => void;
  /** Resolves once the process has read at least this many bytes of the input. */
  hasRead: (bytes: number) => Promise<void>;
  /** Resolves once the process has started the file's transaction. */
  started: Promise<void>;
}

function run(db: string, file: string): Run {
  const child = spawn(process.execPath, [runner, db, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  let read = 0;
  let phase = false;
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  child.stderr.on('data', (b: Buffer) => {
    const text = b.toString();
    if (text.includes('phase')) phase = true;
    for (const m of text.matchAll(/read (\d+)/g)) read = Math.max(read, Number(m[1]));
    for (const w of waiters.filter((x) => x.ready())) w.resolve();
  });
  const waitFor = (ready: () => boolean) =>
    new Promise<void>((resolve) => (ready() ? resolve() : waiters.push({ ready, resolve })));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout })),
  );
  return {
    done,
    kill: () => child.kill('SIGKILL'),
    hasRead: (bytes) => waitFor(() => read >= bytes),
    started: waitFor(() => phase),
  };
}

async function expectCleanRecovery(db: string, file: string): Promise<void> {
  expect(existsSync(db)).toBe(true);
  expect(await count(db, 'DeviceProcessEvents')).toBe(0);
  expect(await count(db, '_socfeed_ingested_files')).toBe(0);
  const again = await run(db, file).done;
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toEqual({ status: 'ingested', rows: ROWS });
  expect(
    await query(db, 'SELECT count(*) AS n, count(DISTINCT ProcessId) AS d FROM DeviceProcessEvents'),
  ).toEqual([{ n: String(ROWS), d: String(ROWS) }]);
  const rerun = await run(db, file).done;
  expect(JSON.parse(rerun.stdout)).toEqual({ status: 'unchanged', rows: 0 });
}

test('staged route killed mid-file (half of a gzipped file read): nothing kept, then ingested once', async () => {
  const db = join(sb.dir, 'staged.duckdb');
  const victim = run(db, gzFile);
  // Half the compressed input read: several chunks are already in the file's transaction.
  await victim.hasRead(statSync(gzFile).size / 2);
  victim.kill();
  expect((await victim.done).signal).toBe('SIGKILL');
  await expectCleanRecovery(db, gzFile);
}, 600_000);

test('direct route killed mid-statement (DuckDB reading the plain file): nothing kept, then ingested once', async () => {
  const db = join(sb.dir, 'direct.duckdb');
  const victim = run(db, plainFile);
  await victim.started;
  // The single INSERT reads ~200 MB; a quarter of a second in, it is well under way.
  await new Promise((r) => setTimeout(r, 250));
  victim.kill();
  expect((await victim.done).signal).toBe('SIGKILL');
  await expectCleanRecovery(db, plainFile);
}, 600_000);
