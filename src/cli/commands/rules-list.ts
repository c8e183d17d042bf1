import { existsSync } from 'node:fs';
import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { normalizeTechniqueId } from '../../rules/attack.js';
import { queryTables } from '../../rules/query-tables.js';
import { rmmCatalog } from '../../rules/rmm-catalog.js';
import { defenderSchema } from '../../schema/index.js';
import { UserError } from '../../util/errors.js';
import { closestMatch } from '../../util/suggest.js';
import type { Rule } from '../../rules/model.js';

export interface ListedRule {
  source: string;
  id: string;
  name: string;
  severity: string | null;
  tactics: string[];
  techniques: string[];
  tables: string[];
  tools: string[];
  path: string;
  url: string | null;
}

export const rulesListCommand: CommandDefinition = {
  name: 'rules list',
  summary: 'list the rules in the catalog, filtered by source, technique, table or RMM tool',
  usage: 'rules list [--source NAME] [--technique T] [--table NAME] [--tool NAME] [--db FILE] [--json]',
  example: 'socfeed rules list --technique T1219 --table DeviceProcessEvents',
  options: {
    db: { type: 'string', value: 'FILE', description: `store file (default ${DEFAULT_DB_PATH})` },
    source: { type: 'string', value: 'NAME', description: 'only rules of this source' },
    technique: {
      type: 'string',
      value: 'T',
      description: 'only rules citing this ATT&CK technique (a parent includes its sub-techniques)',
    },
    table: { type: 'string', value: 'NAME', description: 'only rules whose query reads this table' },
    tool: {
      type: 'string',
      value: 'NAME',
      description: 'only rules hunting this RMM tool (id, name or alias in the RMM catalog)',
    },
    json: { type: 'boolean', description: 'print the rules as JSON' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const db = stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH;
    const technique = techniqueFilter(stringOpt(ctx.values, 'technique'));
    const table = stringOpt(ctx.values, 'table');
    const toolArg = stringOpt(ctx.values, 'tool');
    const catalog = rmmCatalog();
    const tool = toolArg === undefined ? undefined : resolveTool(toolArg);
    const source = stringOpt(ctx.values, 'source');
    const rows = await readRules(db, source);

    const schema = defenderSchema();
    const listed: ListedRule[] = [];
    for (const { source: src, rule } of rows) {
      if (technique && !rule.relevantTechniques.some((t) => technique(t))) continue;
      const tables = queryTables(rule.query, schema);
      if (table && !tables.some((t) => t.toLowerCase() === table.toLowerCase())) continue;
      const tools = catalog.toolsForRule(rule.name, rule.query).map((t) => t.id);
      if (tool && !tools.includes(tool)) continue;
      listed.push(toListed(src, rule, tables, tools));
    }
    if (boolOpt(ctx.values, 'json')) return { output: JSON.stringify(listed, null, 2) };
    if (listed.length === 0) return { output: 'no rules match' };
    return { output: textTable(listed) };
  },
};

function techniqueFilter(arg: string | undefined): ((t: string) => boolean) | undefined {
  if (arg === undefined) return undefined;
  const want = normalizeTechniqueId(arg);
  if (!want) {
    throw new UserError('SF-CLI-ARGS', `'${arg}' is not an ATT&CK technique ID`, {
      hint: 'e.g. --technique T1219 or T1219.002',
    });
  }
  return (t) => {
    const id = normalizeTechniqueId(t);
    return id !== undefined && (id === want || (!want.includes('.') && id.startsWith(want + '.')));
  };
}

function resolveTool(arg: string): string {
  const catalog = rmmCatalog();
  const t = catalog.tool(arg);
  if (t) return t.id;
  const near = closestMatch(
    arg,
    catalog.tools.flatMap((x) => [x.id, x.name, ...x.aliases]),
  );
  const nearTool = near === undefined ? undefined : catalog.tool(near);
  throw new UserError('SF-RULES-UNKNOWN-TOOL', `'${arg}' is not a tool in the RMM catalog`, {
    hint: nearTool
      ? `did you mean '${nearTool.name}' (${nearTool.id})?`
      : 'tool ids are listed in data/rmm/catalog.json',
  });
}

async function readRules(db: string, source: string | undefined): Promise<{ source: string; rule: Rule }[]> {
  const missing = new UserError('SF-RULES-EMPTY', `no rule catalog in ${db}`, {
    hint: 'import rules first: socfeed rules import PATH',
  });
  if (db !== ':memory:' && !existsSync(db)) throw missing;
  const store = await Store.open(db, { readOnly: true });
  try {
    const exists = await store.query(
      "SELECT count(*) FROM duckdb_tables() WHERE table_name = '_socfeed_rule_current'",
    );
    if (Number(exists.rows[0]![0]) === 0) throw missing;
    const result = await store.query(
      `SELECT source, rule_json FROM _socfeed_rule_current
        WHERE present AND (? IS NULL OR source = ?) ORDER BY source, name, rule_id`,
      [source ?? null, source ?? null],
    );
    return result.rows.map((r) => ({ source: String(r[0]), rule: JSON.parse(String(r[1])) as Rule }));
  } finally {
    store.close();
  }
}

function toListed(source: string, rule: Rule, tables: string[], tools: string[]): ListedRule {
  return {
    source,
    id: rule.id,
    name: rule.name,
    severity: rule.severity ?? null,
    tactics: rule.tactics,
    techniques: rule.relevantTechniques,
    tables,
    tools,
    path: rule.provenance.path,
    url: rule.provenance.url ?? null,
  };
}

function textTable(rows: ListedRule[]): string {
  const cells = rows.map((r) => [
    r.id.slice(0, 8),
    r.name,
    r.techniques.join(','),
    r.tables.join(','),
    r.tools.join(','),
    r.source,
  ]);
  const header = ['ID', 'NAME', 'TECHNIQUES', 'TABLES', 'TOOLS', 'SOURCE'];
  const widths = header.map((h, i) =>
    Math.min(i === 1 ? 70 : 40, Math.max(h.length, ...cells.map((c) => c[i]!.length))),
  );
  const fmt = (c: string[]) =>
    c
      .map((x, i) => (x.length > widths[i]! ? x.slice(0, widths[i]! - 1) + '…' : x.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...cells.map(fmt), '', `${rows.length} rule${rows.length === 1 ? '' : 's'}`].join(
    '\n',
  );
}
