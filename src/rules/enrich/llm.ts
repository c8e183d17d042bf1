import type { Rule } from '../model.js';
import type { EnrichedRule } from './types.js';

/**
 * Optional language-model enrichment behind an OpenAI-compatible chat endpoint. Off by default and
 * not implemented: this is the seam only. An implementation may rewrite prose fields (hypothesis,
 * false-positive guidance) and must mark them `source: 'llm'`; it never changes facts (ATT&CK
 * context, data sources, references, confidence), so deterministic output stays reproducible.
 */
export interface LlmEndpointConfig {
  /** e.g. `http://localhost:11434/v1` (an OpenAI-compatible server). */
  baseUrl: string;
  model: string;
  /** Name of the environment variable holding the API key (the key itself is never stored). */
  apiKeyEnv?: string;
}

export interface LlmSuggestion {
  hypothesis?: string;
  falsePositives?: string[];
}

export interface LlmEnricher {
  readonly name: string;
  suggest(rule: Rule, enriched: EnrichedRule): Promise<LlmSuggestion>;
}

/** Applies an enricher's suggestions to the prose fields, marking them as model-written. */
export async function applyLlmEnricher(
  rule: Rule,
  enriched: EnrichedRule,
  llm: LlmEnricher,
): Promise<EnrichedRule> {
  const s = await llm.suggest(rule, enriched);
  const out = { ...enriched };
  if (s.hypothesis?.trim()) out.hypothesis = { value: s.hypothesis.trim(), source: 'llm' };
  if (s.falsePositives?.length) out.falsePositives = { value: s.falsePositives, source: 'llm' };
  return out;
}
