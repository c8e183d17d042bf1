import type { DuckDBValue } from '@duckdb/node-api';
import type { WebState } from './state.js';

/**
 * Hunt runs and findings, read from the tables the hunt runner (`socfeed hunt`, src/hunt/persist.ts)
 * writes: `_socfeed_hunt_runs`, `_socfeed_hunt_rules`, `_socfeed_hunt_findings`. The web app only
 * reads them, by column name, so it works with any store a hunt has written and shows an empty
 * state before the first hunt.
 */
export const HUNT_TABLES = ['_socfeed_hunt_runs', '_socfeed_hunt_rules', '_socfeed_hunt_findings'] as const;

export type Delta = 'new' | 'changed' | 'unchanged' | 'gone';

export interface HuntRun {
  runId: number;
  previousRunId: number | null;
  startedAt: string;
  now: string;
  windowStart: string | null;
  lookback: string | null;
  selection: string[];
  policy: string | null;
  rules: number;
  findings: number;
  counts: Record<Delta, number>;
}

export interface HuntFinding {
  source: string;
  ruleId: string;
  ruleName: string;
  deviceId: string;
  deviceName: string;
  tool: string | null;
  signal: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  count: number | null;
  /** `raised` (not approved by the policy) or `expected`. */
  status: string;
  statusNote: string;
  delta: Delta;
}

async function rows(state: WebState, sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
  return (await state.queue.run(() => state.store.query(sql, params))).rows;
}

const str = (v: DuckDBValue | undefined) => (v === null || v === undefined ? null : String(v));

export async function hasHuntTables(state: WebState): Promise<boolean> {
  const names = await rows(state, 'SELECT table_name FROM duckdb_tables()');
  const present = new Set(names.map((r) => String(r[0])));
  return HUNT_TABLES.every((t) => present.has(t));
}

export async function huntRuns(state: WebState, limit = 20): Promise<HuntRun[]> {
  const r = await rows(
    state,
    `SELECT run_id, previous_run_id, started_at, now_at, window_start, lookback, selection, policy, rule_count,
            finding_count, new_count, changed_count, unchanged_count, gone_count
       FROM _socfeed_hunt_runs ORDER BY run_id DESC LIMIT ?`,
    [limit],
  );
  return r.map((x) => ({
    runId: Number(x[0]),
    previousRunId: x[1] === null ? null : Number(x[1]),
    startedAt: String(x[2]),
    now: String(x[3]),
    windowStart: str(x[4]),
    lookback: str(x[5]),
    selection: parseList(x[6]),
    policy: str(x[7]),
    rules: Number(x[8]),
    findings: Number(x[9]),
    counts: { new: Number(x[10]), changed: Number(x[11]), unchanged: Number(x[12]), gone: Number(x[13]) },
  }));
}

function parseList(v: DuckDBValue | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(String(v));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** A run's findings, gone ones included (they carry delta `gone`). */
export async function huntFindings(state: WebState, runId: number): Promise<HuntFinding[]> {
  const r = await rows(
    state,
    `SELECT source, rule_id, rule_name, device_id, device_name, tool, signal, first_seen, last_seen, event_count,
            status, status_note, delta
       FROM _socfeed_hunt_findings WHERE run_id = ?
      ORDER BY CASE delta WHEN 'new' THEN 0 WHEN 'changed' THEN 1 WHEN 'gone' THEN 2 ELSE 3 END,
               device_name, tool NULLS LAST, rule_name`,
    [runId],
  );
  return r.map((x) => ({
    source: String(x[0]),
    ruleId: String(x[1]),
    ruleName: String(x[2]),
    deviceId: String(x[3]),
    deviceName: String(x[4]),
    tool: str(x[5]),
    signal: str(x[6]),
    firstSeen: str(x[7]),
    lastSeen: str(x[8]),
    count: x[9] === null ? null : Number(x[9]),
    status: String(x[10]),
    statusNote: String(x[11]),
    delta: String(x[12]) as Delta,
  }));
}

export interface InventoryRow {
  deviceId: string;
  deviceName: string;
  tool: string;
  signals: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Largest event count any one rule reported (rules overlap, so counts are not added up). */
  events: number;
  approved: boolean;
  note: string;
  rules: string[];
}

/** RMM tools per device in a run (gone findings left out): approved when the policy expects them. */
export function inventory(findings: HuntFinding[]): InventoryRow[] {
  const byKey = new Map<string, InventoryRow>();
  for (const f of findings) {
    if (!f.tool || f.delta === 'gone') continue;
    const key = `${f.deviceId}\u0000${f.tool}`;
    const row = byKey.get(key) ?? {
      deviceId: f.deviceId,
      deviceName: f.deviceName,
      tool: f.tool,
      signals: [],
      firstSeen: null,
      lastSeen: null,
      events: 0,
      approved: true,
      note: f.statusNote,
      rules: [],
    };
    if (f.signal && !row.signals.includes(f.signal)) row.signals.push(f.signal);
    if (f.firstSeen && (!row.firstSeen || f.firstSeen < row.firstSeen)) row.firstSeen = f.firstSeen;
    if (f.lastSeen && (!row.lastSeen || f.lastSeen > row.lastSeen)) row.lastSeen = f.lastSeen;
    row.events = Math.max(row.events, f.count ?? 0);
    if (f.status === 'raised' && row.approved) {
      row.approved = false;
      row.note = f.statusNote;
    }
    if (!row.rules.includes(f.ruleName)) row.rules.push(f.ruleName);
    byKey.set(key, row);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      Number(a.approved) - Number(b.approved) ||
      a.deviceName.localeCompare(b.deviceName) ||
      a.tool.localeCompare(b.tool),
  );
}

/** Findings history of one rule, in the runs that included it. */
export interface RuleHistory {
  available: boolean;
  runs: {
    runId: number;
    startedAt: string;
    now: string;
    findings: number;
    new: number;
    gone: number;
    mode: string;
  }[];
}

export async function ruleHistory(state: WebState, source: string, ruleId: string): Promise<RuleHistory> {
  if (!(await hasHuntTables(state))) return { available: false, runs: [] };
  const r = await rows(
    state,
    `SELECT r.run_id, runs.started_at, runs.now_at, r.mode,
            count(f.finding_key) FILTER (WHERE f.delta <> 'gone'),
            count(f.finding_key) FILTER (WHERE f.delta = 'new'),
            count(f.finding_key) FILTER (WHERE f.delta = 'gone')
       FROM _socfeed_hunt_rules r
       JOIN _socfeed_hunt_runs runs ON runs.run_id = r.run_id
       LEFT JOIN _socfeed_hunt_findings f ON f.run_id = r.run_id AND f.source = r.source AND f.rule_id = r.rule_id
      WHERE r.source = ? AND r.rule_id = ?
      GROUP BY ALL ORDER BY r.run_id DESC LIMIT 20`,
    [source, ruleId],
  );
  return {
    available: true,
    runs: r.map((x) => ({
      runId: Number(x[0]),
      startedAt: String(x[1]),
      now: String(x[2]),
      mode: String(x[3]),
      findings: Number(x[4]),
      new: Number(x[5]),
      gone: Number(x[6]),
    })),
  };
}

/** Findings per rule id in the latest run: the "recent hits" of the coverage view. */
export async function latestHits(state: WebState): Promise<Map<string, number> | undefined> {
  if (!(await hasHuntTables(state))) return undefined;
  const r = await rows(
    state,
    `SELECT rule_id, count(*) FROM _socfeed_hunt_findings
      WHERE run_id = (SELECT max(run_id) FROM _socfeed_hunt_runs) AND delta <> 'gone' GROUP BY rule_id`,
  );
  return new Map(r.map((x) => [String(x[0]), Number(x[1])]));
}
