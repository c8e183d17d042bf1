import { silentProgress } from '../cli/progress.js';
import type { RunResult } from '../engine/run.js';
import { resolveTabularLists } from '../hunt/constant-lists.js';
import { executePlan } from '../hunt/execute.js';
import { planHunt } from '../hunt/plan.js';
import type { PublishedRule } from '../rules/publish/catalog-rules.js';
import { RuntimeFailure, UserError } from '../util/errors.js';
import { engineTimedOut, QueryTimeout, runForWeb } from './console-run.js';
import type { WebState } from './state.js';

/** The look-back choices the rule page offers, as `socfeed hunt --lookback` spells them. */
export const LOOKBACKS: Record<string, number> = {
  '1h': 3_600_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '5d': 432_000_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
};

export interface RuleRunOptions {
  now: Date;
  /** A key of LOOKBACKS; without it the rule's own window is all that applies. */
  lookback?: string;
  maxRows: number;
  timeoutMs: number;
}

/**
 * Runs one rule over the store. Without a look-back this is the console's path (`runKql`). With
 * one, the rule goes through the hunt planner exactly as `socfeed hunt --lookback` runs it, so the
 * page and the CLI agree: every table scan is limited to [now − look-back, now], on top of the
 * rule's own time filter. Both are queued, capped and interrupted at the time-out.
 */
export async function runRule(state: WebState, p: PublishedRule, o: RuleRunOptions): Promise<RunResult> {
  if (o.lookback === undefined)
    return runForWeb(state, p.rule.query, {
      now: o.now,
      maxRows: o.maxRows,
      timeoutMs: o.timeoutMs,
      source: p.rule.name,
    });
  const lookbackMs = LOOKBACKS[o.lookback];
  if (lookbackMs === undefined)
    throw new UserError(
      'SF-WEB-LOOKBACK',
      `look-back must be one of ${Object.keys(LOOKBACKS).join(', ')} (got '${o.lookback}')`,
    );
  return state.queue.run(async () => {
    let timedOut = false;
    // Another engine stops the query itself at the time-out (serve --engine).
    const timer = setTimeout(() => {
      timedOut = true;
      if (!state.remote) state.store.connection.interrupt();
    }, o.timeoutMs);
    const telemetry = state.telemetry;
    const sqlAccess = telemetry.backend.sql;
    try {
      const plan = await planHunt([{ source: p.source, rule: p.rule, label: p.rule.name }], {
        schema: telemetry.backend.schema,
        now: o.now,
        lookbackMs,
        dialect: sqlAccess ? sqlAccess.dialect : null,
        resolve: (rel) => resolveTabularLists(telemetry, rel),
      });
      const failed = plan.failed[0];
      if (failed) throw new UserError('SF-WEB-RULE', failed.message, { preformatted: true });
      const { outcomes } = await executePlan(telemetry, plan, silentProgress);
      const out = outcomes[0]!;
      if (out.mode === 'failed') {
        if (timedOut || /TIMEOUT_EXCEEDED|Timeout exceeded/i.test(out.note ?? ''))
          throw new QueryTimeout(o.timeoutMs);
        throw new RuntimeFailure('SF-ENGINE', out.note ?? 'the rule could not run');
      }
      const truncated = out.rows.length > o.maxRows;
      return {
        columns: out.columns,
        rows: truncated ? out.rows.slice(0, o.maxRows) : out.rows,
        truncated,
        warnings: [],
        sql: out.sql ?? '',
      };
    } catch (e) {
      if ((timedOut || engineTimedOut(e)) && !(e instanceof QueryTimeout))
        throw new QueryTimeout(o.timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  });
}
