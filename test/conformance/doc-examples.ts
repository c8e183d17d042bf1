/**
 * Documented behaviour suite: every documented example (kql-reference/doc-examples.jsonl, 282)
 * and every documented expression result (doc-derived-examples.jsonl, 62) is run with runKql on
 * an in-memory store and compared with the documented output (see doc-normalise.ts). The runner
 * is normally an IsolatedEngine: some documented examples (range(1, 1000000000)) can run away.
 */
import { firstError, type QueryRunner } from './engine-adapter.js';
import { readFileSync } from 'node:fs';
import { compareDocExample, type DocExample, type DocOverride } from './doc-normalise.js';
import { lineCol } from '../../src/kql/diagnostics.js';
import { oneLine, percent, summaryLine, type Threshold } from './report.js';

/** `now()` for every example; documented outputs that depend on the clock cannot match anyway. */
export const DOC_NOW = new Date('2025-03-15T12:00:00Z');

/** doc-overrides.json, keyed by example id. */
export function loadDocOverrides(): Map<string, DocOverride> {
  const raw = JSON.parse(readFileSync(new URL('./doc-overrides.json', import.meta.url), 'utf8')) as Record<
    string,
    DocOverride
  >;
  return new Map(Object.entries(raw).filter(([k]) => !k.startsWith('_')));
}

export interface DocOutcome {
  id: string;
  pass: boolean;
  /** One line: compile diagnostic, engine error, or the first differing cell. */
  reason?: string;
  /** The documented output is known to be wrong (doc-overrides.json). */
  erratum?: string;
}

export async function runDocExample(
  run: QueryRunner,
  ex: DocExample,
  override: DocOverride = {},
): Promise<DocOutcome> {
  const o = await compareOne(run, ex, override);
  return !o.pass && override.erratum
    ? { ...o, erratum: override.erratum, reason: `${o.reason} [doc erratum: ${override.erratum}]` }
    : o;
}

async function compareOne(run: QueryRunner, ex: DocExample, override: DocOverride): Promise<DocOutcome> {
  const outcome = await run(ex.query, { now: DOC_NOW, source: ex.id });
  if (outcome.kind === 'compile-error') {
    const d = firstError(outcome.diagnostics);
    const at = d ? lineCol(ex.query, d.span.start) : undefined;
    return {
      id: ex.id,
      pass: false,
      reason: d
        ? `compile ${d.code} at ${at!.line}:${at!.col}: ${d.message}`
        : `compile error: ${outcome.message}`,
    };
  }
  if (outcome.kind === 'error') {
    return {
      id: ex.id,
      pass: false,
      reason: `runtime error${outcome.code ? ` ${outcome.code}` : ''}: ${outcome.message}`,
    };
  }
  const diff = compareDocExample(ex, outcome.result, override);
  return diff === undefined ? { id: ex.id, pass: true } : { id: ex.id, pass: false, reason: diff };
}

export interface DocSuiteResult {
  label: string;
  pass: number;
  total: number;
  outcomes: DocOutcome[];
}

export async function runDocSuite(
  label: string,
  run: QueryRunner,
  examples: readonly DocExample[],
  overrides: ReadonlyMap<string, DocOverride> = new Map(),
): Promise<DocSuiteResult> {
  const outcomes: DocOutcome[] = [];
  for (const ex of examples) outcomes.push(await runDocExample(run, ex, overrides.get(ex.id)));
  return { label, pass: outcomes.filter((o) => o.pass).length, total: examples.length, outcomes };
}

/** Failures grouped by the reason's leading words, most frequent first (where to look first). */
function reasonTally(outcomes: readonly DocOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    if (o.pass || !o.reason) continue;
    const key = o.erratum
      ? 'doc erratum'
      : o.reason
          .replace(/ at \d+:\d+/, '')
          .split(':')
          .slice(0, 2)
          .join(':')
          .slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`);
}

export function docReport(r: DocSuiteResult, t: Threshold, sourceFile: string): string[] {
  const failures = r.outcomes.filter((o) => !o.pass);
  return [
    summaryLine(r.label, r.pass, r.total, t),
    `source: ${sourceFile}`,
    `pass rate ${percent(r.pass, r.total)}%; fails below ${t.min}% (thresholds.json)`,
    `${failures.filter((o) => o.erratum).length} of the failures are documented outputs known to be wrong (doc-overrides.json); they still count`,
    '',
    `failures by kind (${failures.length}):`,
    ...reasonTally(r.outcomes),
    '',
    'every failure:',
    ...failures.map((o) => `${o.id}: ${oneLine(o.reason ?? '', 400)}`),
  ];
}
