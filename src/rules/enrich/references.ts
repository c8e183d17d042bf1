import type { Rule } from '../model.js';
import type { RmmCatalog, RmmTool } from '../rmm-catalog.js';
import type { RuleTools } from './rule-tools.js';
import type { AttackContext, Reference } from './types.js';

/** A multi-tool rule would list hundreds of tool pages; its references stop at this many tools. */
const MAX_TOOLS = 3;

/**
 * Links for a rule: those in its description, the original file, each hunted tool's website,
 * LOLRMM page and RemoteManagementMonitoringTools summary, and the ATT&CK pages. Only http(s)
 * links pass: rule text is untrusted and a `javascript:` link must never reach a page.
 */
export function references(
  rule: Rule,
  tools: RuleTools,
  attack: AttackContext,
  catalog: RmmCatalog,
): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  const add = (r: Reference) => {
    const url = safeUrl(r.url);
    if (!url || seen.has(url)) return;
    seen.add(url);
    out.push({ ...r, url });
  };
  if (rule.provenance.url) add({ label: 'Original rule', url: rule.provenance.url, source: 'rule' });
  for (const m of rule.description.matchAll(/https?:\/\/[^\s<>"')\]]+/g)) {
    add({ label: 'Linked from the rule description', url: m[0].replace(/[.,;:]+$/, ''), source: 'rule' });
  }
  if (!tools.multi)
    for (const t of tools.tools.slice(0, MAX_TOOLS)) for (const r of toolReferences(t, catalog)) add(r);
  for (const t of attack.techniques) {
    add({ label: `MITRE ATT&CK ${t.id} ${t.name}`, url: t.url, source: `attack-v${attack.version}` });
    if (t.parent)
      add({
        label: `MITRE ATT&CK ${t.parent.id} ${t.parent.name}`,
        url: t.parent.url,
        source: `attack-v${attack.version}`,
      });
  }
  return out;
}

function toolReferences(t: RmmTool, catalog: RmmCatalog): Reference[] {
  const out: Reference[] = t.websites.map((url) => ({
    label: `${t.name} website`,
    url,
    source: 'rmm-catalog',
  }));
  const lolrmm = t.sourceFiles.lolrmm?.[0];
  if (lolrmm) {
    // LOLRMM's page slug is its YAML file name with spaces and parentheses turned into `_`.
    const slug = lolrmm
      .replace(/^.*\//, '')
      .replace(/\.ya?ml$/i, '')
      .toLowerCase()
      .replace(/[ ()]/g, '_');
    out.push({
      label: `LOLRMM: ${t.name}`,
      url: `https://lolrmm.io/tools/${encodeURIComponent(slug)}`,
      source: 'rmm-catalog',
    });
  }
  const summary = t.sourceFiles.jischell?.find((p) => /RMM_Summary_[^/]+\.md$/.test(p));
  const repo = catalog.data.sources.find((s) => s.id === 'jischell-summary');
  if (summary && repo) {
    const path = summary.split('/').map(encodeURIComponent).join('/');
    out.push({
      label: `RemoteManagementMonitoringTools: ${t.name} indicator summary`,
      url: `${repo.repository}/blob/${repo.commit}/${path}`,
      source: 'rmm-catalog',
    });
  }
  return out;
}

/** The URL normalised, or undefined unless it is a well-formed http(s) URL. */
export function safeUrl(text: string): string | undefined {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
