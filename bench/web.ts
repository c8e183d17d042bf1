import { fork } from 'node:child_process';
import { Agent, get } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebStore } from './web-store.js';

/**
 * `npm run bench:web`: requests per second and latency (p50/p95/p99) of `socfeed serve` with a
 * 2,000-rule catalog, for the feed page (`/`) and the rule API (`/api/rules/:id`, cycling through
 * every rule), next to `/api/health` measured in the same run as the server's floor (routing,
 * security headers, a tiny JSON answer). Machines differ, so the ratio of each endpoint's p95 to
 * the floor's p95 is the comparable figure; the absolute numbers describe this machine only.
 *
 * The store is built once into artifacts/bench/ (bench/web-store.ts). The server runs as a child
 * process on an ephemeral 127.0.0.1 port (bench/web-server.ts); the load generator here uses
 * Node's http module with a keep-alive agent and N concurrent clients, each sending its next
 * request as soon as the previous answer is read.
 *
 * Settings (environment): SOCFEED_BENCH_CLIENTS concurrent clients (default 8),
 * SOCFEED_BENCH_REQUESTS measured requests per endpoint (default 3000), SOCFEED_BENCH_ROUNDS
 * (default 3: the endpoints take turns, round by round, so a burst of load from elsewhere on a
 * shared machine falls on all of them instead of on one), SOCFEED_BENCH_WARMUP requests per
 * endpoint before measuring (default 300), SOCFEED_BENCH_RULES catalog size (default 2000).
 */
const CLIENTS = Number(process.env['SOCFEED_BENCH_CLIENTS'] ?? 8);
const REQUESTS = Number(process.env['SOCFEED_BENCH_REQUESTS'] ?? 3000);
const ROUNDS = Number(process.env['SOCFEED_BENCH_ROUNDS'] ?? 3);
const WARMUP = Number(process.env['SOCFEED_BENCH_WARMUP'] ?? 300);
const RULES = Number(process.env['SOCFEED_BENCH_RULES'] ?? 2000);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dbPath = join(root, 'artifacts', 'bench', `web-${RULES}.duckdb`);

interface Endpoint {
  label: string;
  /** Path of the i-th request (the rule API walks the whole catalog). */
  path(i: number): string;
}

interface Sample {
  /** Milliseconds per request, in completion order. */
  ms: number[];
  /** Wall time the batch took, for requests per second. */
  wallMs: number;
}

/** One GET, body read to the end; rejects on anything but 200 so errors never count as fast answers. */
function request(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        else resolve(performance.now() - t0);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `count` requests from CLIENTS clients sharing a counter, so the total is exact. */
async function batch(
  agent: Agent,
  port: number,
  ep: Endpoint,
  count: number,
  offset: number,
): Promise<Sample> {
  const ms: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      ms.push(await request(agent, port, ep.path(offset + i)));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { ms, wallMs: performance.now() - t0 };
}

/** Nearest-rank percentile of sorted values. */
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function ruleIds(agent: Agent, port: number): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const body = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: `/api/rules?pageSize=100&page=${page}`, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      }).on('error', reject);
    });
    const parsed = JSON.parse(body) as { pages: number; items: { id: string }[] };
    ids.push(...parsed.items.map((r) => r.id));
    if (page >= parsed.pages) return ids;
  }
}

async function main(): Promise<void> {
  await ensureWebStore(dbPath, RULES);
  const child = fork(join(here, 'web-server.js'), [dbPath], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started = await new Promise<{ port: number; rules: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; rules: number }));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  const { port } = started;
  // One socket per client, kept open: the figures are per request, not per TCP handshake.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const ids = await ruleIds(agent, port);
    if (ids.length !== RULES || started.rules !== RULES)
      throw new Error(`server holds ${started.rules} rules (${ids.length} listed), expected ${RULES}`);
    const endpoints: Endpoint[] = [
      { label: '/api/health (floor)', path: () => '/api/health' },
      { label: '/ (feed page)', path: () => '/' },
      { label: '/api/rules/:id', path: (i) => `/api/rules/${encodeURIComponent(ids[i % ids.length]!)}` },
    ];
    for (const ep of endpoints) await batch(agent, port, ep, WARMUP, 0);

    const per = Math.ceil(REQUESTS / ROUNDS);
    const all = endpoints.map(() => ({ ms: [] as number[], wallMs: 0 }));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, ep] of endpoints.entries()) {
        const s = await batch(agent, port, ep, per, r * per);
        all[k]!.ms.push(...s.ms);
        all[k]!.wallMs += s.wallMs;
      }
    }

    const rows = all.map((s) => {
      const sorted = [...s.ms].sort((a, b) => a - b);
      return {
        n: sorted.length,
        rps: sorted.length / (s.wallMs / 1000),
        p50: pct(sorted, 50),
        p95: pct(sorted, 95),
        p99: pct(sorted, 99),
      };
    });
    const floor = rows[0]!;
    const head = ['endpoint', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 / floor p95'];
    const body = rows.map((row, k) => [
      endpoints[k]!.label,
      String(row.n),
      row.rps.toFixed(0),
      row.p50.toFixed(2),
      row.p95.toFixed(2),
      row.p99.toFixed(2),
      k === 0 ? '1.0×' : `${(row.p95 / floor.p95).toFixed(1)}×`,
    ]);
    console.log(
      `socfeed serve, ${RULES} rules, ${CLIENTS} keep-alive clients on 127.0.0.1, ` +
        `${per * ROUNDS} requests per endpoint in ${ROUNDS} interleaved rounds after ${WARMUP} warm-up each`,
    );
    console.log(`| ${head.join(' | ')} |`);
    console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const line of body) console.log(`| ${line.join(' | ')} |`);
  } finally {
    agent.destroy();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
  }
}

await main();
