import { defenderSchema, type SchemaCatalog } from '../../schema/index.js';
import { attackCatalog, type AttackCatalog } from '../attack.js';
import type { Rule } from '../model.js';
import { rmmCatalog, type RmmCatalog } from '../rmm-catalog.js';
import { attackContext } from './attack-context.js';
import { confidence } from './confidence.js';
import { dataSources } from './data-sources.js';
import { falsePositiveGuidance } from './false-positives.js';
import { huntHypothesis } from './hypothesis.js';
import { signalOfTable } from './phrases.js';
import { queryFacts } from './query-facts.js';
import { references } from './references.js';
import { ruleTools } from './rule-tools.js';
import { indicatorConcerns } from './specificity.js';
import type { ConfidenceEvidence, EnrichedRule, TableAvailability } from './types.js';

export type * from './types.js';
export { tableAvailability, withAvailability } from './data-sources.js';

export interface EnrichOptions {
  schema?: SchemaCatalog;
  attack?: AttackCatalog;
  catalog?: RmmCatalog;
  /** Pins `now()` while binding the query. */
  now?: Date;
  /** Per-table row counts from a store (see `tableAvailability`); omitted when no store is used. */
  availability?: ReadonlyMap<string, TableAvailability>;
  /** Fixture and benign-data results, when available. */
  evidence?: ConfidenceEvidence;
}

/**
 * Enriches one rule. Deterministic: the same rule, data files and inputs give the same result.
 * No I/O here; the caller reads the store (availability) beforehand.
 */
export function enrichRule(rule: Rule, opts: EnrichOptions = {}): EnrichedRule {
  const schema = opts.schema ?? defenderSchema();
  const attack = opts.attack ?? attackCatalog();
  const catalog = opts.catalog ?? rmmCatalog();
  const facts = queryFacts(rule.query, schema, opts.now);
  const tools = ruleTools(rule, catalog);
  const primary = facts.primaryTable ?? singleDeclaredTable(rule);
  const signal = signalOfTable(primary);
  const att = attackContext(rule, attack);
  const concerns = indicatorConcerns(
    facts.conditions,
    catalog,
    tools.tools.map((t) => t.id),
    tools.multi,
  );
  const errors = facts.diagnostics.filter((d) => d.severity === 'error');
  const warnings = facts.diagnostics.filter((d) => d.severity === 'warning');
  const attackSource = `attack-v${attack.version}` as const;
  return {
    ruleId: rule.id,
    signal: { value: signal, source: 'derived' },
    tools: {
      value: tools.tools.map((t) => ({
        id: t.id,
        name: t.name,
        category: t.category,
        ...(t.vendor ? { vendor: t.vendor } : {}),
      })),
      source: tools.source,
    },
    conditions: { value: facts.conditions, source: 'derived' },
    hypothesis: { value: huntHypothesis(rule, facts, tools, signal, att), source: 'derived' },
    attack: { value: att, source: attackSource },
    dataSources: { value: dataSources(rule, facts, schema, opts.availability), source: 'derived' },
    falsePositives: falsePositiveGuidance(tools, signal, facts, concerns),
    references: references(rule, tools, att, catalog),
    confidence: { value: confidence(facts, concerns, opts.evidence), source: 'derived' },
    validation: {
      value: {
        errors: errors.length,
        warnings: warnings.length,
        messages: [...errors, ...warnings].map((d) => `${d.code}: ${d.message}`),
      },
      source: 'derived',
    },
  };
}

/** The one table the rule declares, for a query too broken to say. */
function singleDeclaredTable(rule: Rule): string | undefined {
  const tables = [...new Set(rule.requiredDataConnectors.flatMap((c) => c.dataTypes))];
  return tables.length === 1 ? tables[0] : undefined;
}
