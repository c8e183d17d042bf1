import { silentProgress } from '../cli/progress.js';
import { runHunt } from '../hunt/hunt.js';
import type { Policy } from '../hunt/policy.js';
import { UserError } from '../util/errors.js';
import { LOOKBACKS } from './rule-run.js';
import type { WebState } from './state.js';

export interface WebHuntResult {
  runId: number;
  previousRunId: number | null;
  findings: number;
  counts: Record<'new' | 'changed' | 'unchanged' | 'gone', number>;
}

/**
 * Runs the hunt from the Hunts page: the same runner as `socfeed hunt` (the RMM pack plus the
 * imported rules, findings recorded with their deltas), on the server's own store. The server
 * holds the store's only write handle, so while it runs the CLI could not hunt on this store.
 */
export async function runHuntFromWeb(
  state: WebState,
  o: { now: Date; lookback?: string; policy?: Policy },
): Promise<WebHuntResult> {
  const lookbackMs = o.lookback ? LOOKBACKS[o.lookback] : undefined;
  if (o.lookback && lookbackMs === undefined)
    throw new UserError(
      'SF-WEB-LOOKBACK',
      `look-back must be one of ${Object.keys(LOOKBACKS).join(', ')} (got '${o.lookback}')`,
    );
  const report = await state.queue.run(() =>
    runHunt(
      state.store,
      {
        rules: [],
        now: o.now,
        persist: true,
        ...(lookbackMs !== undefined ? { lookbackMs, lookbackText: o.lookback! } : {}),
        ...(o.policy ? { policy: o.policy } : {}),
      },
      silentProgress,
      state.telemetry,
    ),
  );
  const saved = report.saved!;
  return {
    runId: saved.runId,
    previousRunId: saved.previousRunId ?? null,
    findings: report.findings.filter((f) => f.delta !== 'gone').length,
    counts: saved.counts,
  };
}
