import type { KqlCell, KqlColumn } from '../engine/types.js';
import type { SqlAccess } from '../engine/backend.js';
import { KqlCompileError, type RunOptions } from '../engine/run.js';
import { lowerToSql } from '../sql/compile.js';
import type { Rel } from '../sql/ir/nodes.js';
import type { Store } from '../store/store.js';
import type { Progress } from '../cli/progress.js';
import type { FusedMember, HuntPlan } from './plan.js';
import type { HuntRule } from './rule-set.js';
import { huntTarget, type HuntTarget } from './target.js';

export type RunMode = 'fused' | 'alone' | 'failed';

export interface RuleOutcome {
  rule: HuntRule;
  mode: RunMode;
  table?: string;
  /** Why a rule ran alone, or why it failed. */
  note?: string;
  columns: KqlColumn[];
  rows: KqlCell[][];
  /** The SQL that produced the rows (for --explain). */
  sql?: string;
}

export interface StageStat {
  table: string;
  stage: string;
  rules: number;
  /** Rows the shared scan kept for the rules to look at. */
  rows: number;
  sql: string;
}

export interface HuntExecution {
  outcomes: RuleOutcome[];
  stages: StageStat[];
}

async function runRel(
  sql: SqlAccess,
  rel: Rel,
): Promise<{ columns: KqlColumn[]; rows: KqlCell[][]; sql: string }> {
  const lowered = lowerToSql(rel, sql.dialect);
  if (!lowered.sql) throw new Error(lowered.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
  const columns = rel.cols.map((c) => ({ name: c.name, type: c.type }));
  return { columns, rows: await sql.query(lowered.sql, columns), sql: lowered.sql };
}

/** Members with the same result columns, a bounded number per statement. */
function batches(members: FusedMember[]): FusedMember[][] {
  const bySignature = new Map<string, FusedMember[]>();
  for (const m of members) {
    const sig = JSON.stringify(m.rel.cols.map((c) => [c.name, c.type]));
    bySignature.set(sig, [...(bySignature.get(sig) ?? []), m]);
  }
  const out: FusedMember[][] = [];
  for (const list of bySignature.values())
    for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH));
  return out;
}

/**
 * Runs several rules over a stage in one statement (one round trip instead of one per rule): each
 * rule's compiled query becomes a subquery tagged with its position, and rows are split back by
 * that tag. If the statement fails, each rule runs on its own so one bad rule cannot sink the rest.
 */
async function runBatch(sql: SqlAccess, batch: FusedMember[], outcomes: RuleOutcome[]): Promise<void> {
  const lowered = batch.map((m) => lowerToSql(m.rel, sql.dialect).sql);
  if (batch.length > 1 && lowered.every((s) => s !== undefined)) {
    // Only our own integers and compiler output go into this text.
    const q = (name: string) => sql.dialect.quoteIdent(name);
    const text = lowered
      .map((s, i) => `SELECT ${i} AS ${q(TAG)}, * FROM (\n${s}\n) AS ${q(`r${i}`)}`)
      .join('\nUNION ALL\n');
    try {
      const columns = batch[0]!.rel.cols.map((c) => ({ name: c.name, type: c.type }));
      const rows = await sql.query(text, [{ name: TAG, type: 'long' }, ...columns]);
      const split: KqlCell[][][] = batch.map(() => []);
      for (const r of rows) split[Number(r[0])]!.push(r.slice(1));
      batch.forEach((m, i) =>
        outcomes.push({
          rule: m.rule,
          table: m.table,
          mode: 'fused',
          columns,
          rows: split[i]!,
          sql: lowered[i]!,
        }),
      );
      return;
    } catch {
      // fall through: one at a time, so the failing rule is named
    }
  }
  for (const m of batch) {
    try {
      outcomes.push({ rule: m.rule, table: m.table, mode: 'fused', ...(await runRel(sql, m.rel)) });
    } catch (e) {
      outcomes.push({
        rule: m.rule,
        mode: 'failed',
        note: `the engine could not run it: ${firstLine(e)}`,
        columns: [],
        rows: [],
      });
    }
  }
}

const BATCH = 64;
const TAG = '__socfeed_rule';

function firstLine(e: unknown): string {
  if (e instanceof KqlCompileError) return e.message;
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

/**
 * Runs a plan where the telemetry is (the store, or another engine's backend): per fused group,
 * one scan fills a temporary stage table and each member rule runs over it; then the rules that
 * run alone. On an engine without a SQL side (ADX) every rule runs alone through its KQL. A shared
 * scan the engine refuses sends its members through the backend one by one. A rule that fails is
 * reported and the hunt goes on.
 */
export async function executePlan(
  where: Store | HuntTarget,
  plan: HuntPlan,
  progress: Progress,
): Promise<HuntExecution> {
  const target = huntTarget(where);
  const sql = target.backend.sql;
  const outcomes: RuleOutcome[] = plan.failed.map((f) => ({
    rule: f.rule,
    mode: 'failed',
    note: f.message,
    columns: [],
    rows: [],
  }));
  const stages: StageStat[] = [];
  const total = plan.groups.reduce((n, g) => n + g.members.length, 0) + plan.alone.length;
  progress.phase('hunting', total);
  for (const group of plan.groups) {
    const stageRel = target.narrow ? await target.narrow(group.stageRel) : group.stageRel;
    const lowered = sql ? lowerToSql(stageRel, sql.dialect) : undefined;
    if (!sql || !lowered?.sql) {
      // Cannot happen for IR the planner built from bound rules; fall back to running them alone.
      for (const m of group.members)
        plan.alone.push({ rule: m.rule, table: m.table, reason: 'its shared scan could not be compiled' });
      continue;
    }
    // The stage name is ours (a counter), never user text.
    let rows: number;
    try {
      await sql.createTempTable(group.stage, lowered.sql);
      const count = await sql.query(`SELECT count(*) FROM ${sql.dialect.quoteIdent(group.stage)}`, [
        { name: 'count', type: 'long' },
      ]);
      rows = Number(count[0]![0]);
    } catch (e) {
      // The engine refused the shared scan: the members still run, each on its own.
      await sql.dropTempTable(group.stage).catch(() => undefined);
      for (const m of group.members)
        plan.alone.push({
          rule: m.rule,
          table: m.table,
          reason: `its shared scan failed in the engine (${firstLine(e)}); run alone through the backend`,
        });
      continue;
    }
    try {
      stages.push({
        table: group.table,
        stage: group.stage,
        rules: group.members.length,
        rows,
        sql: lowered.sql,
      });
      for (const batch of batches(group.members)) {
        await runBatch(sql, batch, outcomes);
        progress.tick(batch.length);
      }
    } finally {
      await sql.dropTempTable(group.stage);
    }
  }
  for (const a of plan.alone) {
    const table = a.table !== undefined ? { table: a.table } : {};
    try {
      if (a.rel && sql) {
        const r = await runRel(sql, a.rel);
        outcomes.push({ rule: a.rule, ...table, mode: 'alone', note: a.reason, ...r });
      } else {
        const opts: RunOptions = { source: a.rule.label, ...(target.pinNow ? { now: plan.now } : {}) };
        const r = await target.backend.runKql(a.rule.rule.query, opts);
        outcomes.push({
          rule: a.rule,
          ...table,
          mode: 'alone',
          note: a.reason,
          columns: r.columns,
          rows: r.rows,
          sql: r.sql,
        });
      }
    } catch (e) {
      outcomes.push({
        rule: a.rule,
        mode: 'failed',
        note: `the engine could not run it: ${firstLine(e)}`,
        columns: [],
        rows: [],
      });
    }
    progress.tick();
  }
  return { outcomes, stages };
}
