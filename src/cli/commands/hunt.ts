import { boolOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, JSON_OPTION, NOW_OPTION, parseChoice } from '../options.js';
import { runHunt } from '../../hunt/hunt.js';
import { planHunt } from '../../hunt/plan.js';
import { selectRules } from '../../hunt/rule-set.js';
import { resolveTabularLists } from '../../hunt/constant-lists.js';
import { explainText, findingsCsv, huntText } from '../../hunt/render.js';
import { findingsSarif } from '../../hunt/sarif.js';
import { huntJson } from '../../hunt/json.js';
import {
  LOOKBACK_OPTION,
  openHuntStore,
  POLICY_OPTION,
  RULES_OPTION,
  huntOptionsFrom,
} from '../../hunt/options.js';
import { rmmCatalog } from '../../rules/rmm-catalog.js';
import { lowerToSql } from '../../sql/compile.js';
import { storeTarget, type HuntTarget } from '../../hunt/target.js';
import { ENGINE_OPTIONS, engineChoice, openHuntTelemetry } from '../engine-options.js';

const FORMATS = ['table', 'json', 'csv', 'sarif'] as const;

export const huntCommand: CommandDefinition = {
  name: 'hunt',
  summary: 'Run a rule pack over the store in one pass per table; findings with deltas since the last run',
  usage:
    'hunt [--db PATH] [--rules SET|PATH…] [--now ISO] [--lookback 5d] [--policy FILE] [--format table|json|csv|sarif] [--fail-on-findings] [--explain] [--engine duckdb|clickhouse|adx …]',
  example: 'socfeed hunt --policy approved-tools.yaml --fail-on-findings',
  options: {
    db: DB_OPTION,
    rules: RULES_OPTION,
    now: NOW_OPTION,
    lookback: LOOKBACK_OPTION,
    policy: POLICY_OPTION,
    format: {
      type: 'string',
      value: 'FORMAT',
      description: 'table (default), json, csv (findings) or sarif (findings)',
    },
    'fail-on-findings': {
      type: 'boolean',
      description: 'exit with status 1 when a finding is raised (not approved by the policy)',
    },
    explain: {
      type: 'boolean',
      description: 'show the plan (which rules share a scan, and the SQL) without running it',
    },
    json: JSON_OPTION,
    ...ENGINE_OPTIONS,
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const format = boolOpt(ctx.values, 'json') ? 'json' : parseChoice(ctx.values, 'format', FORMATS, 'table');
    const opts = huntOptionsFrom(ctx.values, true);
    const explain = boolOpt(ctx.values, 'explain');
    const engine = engineChoice(ctx.values);
    // Telemetry may live on another engine; runs and findings stay in the --db store.
    const remote = engine === 'duckdb' ? undefined : await openHuntTelemetry(ctx, engine);
    let store: Awaited<ReturnType<typeof openHuntStore>>['store'] | undefined;
    try {
      const opened = await openHuntStore(ctx.values, true, remote ? { create: true } : undefined);
      store = opened.store;
      const path = opened.path;
      const telemetry: HuntTarget = remote ?? storeTarget(store);
      if (explain) {
        const selection = await selectRules(store, opts.rules, true);
        const sqlAccess = telemetry.backend.sql;
        const plan = await planHunt(selection.rules, {
          schema: telemetry.backend.schema,
          now: opts.now,
          ...(opts.lookbackMs !== undefined ? { lookbackMs: opts.lookbackMs } : {}),
          dialect: sqlAccess ? sqlAccess.dialect : null,
          resolve: (rel) => resolveTabularLists(telemetry, rel),
        });
        const sqlOf = (rel: Parameters<typeof lowerToSql>[0]) =>
          (sqlAccess && lowerToSql(rel, sqlAccess.dialect).sql) ?? '(not lowered)';
        return { output: explainText(plan, sqlOf) };
      }
      const started = Date.now();
      const report = await runHunt(store, opts, ctx.progress, telemetry);
      ctx.progress.done();
      for (const d of report.loadDiagnostics.filter((x) => x.severity === 'error'))
        ctx.note(`${d.file}:${d.line}:${d.column}: ${d.message}`);
      const raised = report.findings.some((f) => f.delta !== 'gone' && f.status === 'raised');
      const exitCode = boolOpt(ctx.values, 'fail-on-findings') && raised ? 1 : 0;
      const catalog = rmmCatalog();
      switch (format) {
        case 'json':
          return { output: JSON.stringify(huntJson(report, path), null, 2), exitCode };
        case 'csv':
          return { output: findingsCsv(report.findings), exitCode };
        case 'sarif':
          return { output: JSON.stringify(findingsSarif(report.findings, catalog), null, 2), exitCode };
        default:
          return {
            output: huntText(report, catalog, {
              db: path,
              seconds: (Date.now() - started) / 1000,
              ...(opts.policy ? { policy: opts.policy.file } : {}),
            }),
            exitCode,
          };
      }
    } finally {
      store?.close();
      await remote?.backend.close();
    }
  },
};
