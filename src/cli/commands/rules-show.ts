import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, JSON_OPTION } from '../options.js';
import { enrichCatalog } from '../../rules/publish/enrich-catalog.js';
import { findRule, openPublishedCatalog } from '../../rules/publish/catalog-rules.js';
import { renderRulePage } from '../../rules/publish/show.js';

export const rulesShowCommand: CommandDefinition = {
  name: 'rules show',
  summary: 'show one rule with its enrichment: hypothesis, ATT&CK, data sources, confidence, references',
  usage: 'rules show ID [--db PATH] [--source NAME] [--json]',
  example: 'socfeed rules show 620a171b',
  options: {
    db: DB_OPTION,
    source: {
      type: 'string',
      value: 'NAME',
      description: 'the source to take the rule from, when several hold it',
    },
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const cat = await openPublishedCatalog(stringOpt(ctx.values, 'db'), ctx.note);
    try {
      const found = findRule(cat.rules, ctx.positionals[0]!, stringOpt(ctx.values, 'source'));
      // Only the one rule is enriched (availability is read for its tables alone).
      const [entry] = await enrichCatalog({ ...cat, rules: [found] });
      if (boolOpt(ctx.values, 'json')) {
        return { output: JSON.stringify({ ...found, enrichment: entry!.enriched }, null, 2) };
      }
      return { output: renderRulePage(found, entry!.enriched) };
    } finally {
      cat.close();
    }
  },
};
