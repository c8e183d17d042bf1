import type { DuckDBValue } from '@duckdb/node-api';
import type { KqlCell } from '../engine/types.js';
import type { Store } from '../store/store.js';
import { sameEvidence, type Finding, type Signal } from './findings.js';

/**
 * Hunt runs and their findings in the store (tables `_socfeed_hunt_…`), so each run can say what
 * changed since the previous one, like the results delta of cloud hunting consoles:
 *
 *   _socfeed_hunt_runs      one row per run: when, data window, selection, counts
 *   _socfeed_hunt_rules     per run and rule: how it ran (fused / alone / failed) and its row count
 *   _socfeed_hunt_findings  per run: every finding with its delta (new / changed / unchanged), plus
 *                           the previous run's findings that are gone, copied with delta `gone`
 *
 * Only rules that ran in both runs are compared: a rule left out of this run has no gone findings.
 */
export type Delta = 'new' | 'changed' | 'unchanged' | 'gone';
export type FindingStatus = 'expected' | 'raised';

export interface JudgedFinding extends Finding {
  status: FindingStatus;
  statusNote: string;
  delta: Delta;
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  now: string;
  windowStart?: string;
  lookback?: string;
  selection: string[];
  policy?: string;
  rules: { source: string; ruleId: string; name: string; mode: string; note?: string; rows: number }[];
}

export interface SavedRun {
  runId: number;
  previousRunId?: number;
  counts: Record<Delta, number>;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS _socfeed_hunt_runs (
     run_id BIGINT NOT NULL, previous_run_id BIGINT, started_at VARCHAR NOT NULL, finished_at VARCHAR NOT NULL,
     now_at VARCHAR NOT NULL, window_start VARCHAR, lookback VARCHAR, selection VARCHAR NOT NULL, policy VARCHAR,
     rule_count INTEGER NOT NULL, finding_count INTEGER NOT NULL, new_count INTEGER NOT NULL,
     changed_count INTEGER NOT NULL, unchanged_count INTEGER NOT NULL, gone_count INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _socfeed_hunt_rules (
     run_id BIGINT NOT NULL, source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, rule_name VARCHAR NOT NULL,
     mode VARCHAR NOT NULL, note VARCHAR, result_rows INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _socfeed_hunt_findings (
     run_id BIGINT NOT NULL, finding_key VARCHAR NOT NULL, source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
     rule_name VARCHAR NOT NULL, device_id VARCHAR NOT NULL, device_name VARCHAR NOT NULL, tool VARCHAR,
     signal VARCHAR, first_seen VARCHAR, last_seen VARCHAR, event_count BIGINT, report_ids VARCHAR NOT NULL,
     row_json VARCHAR NOT NULL, status VARCHAR NOT NULL, status_note VARCHAR NOT NULL, delta VARCHAR NOT NULL)`,
];

const FINDING_COLUMNS = 17;
const BATCH = 200;

export async function ensureHuntTables(store: Store): Promise<void> {
  for (const sql of DDL) await store.run(sql);
}

async function insertRows(store: Store, table: string, width: number, rows: DuckDBValue[][]): Promise<void> {
  const one = `(${new Array(width).fill('?').join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    // Only our own table name and placeholders are in the text; every value is bound.
    await store.run(`INSERT INTO ${table} VALUES ${chunk.map(() => one).join(', ')}`, chunk.flat());
  }
}

/** The latest run's findings still present (not gone), for the delta and for `rmm inventory`. */
export async function latestRun(
  store: Store,
): Promise<{ runId: number; ruleKeys: Set<string>; findings: JudgedFinding[] } | undefined> {
  const r = await store.query('SELECT max(run_id) FROM _socfeed_hunt_runs');
  const id = r.rows[0]?.[0];
  if (id === null || id === undefined) return undefined;
  const runId = Number(id);
  const rules = await store.query(
    `SELECT source, rule_id FROM _socfeed_hunt_rules WHERE run_id = ? AND mode <> 'failed'`,
    [runId],
  );
  return {
    runId,
    ruleKeys: new Set(rules.rows.map((x) => ruleKey(String(x[0]), String(x[1])))),
    findings: await runFindings(store, runId),
  };
}

export async function runFindings(
  store: Store,
  runId: number,
  includeGone = false,
): Promise<JudgedFinding[]> {
  const res = await store.query(
    `SELECT finding_key, source, rule_id, rule_name, device_id, device_name, tool, signal, first_seen, last_seen,
            event_count, report_ids, row_json, status, status_note, delta
       FROM _socfeed_hunt_findings WHERE run_id = ? ${includeGone ? '' : "AND delta <> 'gone'"}
      ORDER BY rule_name, device_name, finding_key`,
    [runId],
  );
  return res.rows.map((x) => {
    const f: JudgedFinding = {
      key: String(x[0]),
      source: String(x[1]),
      ruleId: String(x[2]),
      ruleName: String(x[3]),
      deviceId: String(x[4]),
      deviceName: String(x[5]),
      reportIds: JSON.parse(String(x[11])) as (string | number)[],
      row: JSON.parse(String(x[12])) as Record<string, KqlCell>,
      status: String(x[13]) as FindingStatus,
      statusNote: String(x[14]),
      delta: String(x[15]) as Delta,
    };
    if (x[6] !== null) f.tool = String(x[6]);
    if (x[7] !== null) f.signal = String(x[7]) as Signal;
    if (x[8] !== null) f.firstSeen = String(x[8]);
    if (x[9] !== null) f.lastSeen = String(x[9]);
    if (x[10] !== null) f.count = Number(x[10]);
    return f;
  });
}

export function ruleKey(source: string, ruleId: string): string {
  return `${source}\u0000${ruleId}`;
}

/**
 * Marks each finding new / changed / unchanged against the previous run, and lists the previous
 * findings that are gone (their rule ran again and did not report them).
 */
export function computeDelta(
  current: Omit<JudgedFinding, 'delta'>[],
  currentRules: Set<string>,
  previous: { ruleKeys: Set<string>; findings: JudgedFinding[] } | undefined,
): JudgedFinding[] {
  if (!previous) return current.map((f) => ({ ...f, delta: 'new' }));
  const before = new Map(previous.findings.map((f) => [f.key, f]));
  const out: JudgedFinding[] = current.map((f) => {
    const old = before.get(f.key);
    const compared = previous.ruleKeys.has(ruleKey(f.source, f.ruleId));
    const delta: Delta = !old || !compared ? 'new' : sameEvidence(old, f) ? 'unchanged' : 'changed';
    return { ...f, delta };
  });
  const now = new Set(current.map((f) => f.key));
  for (const old of previous.findings) {
    const k = ruleKey(old.source, old.ruleId);
    if (!now.has(old.key) && currentRules.has(k) && previous.ruleKeys.has(k))
      out.push({ ...old, delta: 'gone' });
  }
  return out;
}

/** Records a run and its findings in one transaction. */
export async function saveRun(
  store: Store,
  run: RunRecord,
  findings: JudgedFinding[],
  previousRunId: number | undefined,
): Promise<SavedRun> {
  return store.transaction(async () => {
    const next = await store.query('SELECT coalesce(max(run_id), 0) + 1 FROM _socfeed_hunt_runs');
    const runId = Number(next.rows[0]![0]);
    const counts: Record<Delta, number> = { new: 0, changed: 0, unchanged: 0, gone: 0 };
    for (const f of findings) counts[f.delta]++;
    await store.run('INSERT INTO _socfeed_hunt_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      runId,
      previousRunId ?? null,
      run.startedAt,
      run.finishedAt,
      run.now,
      run.windowStart ?? null,
      run.lookback ?? null,
      JSON.stringify(run.selection),
      run.policy ?? null,
      run.rules.length,
      findings.length - counts.gone,
      counts.new,
      counts.changed,
      counts.unchanged,
      counts.gone,
    ]);
    await insertRows(
      store,
      '_socfeed_hunt_rules',
      7,
      run.rules.map((r) => [runId, r.source, r.ruleId, r.name, r.mode, r.note ?? null, r.rows]),
    );
    await insertRows(
      store,
      '_socfeed_hunt_findings',
      FINDING_COLUMNS,
      findings.map((f) => [
        runId,
        f.key,
        f.source,
        f.ruleId,
        f.ruleName,
        f.deviceId,
        f.deviceName,
        f.tool ?? null,
        f.signal ?? null,
        f.firstSeen ?? null,
        f.lastSeen ?? null,
        f.count ?? null,
        JSON.stringify(f.reportIds),
        JSON.stringify(f.row),
        f.status,
        f.statusNote,
        f.delta,
      ]),
    );
    return previousRunId !== undefined ? { runId, previousRunId, counts } : { runId, counts };
  });
}
