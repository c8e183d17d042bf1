import type { KqlCell, KqlColumn } from '../engine/types.js';
import { decodeCell } from '../engine/decode.js';
import { KqlCompileError, prepareStore, runKql } from '../engine/run.js';
import { lowerToSql } from '../sql/compile.js';
import { getDialect } from '../sql/dialects/registry.js';
import type { Rel } from '../sql/ir/nodes.js';
import type { Store } from '../store/store.js';
import type { Progress } from '../cli/progress.js';
import type { FusedMember, HuntPlan } from './plan.js';
import { narrowByValues } from './value-prefilter.js';
import type { HuntRule } from './rule-set.js';

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
  store: Store,
  rel: Rel,
): Promise<{ columns: KqlColumn[]; rows: KqlCell[][]; sql: string }> {
  const lowered = lowerToSql(rel, getDialect('duckdb'));
  if (!lowered.sql) throw new Error(lowered.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
  const columns = rel.cols.map((c) => ({ name: c.name, type: c.type }));
  const raw = await store.query(lowered.sql);
  return {
    columns,
    rows: raw.rows.map((r) => columns.map((c, i) => decodeCell(r[i] ?? null, c.type))),
    sql: lowered.sql,
  };
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
async function runBatch(store: Store, batch: FusedMember[], outcomes: RuleOutcome[]): Promise<void> {
  const lowered = batch.map((m) => lowerToSql(m.rel, getDialect('duckdb')).sql);
  if (batch.length > 1 && lowered.every((s) => s !== undefined)) {
    // Only our own integers and compiler output go into this text.
    const sql = lowered
      .map((s, i) => `SELECT ${i} AS "${TAG}", * FROM (\n${s}\n) AS "r${i}"`)
      .join('\nUNION ALL\n');
    try {
      const raw = await store.query(sql);
      const columns = batch[0]!.rel.cols.map((c) => ({ name: c.name, type: c.type }));
      const split: KqlCell[][][] = batch.map(() => []);
      for (const r of raw.rows)
        split[Number(r[0])]!.push(columns.map((c, i) => decodeCell(r[i + 1] ?? null, c.type)));
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
      outcomes.push({ rule: m.rule, table: m.table, mode: 'fused', ...(await runRel(store, m.rel)) });
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
 * Runs a plan: per fused group, one scan fills a temporary stage table and each member rule runs
 * over it; then the rules that run alone. A rule that fails is reported and the hunt goes on.
 */
export async function executePlan(store: Store, plan: HuntPlan, progress: Progress): Promise<HuntExecution> {
  await prepareStore(store);
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
    const lowered = lowerToSql(await narrowByValues(store, group.stageRel), getDialect('duckdb'));
    if (!lowered.sql) {
      // Cannot happen for IR the planner built from bound rules; fall back to running them alone.
      for (const m of group.members)
        plan.alone.push({ rule: m.rule, reason: 'its shared scan could not be compiled' });
      continue;
    }
    // The stage name is ours (a counter), never user text.
    try {
      await store.run(`CREATE OR REPLACE TEMP TABLE "${group.stage}" AS ${lowered.sql}`);
    } catch {
      // The engine refused the shared scan: the members still run, each on its own.
      for (const m of group.members)
        plan.alone.push({ rule: m.rule, table: m.table, reason: 'its shared scan failed in the engine' });
      continue;
    }
    try {
      const count = await store.query(`SELECT count(*) FROM "${group.stage}"`);
      stages.push({
        table: group.table,
        stage: group.stage,
        rules: group.members.length,
        rows: Number(count.rows[0]![0]),
        sql: lowered.sql,
      });
      for (const batch of batches(group.members)) {
        await runBatch(store, batch, outcomes);
        progress.tick(batch.length);
      }
    } finally {
      await store.run(`DROP TABLE IF EXISTS "${group.stage}"`);
    }
  }
  for (const a of plan.alone) {
    const table = a.table !== undefined ? { table: a.table } : {};
    try {
      if (a.rel) {
        const r = await runRel(store, a.rel);
        outcomes.push({ rule: a.rule, ...table, mode: 'alone', note: a.reason, ...r });
      } else {
        const r = await runKql(store, a.rule.rule.query, { now: plan.now, source: a.rule.label });
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
