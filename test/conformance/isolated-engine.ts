/**
 * Runs queries in a child process that can be killed: a query that runs past its time budget or
 * past a memory ceiling is answered as an error (code TIMEOUT or MEMORY) and the child is replaced;
 * a child that dies is answered as CRASH. Suites that run queries nobody vetted (documented
 * examples, the corpus) use this, so one runaway query costs seconds, not the machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunOutcome } from './engine-adapter.js';
import type { RunRequest, SelfTestRequest, WorkerMessage } from './query-worker.js';

export interface IsolatedEngineOptions {
  /** Per-query budget. Env CONFORMANCE_QUERY_TIMEOUT_MS overrides the default 10 s. */
  timeoutMs?: number;
  /** Resident memory ceiling of the child (Linux only: read from /proc). Default 2048 MB. */
  maxRssMb?: number;
}

const CHILD = fileURLToPath(new URL('./query-child.mjs', import.meta.url));
const STARTUP_MS = 60_000;

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class IsolatedEngine {
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private seq = 0;
  private stderrTail = '';
  private readonly timeoutMs: number;
  private readonly maxRssMb: number;
  /** Children killed or lost so far (each replaced by a fresh one). */
  restarts = 0;

  constructor(opts: IsolatedEngineOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? Number(process.env['CONFORMANCE_QUERY_TIMEOUT_MS'] ?? 10_000);
    this.maxRssMb = opts.maxRssMb ?? 2048;
  }

  private start(): Promise<ChildProcess> {
    this.starting ??= new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      this.stderrTail = '';
      const keepTail = (chunk: Buffer): void => {
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
      };
      child.stdout?.on('data', keepTail);
      child.stderr?.on('data', keepTail);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`query process did not start within ${STARTUP_MS} ms: ${this.stderrTail}`));
      }, STARTUP_MS);
      const onExit = (code: number | null, signal: string | null): void => {
        clearTimeout(timer);
        reject(new Error(`query process exited during startup (${signal ?? code}): ${this.stderrTail}`));
      };
      child.once('exit', onExit);
      child.once('message', (m: WorkerMessage) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        if (m.type !== 'ready') return reject(new Error(`query process sent ${m.type} before ready`));
        this.child = child;
        child.once('exit', () => {
          if (this.child === child) this.child = undefined;
        });
        resolve(child);
      });
    }).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private kill(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    this.restarts++;
    child.kill('SIGKILL');
  }

  /** Runs one query; never rejects except when a child cannot be started at all. */
  run(kql: string, opts: { now: Date; source: string; externalDataDir?: string }): Promise<RunOutcome> {
    return this.request((id) => {
      const req: RunRequest = { type: 'run', id, kql, now: opts.now.toISOString(), source: opts.source };
      if (opts.externalDataDir !== undefined) req.externalDataDir = opts.externalDataDir;
      return req;
    });
  }

  /** Makes the child misbehave (tests of this class only). */
  selfTest(action: SelfTestRequest['action']): Promise<RunOutcome> {
    return this.request((id) => ({ type: 'selftest', id, action }));
  }

  private async request(make: (id: number) => RunRequest | SelfTestRequest): Promise<RunOutcome> {
    const child = this.child ?? (await this.start());
    const id = ++this.seq;
    return new Promise<RunOutcome>((resolve) => {
      let done = false;
      const finish = (o: RunOutcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(o);
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'result' && m.id === id) finish(m.outcome);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        if (this.child === child) this.child = undefined;
        this.restarts++;
        finish({
          kind: 'error',
          code: 'CRASH',
          message: `query process died (${signal ?? `exit ${code}`}): ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}`,
        });
      };
      const timer = setTimeout(() => {
        this.kill(child);
        finish({
          kind: 'error',
          code: 'TIMEOUT',
          message: `still running after ${this.timeoutMs} ms; query process killed`,
        });
      }, this.timeoutMs);
      const poll = setInterval(() => {
        const rss = child.pid === undefined ? undefined : rssMb(child.pid);
        if (rss !== undefined && rss > this.maxRssMb) {
          this.kill(child);
          finish({
            kind: 'error',
            code: 'MEMORY',
            message: `query process used ${Math.round(rss)} MB (> ${this.maxRssMb} MB); killed`,
          });
        }
      }, 200);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(make(id));
    });
  }

  close(): void {
    const c = this.child;
    this.child = undefined;
    if (c && c.connected) c.disconnect();
  }
}
