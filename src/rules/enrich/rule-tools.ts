import type { Rule } from '../model.js';
import type { RmmCatalog, RmmTool } from '../rmm-catalog.js';
import type { FieldSource } from './types.js';

/** A rule naming more tools than this hunts "RMM tools" in general, not one tool. */
const MULTI_TOOL = 5;

export interface RuleTools {
  tools: RmmTool[];
  /** The rule covers many tools (an all-tools rule). */
  multi: boolean;
  source: FieldSource;
}

/**
 * The RMM tools a rule hunts. A pack rule says so in its tags (`rmm-tool:servereye`,
 * `rmm-tool:all`). Any other rule is matched by the catalog: on the tool its title names when it
 * names one (a literal such as 'RealVNC' in the RPort rule also fits RealVNC and UltraVNC, but the
 * rule hunts RPort), else on its query literals.
 */
export function ruleTools(rule: Rule, catalog: RmmCatalog): RuleTools {
  const tagged = rule.tags.filter((t) => t.startsWith('rmm-tool:')).map((t) => t.slice('rmm-tool:'.length));
  if (tagged.includes('all')) return { tools: [...catalog.tools], multi: true, source: 'rule' };
  const byTag = tagged.map((id) => catalog.tool(id)).filter((t): t is RmmTool => t !== undefined);
  if (byTag.length > 0) return { tools: byTag, multi: byTag.length > MULTI_TOOL, source: 'rule' };
  const byTitle = catalog.toolsForRule(rule.name, '');
  const matched = byTitle.length > 0 ? byTitle : catalog.toolsForRule(rule.name, rule.query);
  return { tools: matched, multi: matched.length > MULTI_TOOL, source: 'rmm-catalog' };
}
