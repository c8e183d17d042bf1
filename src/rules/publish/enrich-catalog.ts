import {
  enrichRule,
  tableAvailability,
  withAvailability,
  type ConfidenceEvidence,
  type EnrichedRule,
} from '../enrich/index.js';
import type { OpenCatalog, PublishedRule } from './catalog-rules.js';

export interface EnrichedEntry {
  published: PublishedRule;
  enriched: EnrichedRule;
}

/**
 * Enriches every rule of an open catalog. Table availability is read from the store once for all
 * rules, and only from a real store: the in-memory stand-in has no telemetry to report.
 */
export async function enrichCatalog(
  cat: OpenCatalog,
  opts: { now?: Date; evidence?: ReadonlyMap<string, ConfidenceEvidence> } = {},
): Promise<EnrichedEntry[]> {
  const out = cat.rules.map((published) => {
    const evidence = opts.evidence?.get(published.rule.id);
    const enriched = enrichRule(published.rule, {
      schema: cat.store.schema,
      ...(opts.now ? { now: opts.now } : {}),
      ...(evidence ? { evidence } : {}),
    });
    return { published, enriched };
  });
  if (!cat.persistent) return out;
  const tables = new Set(out.flatMap((e) => e.enriched.dataSources.value.map((d) => d.table)));
  const availability = await tableAvailability(cat.store, tables);
  return out.map((e) => ({ ...e, enriched: withAvailability(e.enriched, availability) }));
}
