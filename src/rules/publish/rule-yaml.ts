import { stringify } from 'yaml';
import type { Rule } from '../model.js';

/**
 * The rule definition written back as Sentinel YAML from the model, fields in the order Sentinel's
 * own files use. It shows what socfeed read (an indentation slip the loader repaired shows
 * repaired); the original file is behind the provenance link.
 */
export function ruleYaml(rule: Rule): string {
  const doc: Record<string, unknown> = { id: rule.id, name: rule.name, description: rule.description + '\n' };
  if (rule.severity) doc['severity'] = rule.severity;
  if (rule.kind) doc['kind'] = rule.kind;
  if (rule.requiredDataConnectors.length) doc['requiredDataConnectors'] = rule.requiredDataConnectors;
  for (const k of ['queryFrequency', 'queryPeriod', 'triggerOperator'] as const)
    if (rule[k]) doc[k] = rule[k];
  if (rule.triggerThreshold !== undefined) doc['triggerThreshold'] = rule.triggerThreshold;
  // One tactic or technique is written as a plain value, as the files usually do.
  if (rule.tactics.length) doc['tactics'] = rule.tactics.length === 1 ? rule.tactics[0] : rule.tactics;
  if (rule.relevantTechniques.length)
    doc['relevantTechniques'] =
      rule.relevantTechniques.length === 1 ? rule.relevantTechniques[0] : rule.relevantTechniques;
  doc['query'] = rule.query.endsWith('\n') ? rule.query : rule.query + '\n';
  if (rule.entityMappings.length) doc['entityMappings'] = rule.entityMappings;
  if (rule.tags.length) doc['tags'] = rule.tags;
  if (rule.version) doc['version'] = rule.version;
  for (const [k, v] of Object.entries(rule.extra)) if (!(k in doc)) doc[k] = v;
  return stringify(doc, { indentSeq: false, lineWidth: 0, blockQuote: 'literal' });
}
