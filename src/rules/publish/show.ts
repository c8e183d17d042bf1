import type { DataSourceInfo, EnrichedRule, FieldSource } from '../enrich/index.js';
import { safeUrl } from '../enrich/references.js';
import type { PublishedRule } from './catalog-rules.js';
import { RMM_PACK_SOURCE } from './rmm-pack-source.js';
import { ruleYaml } from './rule-yaml.js';

/**
 * A rule page for the terminal, with the sections of the seed pages: title, badges, provenance
 * (retrieval time, original link, how it was enriched), confidence with its reasons, hunt
 * hypothesis, KQL query, rule definition, required data sources, ATT&CK context, references,
 * false-positive guidance, original source. Every piece of rule text is untrusted: control
 * characters are made visible so a rule cannot move the cursor or recolour the terminal.
 */
export function renderRulePage(p: PublishedRule, e: EnrichedRule, opts: { width?: number } = {}): string {
  const width = opts.width ?? 100;
  const r = p.rule;
  const att = e.attack.value;
  const conf = e.confidence.value;
  const out: string[] = [];
  const title = clean(r.name);
  out.push(title, '═'.repeat(Math.min(width, Math.max(title.length, 8))));

  const badges = [
    'kql',
    r.severity ? clean(r.severity).toUpperCase() : 'severity: not set',
    p.source,
    ...att.techniques.map((t) => t.id),
    ...att.unknown.map((t) => `${clean(t.id)} (unknown)`),
    ...e.dataSources.value.map((d) => d.table),
    r.type,
    ...r.tags.map(clean),
  ];
  out.push(badges.map((b) => `[${b}]`).join(' '), '');

  const repo = clean(r.provenance.repository);
  const origin =
    p.source === RMM_PACK_SOURCE
      ? "This rule is part of socfeed's bundled RMM rule pack, generated from its RMM indicator catalog,"
      : `This rule was pulled from ${repo}`;
  out.push(
    ...wrap(
      `${origin} and enriched by socfeed, deterministically (no AI), from ${enrichmentSources(e)}. ` +
        'Validate in a test environment before deploying to production.',
      width,
    ),
  );
  const original = r.provenance.url ? safeUrl(r.provenance.url) : undefined;
  out.push(
    original
      ? `View original rule at ${repo}: ${original}`
      : `Original rule: ${repo}/${clean(r.provenance.path)} (no public link recorded)`,
  );
  out.push(
    `Retrieved: ${r.provenance.retrievedAt} · Confidence: ${conf.level} (${conf.score}/100) · ` +
      `Published: ${p.published} · Updated: ${p.updated} · Version${p.versions === 1 ? ' 1' : `s: ${p.versions}`}`,
  );

  section(out, 'Confidence', e.confidence.source);
  out.push(`  ${conf.level} — score ${conf.score} of 100, from a neutral 40:`);
  const fw = Math.max(...conf.reasons.map((x) => x.factor.length));
  for (const x of conf.reasons) {
    const pts = `${x.points > 0 ? '+' : x.points < 0 ? '−' : '±'}${Math.abs(x.points)}`.padStart(4);
    const lead = `  ${pts}  ${x.factor.padEnd(fw)}  `;
    out.push(...wrap(clean(x.detail), width, lead, ' '.repeat(lead.length)));
  }

  section(out, 'Hunt Hypothesis', e.hypothesis.source);
  out.push(...wrap(clean(e.hypothesis.value), width, '  '));

  section(out, 'KQL Query', 'rule');
  out.push(...block(r.query));

  section(out, `${r.type === 'analytic' ? 'Analytic' : 'Hunting'} Rule Definition`, 'rule');
  out.push(...block(ruleYaml(r)));

  section(out, 'Required Data Sources', e.dataSources.source);
  out.push(...dataSourceTable(e.dataSources.value));

  section(out, 'MITRE ATT&CK Context', e.attack.source);
  if (att.techniques.length === 0 && att.unknown.length === 0)
    out.push('  The rule cites no ATT&CK technique.');
  for (const t of att.techniques) {
    const tactics = t.tactics.map((x) => `${x.name} (${x.id})`).join(', ');
    out.push(
      `  ${t.id} ${t.parent ? `${t.parent.name}: ` : ''}${t.name}${tactics ? ` — tactic ${tactics}` : ''}`,
    );
    out.push(`    ${t.url}`);
    out.push(...wrap(t.description, width, '    '));
    if (t.dataComponents.length)
      out.push(...wrap(`Data components: ${t.dataComponents.join(', ')}`, width, '    '));
    if (t.detection) out.push(...wrap(`Detection (ATT&CK v17.1): ${t.detection}`, width, '    '));
  }
  for (const u of att.unknown) out.push(`  ${clean(u.id)}: ${u.note}`);
  const tactics = att.tactics.map((t) =>
    t.id ? `${clean(t.asWritten)} → ${t.id} ${t.name}` : `${clean(t.asWritten)} (not an ATT&CK tactic)`,
  );
  if (tactics.length) out.push(`  Tactics as the rule writes them: ${tactics.join(', ')}`);
  out.push(`  ATT&CK® data: MITRE ATT&CK Enterprise v${att.version}, © The MITRE Corporation.`);

  section(out, 'References');
  if (e.references.length === 0) out.push('  none');
  for (const ref of e.references) out.push(`  - ${clean(ref.label)}: ${ref.url}  (${ref.source})`);

  section(out, 'False Positive Guidance', e.falsePositives.source);
  for (const g of e.falsePositives.value) out.push(...wrap(clean(g), width, '  - ', '    '));

  section(out, 'Original Source');
  out.push(`  ${original ?? `${repo}/${clean(r.provenance.path)}`}`);
  const facts = [`source '${p.source}'`, `path ${clean(r.provenance.path)}`];
  if (r.provenance.commit) facts.push(`commit ${clean(r.provenance.commit)}`);
  facts.push(`imported from ${clean(r.provenance.localPath)}`, `retrieved ${r.provenance.retrievedAt}`);
  out.push(...wrap(facts.join(' · '), width, '  '));
  return out.join('\n') + '\n';
}

function section(out: string[], title: string, source?: FieldSource): void {
  out.push('', source ? `${title}  (${SOURCE_WORDS[source] ?? source})` : title, '─'.repeat(title.length));
}

const SOURCE_WORDS: Partial<Record<FieldSource, string>> = {
  rule: 'from the rule',
  'rmm-catalog': "from socfeed's RMM catalog",
  store: 'from the store',
  derived: 'composed by socfeed',
  llm: 'written by a language model',
};

function enrichmentSources(e: EnrichedRule): string {
  const used = new Set<string>([e.attack.source, e.falsePositives.source, e.tools.source]);
  const words: string[] = [];
  for (const s of used) {
    if (s.startsWith('attack-v')) words.push(`MITRE ATT&CK v${s.slice('attack-v'.length)}`);
    if (s === 'rmm-catalog')
      words.push("socfeed's RMM indicator catalog (LOLRMM, RemoteManagementMonitoringTools)");
  }
  words.push("the rule's own query (bound against the table schemas)");
  if (e.dataSources.value.some((d) => d.availability)) words.push('the telemetry store (row counts)');
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words[0]!;
}

function dataSourceTable(sources: DataSourceInfo[]): string[] {
  if (sources.length === 0) return ['  The query names no table socfeed could find.'];
  const rows = sources.map((d) => {
    const a = d.availability?.value;
    const notes = !d.inSchema
      ? 'not in the schema: socfeed cannot run this part'
      : a === undefined
        ? `ensure ${d.connector ? `the ${d.connector} connector` : 'its connector'} is enabled, or ingest the table (no store consulted)`
        : a.rows > 0
          ? `in the store: ${a.rows.toLocaleString('en-US')} rows, last event ${a.lastTimestamp ?? 'unknown'}`
          : `no rows in the store: ingest ${d.table} or enable ${d.connector ? `the ${d.connector} connector` : 'its connector'}`;
    return [d.table, d.connector ?? '-', notes];
  });
  const header = ['Table', 'Connector', 'Notes'];
  const w = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `  ${c[0]!.padEnd(w[0]!)}  ${c[1]!.padEnd(w[1]!)}  ${c[2]}`.trimEnd();
  const colsUsed = sources
    .filter((d) => d.columns.length)
    .map((d) => `  ${d.table} columns read: ${d.columns.join(', ')}`);
  return [line(header), ...rows.map(line), ...colsUsed];
}

/** Text indented as a block, each line cleaned. */
function block(text: string): string[] {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `  ${clean(l)}`.trimEnd());
}

/** Words wrapped to `width`; the first line starts with `first`, the others with `rest`. */
function wrap(text: string, width: number, first = '', rest = first.replace(/./g, ' ')): string[] {
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  out.push(line);
  return out;
}

// eslint-disable-next-line no-control-regex -- neutralising control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Control characters (ESC among them) shown as `\u001b` instead of being sent to the terminal. */
export function clean(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
