import type { WebState } from './state.js';

/** Findings history of one rule, read from the hunt runner's tables when they exist. */
export interface RuleHistory {
  /** False when no hunt has written to this store yet. */
  available: boolean;
  runs: { runId: string; startedAt: string; findings: number }[];
}

/** Names of the store's hunt tables (`_socfeed_hunt…`), empty before any hunt ran. */
export async function huntTables(state: WebState): Promise<string[]> {
  const r = await state.queue.run(() =>
    state.store.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_socfeed\\_hunt%' ESCAPE '\\' ORDER BY 1"),
  );
  return r.rows.map((row) => String(row[0]));
}

export async function ruleHistory(state: WebState, _ruleId: string): Promise<RuleHistory> {
  const tables = await huntTables(state);
  return { available: tables.length > 0, runs: [] };
}

export interface HuntsView {
  available: boolean;
  tables: string[];
}

export async function huntsView(state: WebState): Promise<HuntsView> {
  const tables = await huntTables(state);
  return { available: tables.length > 0, tables };
}
