import type { Progress } from '../cli/progress.js';
import { rmmCatalog } from '../rules/rmm-catalog.js';
import type { RuleDiagnostic } from '../rules/model.js';
import type { Store } from '../store/store.js';
import { executePlan, type RuleOutcome, type StageStat } from './execute.js';
import { findingsOf, ruleFacts } from './findings.js';
import {
  computeDelta,
  ensureHuntTables,
  latestRun,
  ruleKey,
  saveRun,
  type JudgedFinding,
  type SavedRun,
} from './persist.js';
import { planHunt, type HuntPlan } from './plan.js';
import { deviceGroups, judge, type Policy } from './policy.js';
import { selectRules } from './rule-set.js';
import { resolveTabularLists } from './constant-lists.js';
import { engineLine, storeTarget, type HuntTarget } from './target.js';

export interface HuntOptions {
  /** --rules selectors; empty: the RMM pack plus imported rules. */
  rules: string[];
  now: Date;
  lookbackMs?: number;
  lookbackText?: string;
  policy?: Policy;
  /** Record the run and its findings in the store (off for read-only stores and `rmm inventory`). */
  persist: boolean;
  noFusion?: boolean;
}

export interface HuntReport {
  saved?: SavedRun;
  now: string;
  windowStart?: string;
  plan: HuntPlan;
  outcomes: RuleOutcome[];
  stages: StageStat[];
  /** Current findings, then the gone ones (delta `gone`). */
  findings: JudgedFinding[];
  loadDiagnostics: RuleDiagnostic[];
  /** Which engine read the telemetry and how the plan ran there (engineLine). */
  engine: { name: string; target: string; fused: boolean; summary: string };
}

/**
 * Selects, plans and runs the rules, judges the findings against the policy, records the run.
 * `store` keeps the rule catalog, runs and findings; `telemetry` is where the events are read
 * (default: the same store).
 */
export async function runHunt(
  store: Store,
  opts: HuntOptions,
  progress: Progress,
  telemetry: HuntTarget = storeTarget(store),
): Promise<HuntReport> {
  const startedAt = new Date();
  const sqlAccess = telemetry.backend.sql;
  progress.phase('loading rules');
  const selection = await selectRules(store, opts.rules, opts.persist);
  progress.phase('compiling', selection.rules.length);
  const plan = await planHunt(
    selection.rules,
    {
      schema: telemetry.backend.schema,
      now: opts.now,
      ...(opts.lookbackMs !== undefined ? { lookbackMs: opts.lookbackMs } : {}),
      ...(opts.noFusion ? { noFusion: true } : {}),
      dialect: sqlAccess ? sqlAccess.dialect : null,
      resolve: (rel) => resolveTabularLists(telemetry, rel),
    },
    () => progress.tick(),
  );
  const { outcomes, stages } = await executePlan(telemetry, plan, progress);
  outcomes.sort(
    (a, b) => a.rule.rule.name.localeCompare(b.rule.rule.name) || a.rule.source.localeCompare(b.rule.source),
  );

  progress.phase('judging findings');
  const catalog = rmmCatalog();
  // Device groups only matter to a policy; they are read where the telemetry is.
  const groups = opts.policy ? await deviceGroups(telemetry.backend) : new Map<string, string>();
  const current: Omit<JudgedFinding, 'delta'>[] = [];
  for (const o of outcomes) {
    if (o.mode === 'failed') continue;
    for (const f of findingsOf(o, ruleFacts(o.rule, catalog, o.table), catalog)) {
      const group = groups.get(f.deviceId);
      const verdict = judge(opts.policy, f.tool, {
        deviceId: f.deviceId,
        deviceName: f.deviceName,
        ...(group ? { group } : {}),
      });
      current.push({ ...f, status: verdict.status, statusNote: verdict.note });
    }
  }
  const ran = new Set(
    outcomes.filter((o) => o.mode !== 'failed').map((o) => ruleKey(o.rule.source, o.rule.rule.id)),
  );
  let saved: SavedRun | undefined;
  let findings: JudgedFinding[];
  if (opts.persist) {
    await ensureHuntTables(store);
    const previous = await latestRun(store);
    findings = computeDelta(current, ran, previous);
    progress.phase('saving');
    saved = await saveRun(
      store,
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        now: opts.now.toISOString(),
        ...(plan.windowStart ? { windowStart: plan.windowStart.toISOString() } : {}),
        ...(opts.lookbackText ? { lookback: opts.lookbackText } : {}),
        selection: selection.description,
        ...(opts.policy ? { policy: opts.policy.file } : {}),
        rules: outcomes.map((o) => ({
          source: o.rule.source,
          ruleId: o.rule.rule.id,
          name: o.rule.rule.name,
          mode: o.mode,
          ...(o.note ? { note: o.note } : {}),
          rows: o.rows.length,
        })),
      },
      findings,
      previous?.runId,
    );
  } else {
    findings = current.map((f) => ({ ...f, delta: 'new' }));
  }
  return {
    ...(saved ? { saved } : {}),
    now: opts.now.toISOString(),
    ...(plan.windowStart ? { windowStart: plan.windowStart.toISOString() } : {}),
    plan,
    outcomes,
    stages,
    findings,
    loadDiagnostics: selection.diagnostics,
    engine: {
      name: telemetry.backend.engine,
      target: telemetry.backend.target,
      fused: sqlAccess !== undefined,
      summary: engineLine(telemetry),
    },
  };
}
