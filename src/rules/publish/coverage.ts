import type { AttackCatalog } from '../attack.js';
import type { EnrichedEntry } from './enrich-catalog.js';

/**
 * ATT&CK coverage of the catalog: per technique and tactic, the rules that cite it, how many of
 * them the store has data for, and their recent hits. The score (0–100) adds up, visibly:
 *
 *   rules     10 points per rule, at most 50 (five rules and more)
 *   data      up to 40: the share of those rules whose tables all hold rows in the store
 *   hits      10 when any of the rules matched recently (an input; 0 without it)
 *
 * so a technique with many rules but no telemetry behind them stays at 50: written, not working.
 */
export interface TechniqueCoverage {
  techniqueId: string;
  name: string;
  /** Kill-chain shortname, e.g. `command-and-control`. */
  tactic: string;
  tacticName: string;
  parent?: string;
  rules: { id: string; name: string; source: string }[];
  /** Rules that validate and whose tables all have rows in the store; null without a store. */
  runnable: number | null;
  /** Recent matches of the rules; null when no hit counts were given. */
  hits: number | null;
  score: number;
  scoreParts: { rules: number; data: number; hits: number };
}

export const COVERAGE_SCORE = { perRule: 10, maxRules: 50, data: 40, hits: 10 } as const;

export function coverage(
  entries: EnrichedEntry[],
  attack: AttackCatalog,
  hits?: ReadonlyMap<string, number>,
): TechniqueCoverage[] {
  const byKey = new Map<
    string,
    TechniqueCoverage & { runnableRules: number; hitCount: number; withData: boolean }
  >();
  for (const { published, enriched } of entries) {
    const att = enriched.attack.value;
    const ruleTactics = new Set(att.tactics.flatMap((t) => (t.shortname ? [t.shortname] : [])));
    const sources = enriched.dataSources.value;
    const withData = sources.length > 0 && sources.every((d) => d.availability !== undefined);
    // Runnable: the query validates and every table it reads has rows in the store.
    const runnable =
      withData &&
      enriched.validation.value.errors === 0 &&
      sources.every((d) => (d.availability?.value.rows ?? 0) > 0);
    for (const t of att.techniques) {
      // A technique under several tactics counts where the rule says it hunts (all of them if it does not say).
      const mine = t.tactics.filter((x) => ruleTactics.has(x.shortname));
      for (const tactic of mine.length ? mine : t.tactics) {
        const key = `${t.id}\u0000${tactic.shortname}`;
        let c = byKey.get(key);
        if (!c) {
          c = {
            techniqueId: t.id,
            name: t.name,
            tactic: tactic.shortname,
            tacticName: tactic.name,
            ...(t.parent ? { parent: t.parent.id } : {}),
            rules: [],
            runnable: null,
            hits: null,
            score: 0,
            scoreParts: { rules: 0, data: 0, hits: 0 },
            runnableRules: 0,
            hitCount: 0,
            withData,
          };
          byKey.set(key, c);
        }
        if (c.rules.some((r) => r.id === published.rule.id && r.source === published.source)) continue;
        c.rules.push({ id: published.rule.id, name: published.rule.name, source: published.source });
        if (runnable) c.runnableRules++;
        c.withData = c.withData && withData;
        c.hitCount += hits?.get(published.rule.id) ?? 0;
      }
    }
  }
  const order = new Map(attack.tactics.map((t) => [t.shortname, t.order]));
  return [...byKey.values()]
    .map(({ runnableRules, hitCount, withData, ...c }) => {
      const rulesPart = Math.min(COVERAGE_SCORE.maxRules, COVERAGE_SCORE.perRule * c.rules.length);
      const dataPart = withData ? Math.round((COVERAGE_SCORE.data * runnableRules) / c.rules.length) : 0;
      const hitsPart = hits && hitCount > 0 ? COVERAGE_SCORE.hits : 0;
      return {
        ...c,
        runnable: withData ? runnableRules : null,
        hits: hits ? hitCount : null,
        score: rulesPart + dataPart + hitsPart,
        scoreParts: { rules: rulesPart, data: dataPart, hits: hitsPart },
      };
    })
    .sort(
      (a, b) =>
        (order.get(a.tactic) ?? 99) - (order.get(b.tactic) ?? 99) ||
        a.techniqueId.localeCompare(b.techniqueId),
    );
}
