import { stringify } from 'yaml';
import type { SchemaCatalog } from '../schema/index.js';
import { kqlString, kqlStringList } from './kql-literal.js';
import { minimalHasList } from './kql-terms.js';
import {
  usable,
  type RmmCatalogData,
  type RmmIndicator,
  type RmmIndicatorKind,
  type RmmSourceId,
  type RmmTool,
} from './rmm-catalog.js';
import { uuidV5 } from './uuid.js';

/**
 * The RMM rule pack: Sentinel-format hunting rules generated from the RMM indicator catalog, one
 * per tool and signal, in the shape of the seed rules (time window lets, one table, `where`
 * filters, summarize per device), plus one all-tools rule per signal driven by a `datatable`.
 */

export const PACK_SIGNALS = ['createproc', 'filesig', 'netconn'] as const;
export type PackSignal = (typeof PACK_SIGNALS)[number];

/** Fixed namespace of the pack's UUIDv5 rule ids. Changing it changes every id: never do. */
export const RMM_PACK_NAMESPACE = 'c2ef04dc-0aba-4067-95ba-35b47dff43c0';
export const RMM_PACK_VERSION = '1.0.0';

const SIGNAL_TITLE: Record<PackSignal, string> = {
  createproc: 'Create Process',
  filesig: 'File Signature',
  netconn: 'Network Connection',
};
const SIGNAL_TABLE: Record<PackSignal, string> = {
  createproc: 'DeviceProcessEvents',
  filesig: 'DeviceFileCertificateInfo',
  netconn: 'DeviceNetworkEvents',
};
const SOURCE_CREDIT: Record<RmmSourceId, string> = {
  lolrmm: 'LOLRMM (magicsword-io/LOLRMM, Apache-2.0)',
  'jischell-query': 'RemoteManagementMonitoringTools (jischell-msft, MIT)',
  'jischell-summary': 'RemoteManagementMonitoringTools (jischell-msft, MIT)',
  'jischell-network': 'RemoteManagementMonitoringTools (jischell-msft, MIT)',
};

export interface PackRule {
  id: string;
  name: string;
  description: string;
  requiredDataConnectors: { connectorId: string; dataTypes: string[] }[];
  tactics: string;
  relevantTechniques: string;
  query: string;
  version: string;
  tags: string[];
  /** Not written to YAML: what the rule was made from, for checks and the coverage report. */
  meta: { toolId: string | null; signal: PackSignal; table: string; columns: string[]; file: string };
}

/** The stable id of a tool's rule for a signal (`all` for the all-tools rules). */
export function packRuleId(toolId: string, signal: PackSignal): string {
  return uuidV5(`${toolId}:${signal}`, RMM_PACK_NAMESPACE);
}

// ───────────────────────── indicator selection ─────────────────────────

/** Executables as a process table shows them: `.exe` on Windows, no extension elsewhere. */
function isExecutableName(v: string): boolean {
  return /\.exe$/i.test(v) || !/\.[a-z0-9]{1,5}$/i.test(v);
}

interface FileNamePattern {
  prefix: string;
  suffix: string;
}

interface ProcessIdentity {
  companies: string[];
  products: string[];
  originalNames: string[];
  fileNames: string[];
  patterns: FileNamePattern[];
  sources: Set<RmmSourceId>;
}

/**
 * A tool's usable indicators of one kind, preferring those no other tool claims: a value shared
 * with another tool (often a data slip upstream, like one vendor's signer listed under another
 * tool) is used only when the tool has nothing more specific of that kind.
 */
function specific(tool: RmmTool, kind: RmmIndicatorKind): RmmIndicator[] {
  const all = usable(tool, kind);
  const own = all.filter((i) => !i.sharedWith);
  return own.length > 0 ? own : all;
}

function processIdentity(tool: RmmTool): ProcessIdentity {
  const sources = new Set<RmmSourceId>();
  const take = (list: { value: string; sources: RmmSourceId[] }[]) => {
    for (const i of list) for (const s of i.sources) sources.add(s);
    return list.map((i) => i.value);
  };
  const usable = specific;
  const exactNames = (kind: 'fileNames' | 'originalFileNames') =>
    usable(tool, kind).filter(
      (i) => i.match !== 'term' && !i.value.includes('*') && isExecutableName(i.value),
    );
  const patterns = usable(tool, 'fileNames').filter(
    (i) => i.match !== 'term' && i.value.split('*').length === 2 && isExecutableName(i.value.split('*')[1]!),
  );
  const identity: ProcessIdentity = {
    companies: minimalHasList(take(usable(tool, 'companyNames'))),
    products: minimalHasList(take(usable(tool, 'productNames'))),
    originalNames: dedupeCaseless(take(exactNames('originalFileNames'))),
    fileNames: dedupeCaseless(take(exactNames('fileNames'))),
    patterns: take(patterns).map((v) => {
      const [prefix, suffix] = v.split('*') as [string, string];
      return { prefix, suffix };
    }),
    sources,
  };
  return identity;
}

function dedupeCaseless(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()));
}

function hasIdentity(p: ProcessIdentity): boolean {
  return (
    p.companies.length + p.products.length + p.originalNames.length + p.fileNames.length + p.patterns.length >
    0
  );
}

// ───────────────────────── KQL text ─────────────────────────

const HEADER = 'let Time_start = now(-5d);\nlet Time_end = now();\n//\n';
const SUMMARY =
  '| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), \n    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName';

/** `Col has 'x'` for one value, `Col has_any (…)` for several (seed style). */
function hasClause(column: string, values: string[], indent: string): string {
  return values.length === 1
    ? `${column} has ${kqlString(values[0]!)}`
    : `${column} has_any ${kqlStringList(values, indent)}`;
}

function inClause(column: string, values: string[], indent: string): string {
  return `${column} in~ ${kqlStringList(values, indent)}`;
}

interface IdentityColumns {
  company: string;
  product: string;
  original: string;
  file: string;
}
const PROCESS_COLUMNS: IdentityColumns = {
  company: 'ProcessVersionInfoCompanyName',
  product: 'ProcessVersionInfoProductName',
  original: 'ProcessVersionInfoOriginalFileName',
  file: 'FileName',
};
const INITIATING_COLUMNS: IdentityColumns = {
  company: 'InitiatingProcessVersionInfoCompanyName',
  product: 'InitiatingProcessVersionInfoProductName',
  original: 'InitiatingProcessVersionInfoOriginalFileName',
  file: 'InitiatingProcessFileName',
};

/**
 * The alternatives identifying a tool's process, in the columns of the process itself or of the
 * process that opened a connection. Each alternative is one clause (company and product together
 * when both are known, as the seeds do); the caller joins them with `or`. Columns used are added
 * to `used` for the schema check.
 */
function identityAlternatives(p: ProcessIdentity, cols: IdentityColumns, used: Set<string>): string[] {
  const use = (c: string) => (used.add(c), c);
  const out: string[] = [];
  if (p.companies.length && p.products.length) {
    out.push(
      `${hasClause(use(cols.company), p.companies, '    ')}\n    and ${hasClause(use(cols.product), p.products, '    ')}`,
    );
  } else if (p.companies.length) {
    out.push(hasClause(use(cols.company), p.companies, '    '));
  } else if (p.products.length) {
    out.push(hasClause(use(cols.product), p.products, '    '));
  }
  if (p.originalNames.length) out.push(inClause(use(cols.original), p.originalNames, '    '));
  if (p.fileNames.length) out.push(inClause(use(cols.file), p.fileNames, '    '));
  for (const pat of p.patterns) {
    const parts = [`${use(cols.file)} startswith ${kqlString(pat.prefix)}`];
    if (pat.suffix) parts.push(`${cols.file} endswith ${kqlString(pat.suffix)}`);
    out.push(parts.length > 1 ? `(${parts.join(' and ')})` : parts[0]!);
  }
  return out;
}

/** `| where A\n    or B…`; a multi-line alternative is parenthesised when there are several. */
function whereAny(alternatives: string[]): string {
  if (alternatives.length === 1) return `| where ${alternatives[0]}\n`;
  const wrapped = alternatives.map((a) =>
    a.includes('\n    and ') ? `(${a.replace(/\n {4}and /g, '\n        and ')})` : a,
  );
  return `| where ${wrapped.join('\n    or ')}\n`;
}

function table(signal: PackSignal, columns: Set<string>): string {
  columns.add('Timestamp').add('ReportId').add('DeviceId').add('DeviceName');
  return `${SIGNAL_TABLE[signal]}\n| where Timestamp between (Time_start..Time_end)\n`;
}

// ───────────────────────── rules ─────────────────────────

function describe(what: string, sources: Set<RmmSourceId>): string {
  const credits = [...new Set([...sources].sort().map((s) => SOURCE_CREDIT[s]))];
  return (
    `${what}\n` +
    'Remote monitoring and management (RMM) and remote access tools are legitimate software that intruders ' +
    'install or reuse to keep access to a host and to control it (MITRE ATT&CK T1219). A hit means the tool ' +
    'runs on the device: confirm it is approved there.\n' +
    `Generated by socfeed from its RMM indicator catalog; indicators from ${credits.join(' and ')}.\n`
  );
}

function makeRule(
  toolId: string | null,
  toolName: string,
  signal: PackSignal,
  query: string,
  what: string,
  sources: Set<RmmSourceId>,
  columns: Set<string>,
): PackRule {
  const key = toolId ?? 'all';
  return {
    id: packRuleId(key, signal),
    name: `Remote access tool - ${toolName} - ${SIGNAL_TITLE[signal]}`,
    description: describe(what, sources),
    requiredDataConnectors: [{ connectorId: 'MicrosoftThreatProtection', dataTypes: [SIGNAL_TABLE[signal]] }],
    tactics: 'CommandAndControl',
    relevantTechniques: 'T1219',
    query,
    version: RMM_PACK_VERSION,
    tags: toolId ? ['RMM', `rmm-tool:${toolId}`] : ['RMM', 'rmm-tool:all'],
    meta: {
      toolId,
      signal,
      table: SIGNAL_TABLE[signal],
      columns: [...columns].sort(),
      file: `${toolId ?? '_all-tools'}/${signal}.yaml`,
    },
  };
}

function createProcRule(tool: RmmTool): PackRule | undefined {
  const p = processIdentity(tool);
  if (!hasIdentity(p)) return undefined;
  const columns = new Set<string>();
  const query =
    HEADER +
    table('createproc', columns) +
    whereAny(identityAlternatives(p, PROCESS_COLUMNS, columns)) +
    SUMMARY +
    '\n';
  const what = `Finds devices where ${tool.name} processes started, recognised by their PE version information or file names.`;
  return makeRule(tool.id, tool.name, 'createproc', query, what, p.sources, columns);
}

function fileSigRule(tool: RmmTool): PackRule | undefined {
  const signers = specific(tool, 'signers');
  const values = minimalHasList(signers.map((s) => s.value));
  if (values.length === 0) return undefined;
  const columns = new Set<string>(['Signer']);
  const query =
    HEADER + table('filesig', columns) + `| where ${hasClause('Signer', values, '')}\n` + SUMMARY + '\n';
  const sources = new Set(signers.flatMap((s) => s.sources));
  const what = `Finds devices holding files signed by the publisher of ${tool.name}.`;
  return makeRule(tool.id, tool.name, 'filesig', query, what, sources, columns);
}

function netConnRule(tool: RmmTool): PackRule | undefined {
  const domains = specific(tool, 'domains');
  const values = minimalHasList(domains.map((d) => d.value));
  if (values.length === 0) return undefined;
  const columns = new Set<string>(['RemoteUrl']);
  const p = processIdentity(tool);
  const sources = new Set(domains.flatMap((d) => d.sources));
  let filter = `| where ${hasClause('RemoteUrl', values, '    ')}\n`;
  if (hasIdentity(p)) {
    // Only connections made by the tool itself: a browser visiting the vendor's site is not a hit.
    const alts = identityAlternatives(p, INITIATING_COLUMNS, columns);
    for (const s of p.sources) sources.add(s);
    const inner = alts.map((a) =>
      (alts.length > 1 && a.includes('\n    and ') ? `(${a})` : a).replace(/\n {4}and /g, '\n        and '),
    );
    const joined = inner.length === 1 ? inner[0]! : `(${inner.join('\n        or ')})`;
    filter += `    and ${joined}\n`;
  }
  const query = HEADER + table('netconn', columns) + filter + SUMMARY + '\n';
  const what = `Finds devices where ${tool.name} connected to its service domains${hasIdentity(p) ? " (connections made by the tool's own processes)" : ''}.`;
  return makeRule(tool.id, tool.name, 'netconn', query, what, sources, columns);
}

/** `let name = datatable(Indicator:string, RMM_Tool:string) [ … ];` from (indicator, tool) rows. */
function datatable(name: string, rows: [string, string][]): string {
  const body = rows.map(([i, t]) => `    ${kqlString(i)}, ${kqlString(t)}`).join(',\n');
  return `let ${name} = datatable(Indicator:string, RMM_Tool:string) [\n${body}\n];\n`;
}

function allToolsRules(tools: RmmTool[]): PackRule[] {
  const rules: PackRule[] = [];
  const sorted = (rows: [string, string][]) =>
    [...new Map(rows.map((r) => [`${r[0]}\u0000${r[1]}`, r])).values()].sort((a, b) =>
      a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0] < b[0] ? -1 : 1,
    );

  // Process: exact executable names, lower-cased so a join on tolower(FileName) finds them.
  const procRows: [string, string][] = [];
  const procSources = new Set<RmmSourceId>();
  for (const t of tools) {
    const p = processIdentity(t);
    for (const n of [...p.originalNames, ...p.fileNames]) procRows.push([n.toLowerCase(), t.name]);
    if (p.originalNames.length + p.fileNames.length) for (const s of p.sources) procSources.add(s);
  }
  const procCols = new Set<string>(['FileName']);
  rules.push(
    makeRule(
      null,
      'All Tools',
      'createproc',
      HEADER +
        datatable('rmm_processSet', sorted(procRows)) +
        table('createproc', procCols) +
        '| extend Indicator = tolower(FileName)\n' +
        '| join kind=inner rmm_processSet on Indicator\n' +
        SUMMARY +
        ', RMM_Tool\n',
      'Finds devices running any catalogued RMM tool, by executable file name, and names the tool.',
      procSources,
      procCols,
    ),
  );

  // Signers and domains are matched by terms (`has_any`), as the upstream all-tools query does.
  for (const [signal, kind, column, setName] of [
    ['filesig', 'signers', 'Signer', 'rmm_signerSet'],
    ['netconn', 'domains', 'RemoteUrl', 'rmm_networkSet'],
  ] as const) {
    const rows: [string, string][] = [];
    const sources = new Set<RmmSourceId>();
    for (const t of tools) {
      for (const i of usable(t, kind)) {
        rows.push([i.value, t.name]);
        for (const s of i.sources) sources.add(s);
      }
    }
    const cols = new Set<string>([column]);
    const what =
      signal === 'filesig'
        ? 'Finds devices holding files signed by the publisher of any catalogued RMM tool, per signer.'
        : 'Finds devices connecting to the service domains of any catalogued RMM tool, per remote URL.';
    rules.push(
      makeRule(
        null,
        'All Tools',
        signal,
        HEADER +
          datatable(setName, sorted(rows)) +
          table(signal, cols) +
          `| where ${column} has_any ((${setName} | distinct Indicator))\n` +
          SUMMARY +
          `, ${column}\n`,
        what,
        sources,
        cols,
      ),
    );
  }
  return rules;
}

export interface RmmPack {
  rules: PackRule[];
  coverage: {
    tools: number;
    toolsCovered: number;
    bySignal: Record<PackSignal, number>;
    uncovered: string[];
  };
}

/** Every rule of the pack, per-tool rules sorted by tool id, then the all-tools rules. */
export function buildRmmPack(catalog: RmmCatalogData): RmmPack {
  const rules: PackRule[] = [];
  const covered = new Set<string>();
  const uncovered: string[] = [];
  for (const tool of [...catalog.tools].sort((a, b) => a.id.localeCompare(b.id))) {
    const made = [createProcRule(tool), fileSigRule(tool), netConnRule(tool)].filter(
      (r): r is PackRule => r !== undefined,
    );
    if (made.length) covered.add(tool.id);
    else uncovered.push(tool.id);
    rules.push(...made);
  }
  rules.push(...allToolsRules(catalog.tools));
  const bySignal = Object.fromEntries(
    PACK_SIGNALS.map((s) => [s, rules.filter((r) => r.meta.toolId && r.meta.signal === s).length]),
  ) as Record<PackSignal, number>;
  return {
    rules,
    coverage: { tools: catalog.tools.length, toolsCovered: covered.size, bySignal, uncovered },
  };
}

/** Columns a rule uses that its table does not have (empty when the rule fits the schema). */
export function unknownColumns(rule: PackRule, schema: SchemaCatalog): string[] {
  const t = schema.table(rule.meta.table);
  if (!t) return [`table ${rule.meta.table}`];
  return rule.meta.columns.filter((c) => !t.columns.some((x) => x.name === c));
}

/** The rule as Sentinel YAML, laid out like the seed rules. */
export function packRuleYaml(rule: PackRule): string {
  const { meta: _meta, ...doc } = rule;
  return stringify(doc, { indentSeq: false, lineWidth: 0, blockQuote: 'literal' });
}

/** The pack folder's README: what it is, where the indicators come from, and coverage. */
export function packReadme(pack: RmmPack, catalog: RmmCatalogData): string {
  const c = pack.coverage;
  const sources = catalog.sources
    .filter((s, i, all) => all.findIndex((x) => x.repository === s.repository) === i)
    .map((s) => `- ${s.repository} at \`${s.commit}\` (${s.licence})`);
  return `# RMM rule pack (generated)

Sentinel-format hunting rules for remote monitoring and management (RMM) and remote access tools
(MITRE ATT&CK T1219), generated by \`scripts/gen-rmm-pack.mjs\` (logic in \`src/rules/rmm-pack.ts\`)
from socfeed's RMM indicator catalog (\`data/rmm/catalog.json\`). Do not edit by hand: regenerate.

Per tool, up to three rules, in the shape of the seed rules (a five-day window, one table,
\`summarize … by DeviceId, DeviceName\`):
- \`createproc.yaml\` — DeviceProcessEvents: PE company and product names, original file names, file names;
- \`filesig.yaml\` — DeviceFileCertificateInfo: certificate signer;
- \`netconn.yaml\` — DeviceNetworkEvents: remote URL, limited to the tool's own processes when they are known.

\`_all-tools/\` holds one rule per signal covering every tool, driven by a \`datatable\`.
Rule ids are UUIDv5 of \`<tool id>:<signal>\` under the namespace \`${RMM_PACK_NAMESPACE}\`, so they stay
the same across regenerations. Indicators the catalog marks as too generic are not used.

## Coverage

${c.toolsCovered} of ${c.tools} catalogued tools have at least one rule
(create process: ${c.bySignal.createproc}, file signature: ${c.bySignal.filesig}, network connection: ${c.bySignal.netconn});
${pack.rules.length} rules in all, with the 3 all-tools rules.
Tools without a usable indicator: ${c.uncovered.join(', ') || 'none'}.

## Indicator sources

${sources.join('\n')}

See \`data/rmm/README.md\` for the licences and how indicators were merged and filtered.
`;
}
