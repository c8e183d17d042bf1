import type { HuntReport } from './hunt.js';

/** The machine-readable hunt (`--format json` / `--json`): counts, every rule's outcome, findings. */
export function huntJson(r: HuntReport, db: string): object {
  const current = r.findings.filter((f) => f.delta !== 'gone');
  return {
    db,
    runId: r.saved?.runId ?? null,
    previousRunId: r.saved?.previousRunId ?? null,
    now: r.now,
    windowStart: r.windowStart ?? null,
    engine: {
      name: r.engine.name,
      target: r.engine.target,
      fused: r.engine.fused,
      summary: r.engine.summary,
    },
    rules: {
      total: r.outcomes.length,
      fused: r.outcomes.filter((o) => o.mode === 'fused').length,
      alone: r.outcomes.filter((o) => o.mode === 'alone').length,
      failed: r.outcomes.filter((o) => o.mode === 'failed').length,
    },
    scans: r.stages.map((s) => ({ table: s.table, rules: s.rules, candidateRows: s.rows })),
    counts: {
      findings: current.length,
      raised: current.filter((f) => f.status === 'raised').length,
      expected: current.filter((f) => f.status === 'expected').length,
      new: current.filter((f) => f.delta === 'new').length,
      changed: current.filter((f) => f.delta === 'changed').length,
      unchanged: current.filter((f) => f.delta === 'unchanged').length,
      gone: r.findings.length - current.length,
    },
    results: r.outcomes.map((o) => ({
      source: o.rule.source,
      ruleId: o.rule.rule.id,
      name: o.rule.rule.name,
      mode: o.mode,
      ...(o.note ? { note: o.note } : {}),
      rows: o.rows.length,
    })),
    findings: r.findings.map(({ row, ...f }) => ({ ...f, row })),
  };
}
