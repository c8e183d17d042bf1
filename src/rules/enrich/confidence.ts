import type { QueryFacts } from './query-facts.js';
import type { IndicatorConcern } from './specificity.js';
import type { Confidence, ConfidenceEvidence, ConfidenceLevel, ConfidenceReason } from './types.js';

/**
 * Confidence that a hit means what the rule says, from evidence only. The score starts at a
 * neutral BASE and each piece of evidence adds or takes points, with the reason shown:
 *
 *   schema       query binds against the table schemas            +20 | does not bind −30
 *   conditions   ≥ 2 indicator conditions must all match          +10 | one: 0 | none: −10
 *   specificity  per generic (catalog-excluded) value −15 (≤ −30), per too-short value −10 (≤ −20),
 *                per value shared with / overlapping other tools −5 (≤ −10)
 *   fixtures     all fixture tests pass +15 | any fails −20 | none: 0 (not assessed)
 *   benign-hits  0 matches on benign data +15 | 1–9 −10 | 10–99 −20 | ≥ 100 −30 | not run: 0
 *
 * Clamped to 0–100; high ≥ 75, medium ≥ 45, low below. A rule that only passes the static checks
 * tops out at medium: high needs fixtures or a benign-data run.
 */
export const CONFIDENCE_BASE = 40;
const HIGH = 75;
const MEDIUM = 45;

export function confidence(
  facts: QueryFacts,
  concerns: IndicatorConcern[],
  evidence: ConfidenceEvidence = {},
): Confidence {
  const reasons: ConfidenceReason[] = [];
  const add = (factor: string, points: number, detail: string) => reasons.push({ factor, points, detail });

  const errors = facts.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) add('schema', 20, 'the query parses and binds against the table schemas');
  else
    add(
      'schema',
      -30,
      `the query does not validate (${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0]!.code} ${errors[0]!.message}); it cannot run as written`,
    );

  const estimated = facts.basis === 'tokens' ? ' (estimated from the query text)' : '';
  const n = facts.requiredConditions;
  if (n >= 2) add('conditions', 10, `${n} indicator conditions must all match${estimated}`);
  else if (n === 1) add('conditions', 0, `a single indicator condition decides a match${estimated}`);
  else add('conditions', -10, `no literal indicator condition: matches depend on logic alone${estimated}`);

  const capped = (kind: IndicatorConcern['kind'], each: number, cap: number) => {
    const list = concerns.filter((c) => c.kind === kind);
    return { list, points: Math.max(cap, each * list.length) };
  };
  const excluded = capped('excluded', -15, -30);
  if (excluded.list.length)
    add(
      'specificity',
      excluded.points,
      `generic indicator${excluded.list.length > 1 ? 's' : ''} (excluded in the RMM catalog): ${quoted(excluded.list)}`,
    );
  const short = capped('short', -10, -20);
  if (short.list.length) add('specificity', short.points, `too short to be specific: ${quoted(short.list)}`);
  const shared = concerns.filter((c) => c.kind === 'shared' || c.kind === 'overlap');
  if (shared.length)
    add(
      'specificity',
      Math.max(-10, -5 * shared.length),
      `also matches other tools' indicators: ${quoted(shared)}`,
    );
  if (!excluded.list.length && !short.list.length && !shared.length && facts.conditions.length > 0)
    add('specificity', 0, 'indicator values are specific to the hunted tool (none generic, short or shared)');

  const fx = evidence.fixtures;
  if (!fx || fx.total === 0) add('fixtures', 0, 'no fixture tests (not assessed)');
  else if (fx.passed === fx.total)
    add('fixtures', 15, `all ${fx.total} fixture test${fx.total === 1 ? '' : 's'} pass`);
  else add('fixtures', -20, `${fx.total - fx.passed} of ${fx.total} fixture tests fail`);

  const hits = evidence.benignHits;
  if (hits === undefined) add('benign-hits', 0, 'not run on known-benign data (not assessed)');
  else if (hits === 0) add('benign-hits', 15, 'no matches on known-benign data');
  else
    add(
      'benign-hits',
      hits < 10 ? -10 : hits < 100 ? -20 : -30,
      `${hits} match${hits === 1 ? '' : 'es'} on known-benign data`,
    );

  const score = Math.max(0, Math.min(100, CONFIDENCE_BASE + reasons.reduce((s, r) => s + r.points, 0)));
  return { level: levelOf(score), score, reasons };
}

export function levelOf(score: number): ConfidenceLevel {
  return score >= HIGH ? 'high' : score >= MEDIUM ? 'medium' : 'low';
}

function quoted(list: IndicatorConcern[]): string {
  const shown = list.slice(0, 3).map((c) => `'${c.value}'`);
  return list.length > 3 ? `${shown.join(', ')} and ${list.length - 3} more` : shown.join(', ');
}
