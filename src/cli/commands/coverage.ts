import { readFileSync } from 'node:fs';
import { stringOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, parseChoice } from '../options.js';
import { formatTable } from '../format.js';
import { UserError } from '../../util/errors.js';
import { attackCatalog } from '../../rules/attack.js';
import { openPublishedCatalog } from '../../rules/publish/catalog-rules.js';
import { coverage, type TechniqueCoverage } from '../../rules/publish/coverage.js';
import { enrichCatalog } from '../../rules/publish/enrich-catalog.js';
import { navigatorLayer } from '../../rules/publish/navigator.js';

export const coverageCommand: CommandDefinition = {
  name: 'coverage',
  summary: 'ATT&CK coverage of the rule catalog: rules, data in the store and hits per technique',
  usage: 'coverage [--db PATH] [--format table|json|navigator] [--hits FILE]',
  example: 'socfeed coverage --format navigator > socfeed-layer.json',
  options: {
    db: DB_OPTION,
    format: {
      type: 'string',
      value: 'FORMAT',
      description: 'table (default), json, or navigator (an ATT&CK Navigator layer, format 4.5)',
    },
    hits: {
      type: 'string',
      value: 'FILE',
      description: 'JSON object of recent hit counts per rule id, e.g. {"620a171b-…": 3}',
    },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const format = parseChoice(ctx.values, 'format', ['table', 'json', 'navigator'] as const, 'table');
    const hits = readHits(stringOpt(ctx.values, 'hits'));
    const now = new Date();
    const cat = await openPublishedCatalog(stringOpt(ctx.values, 'db'), ctx.note, now);
    try {
      const attack = attackCatalog();
      const cov = coverage(await enrichCatalog(cat), attack, hits);
      if (format === 'navigator')
        return { output: JSON.stringify(navigatorLayer(cov, attack, { now }), null, 2) };
      if (format === 'json') return { output: JSON.stringify(cov, null, 2) };
      if (cov.length === 0) return { output: 'no rule cites an ATT&CK technique' };
      ctx.note(`${cov.length} technique${cov.length === 1 ? '' : 's'} covered by ${cat.rules.length} rules`);
      return { output: table(cov) };
    } finally {
      cat.close();
    }
  },
};

function table(cov: TechniqueCoverage[]): string {
  const columns = ['TECHNIQUE', 'NAME', 'TACTIC', 'RULES', 'WITH DATA', 'HITS', 'SCORE'].map((name) => ({
    name,
    type: 'string' as const,
  }));
  const rows = cov.map((c) => [
    c.techniqueId,
    c.name,
    c.tacticName,
    String(c.rules.length),
    c.runnable === null ? '-' : String(c.runnable),
    c.hits === null ? '-' : String(c.hits),
    String(c.score),
  ]);
  return formatTable(columns, rows);
}

function readHits(file: string | undefined): Map<string, number> | undefined {
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(
      'SF-CLI-FILE',
      `cannot read hit counts from ${file}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError('SF-CLI-HITS', `${file} must hold a JSON object of rule id → hit count`, {
      hint: 'e.g. {"620a171b-e35d-43cd-8544-b725421e3364": 3}',
    });
  }
  const out = new Map<string, number>();
  for (const [id, n] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new UserError(
        'SF-CLI-HITS',
        `hit count of ${id} in ${file} must be a number ≥ 0 (got ${JSON.stringify(n)})`,
      );
    }
    out.set(id, n);
  }
  return out;
}
