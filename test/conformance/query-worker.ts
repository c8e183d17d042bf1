/**
 * The child side of IsolatedEngine: opens its own in-memory store and runs the queries the parent
 * sends over the IPC channel, one at a time, answering with the classified outcome. Started by
 * query-child.mjs (Node cannot load TypeScript itself; Vite's module runner does).
 */
import { Store } from '../../src/store/store.js';
import { runQuery, type RunOutcome } from './engine-adapter.js';

export interface RunRequest {
  type: 'run';
  id: number;
  kql: string;
  /** ISO 8601. */
  now: string;
  source: string;
  externalDataDir?: string;
}

/** Misbehaviour on request, so the parent's kill-and-replace logic can be tested without the engine. */
export interface SelfTestRequest {
  type: 'selftest';
  id: number;
  action: 'hang' | 'exit' | 'grow';
}

export type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; outcome: RunOutcome };

const retained: Buffer[] = [];

function misbehave(action: SelfTestRequest['action']): void {
  if (action === 'exit') process.exit(3);
  if (action === 'hang') for (;;);
  // 'grow': allocate (and touch) 64 MB every 50 ms until killed
  setInterval(() => retained.push(Buffer.alloc(64 * 1024 * 1024, 1)), 50);
}

export async function serve(): Promise<void> {
  const send = (m: WorkerMessage): void => {
    process.send?.(m);
  };
  const store = await Store.open(':memory:');
  let queue = Promise.resolve();
  process.on('message', (m: RunRequest | SelfTestRequest) => {
    if (m?.type === 'selftest') return misbehave(m.action);
    if (m?.type !== 'run') return;
    queue = queue.then(async () => {
      send({
        type: 'result',
        id: m.id,
        outcome: await runQuery(store, m.kql, {
          now: new Date(m.now),
          source: m.source,
          ...(m.externalDataDir !== undefined ? { externalDataDir: m.externalDataDir } : {}),
        }),
      });
    });
  });
  // The parent went away: nothing left to answer.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}
