import { runKql, type RunResult } from '../engine/run.js';
import { RuntimeFailure, UserError } from '../util/errors.js';
import type { WebState } from './state.js';

export interface RunLimits {
  /** Rows returned at most; the result says when it was cut. */
  maxRows: number;
  /** Execution time allowed, after which the engine is interrupted. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: RunLimits = { maxRows: 1000, timeoutMs: 30_000 };
export const ROW_CAP_CEILING = 10_000;

/** Thrown when the engine was interrupted at the time-out. */
export class QueryTimeout extends UserError {
  constructor(ms: number) {
    super('SF-WEB-TIMEOUT', `the query was stopped after ${formatMs(ms)} (the server's time-out)`, {
      hint: 'narrow the time range, filter earlier, or summarize before returning rows',
    });
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`;
}

/** A statement the remote engine stopped at its own time limit (max_execution_time). */
export function engineTimedOut(e: unknown): boolean {
  return e instanceof RuntimeFailure && /TIMEOUT_EXCEEDED|Timeout exceeded/i.test(e.message);
}

/**
 * Runs KQL for the web app: always through the compiler (`runKql`; there is no SQL path), capped
 * in rows, interrupted at the time-out, and queued behind other store work. On another engine the
 * server itself stops the query at the time-out (see `serve --engine`).
 */
export async function runForWeb(
  state: WebState,
  kql: string,
  opts: { now?: Date; maxRows: number; timeoutMs: number; source?: string },
): Promise<RunResult> {
  if (state.remote)
    return state.queue.run(async () => {
      try {
        return await state.telemetry.backend.runKql(kql, {
          maxRows: opts.maxRows,
          source: opts.source ?? '<query>',
          ...(opts.now ? { now: opts.now } : {}),
        });
      } catch (e) {
        if (engineTimedOut(e)) throw new QueryTimeout(opts.timeoutMs);
        throw e;
      }
    });
  return state.queue.run(async () => {
    let timedOut = false;
    // The clock starts when the query gets the connection, not while it waits in the queue.
    const timer = setTimeout(() => {
      timedOut = true;
      state.store.connection.interrupt();
    }, opts.timeoutMs);
    try {
      return await runKql(state.store, kql, {
        maxRows: opts.maxRows,
        source: opts.source ?? '<query>',
        ...(opts.now ? { now: opts.now } : {}),
      });
    } catch (e) {
      if (timedOut && e instanceof RuntimeFailure) throw new QueryTimeout(opts.timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  });
}
