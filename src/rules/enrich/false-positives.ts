import type { RmmTool } from '../rmm-catalog.js';
import type { QueryFacts } from './query-facts.js';
import type { RuleTools } from './rule-tools.js';
import type { IndicatorConcern } from './specificity.js';
import type { FieldSource, SignalKind } from './types.js';

/**
 * False-positive guidance. For RMM tools the main "false positive" is legitimate use, so the
 * guidance says who typically runs the tool and how to baseline it (inventory, then an allow-list);
 * then what this rule's own signal and indicator values can match besides the tool.
 */
export function falsePositiveGuidance(
  tools: RuleTools,
  signal: SignalKind,
  facts: QueryFacts,
  concerns: IndicatorConcern[],
): { value: string[]; source: FieldSource } {
  const out: string[] = [];
  if (tools.tools.length > 0) {
    out.push(legitimateUse(tools));
    out.push(
      'Who typically runs it: help-desk staff and IT administrators, managed service providers (MSPs) who install ' +
        'their agent on every device they manage (often as a service, on many devices within minutes), software ' +
        "vendors' support teams during a support session, and users who install it for personal remote access.",
    );
    out.push(
      'Baseline before alerting: inventory where the tool runs (`socfeed rmm inventory`), record the tools each ' +
        'device group is approved to use in an allow-list, and treat as findings only devices outside that list, ' +
        'a first sighting on a device, or use outside working hours.',
    );
  } else {
    out.push(
      'Run the rule over a period of known-normal activity first and review what it returns: recurring ' +
        'administrative tools, service accounts and software updates are the usual benign matches.',
    );
  }
  const sig = signalNote(signal, facts);
  if (sig) out.push(sig);
  for (const c of concerns) out.push(concernNote(c));
  return { value: out, source: tools.tools.length > 0 ? 'rmm-catalog' : 'derived' };
}

function legitimateUse(tools: RuleTools): string {
  if (tools.multi) {
    return (
      `The rule covers ${tools.tools.length} remote monitoring, management and remote access tools, all of them ` +
      'legitimate software: expect matches wherever IT or an MSP uses one of them on purpose.'
    );
  }
  return tools.tools.map(describeTool).join(' ');
}

function describeTool(t: RmmTool): string {
  const kind =
    t.category === 'RAT' ? 'remote access software' : 'remote monitoring and management (RMM) software';
  const facts = [`${t.name} is legitimate ${kind}${t.vendor ? ` published by ${t.vendor}` : ''}`];
  if (t.capabilities.length) facts.push(`LOLRMM lists its capabilities as ${t.capabilities.join(', ')}`);
  if (t.supportedOs.length) facts.push(`It runs on ${t.supportedOs.join(', ')}`);
  return `${facts.map(sentence).join(' ')} A match is expected wherever it was installed on purpose.`;
}

function signalNote(signal: SignalKind, facts: QueryFacts): string | undefined {
  switch (signal) {
    case 'file-signature':
      return (
        'A signed file is not a running tool: installers kept in download folders, software-distribution caches ' +
        'and other products from the same publisher match too.'
      );
    case 'network': {
      const byTool = facts.conditions.some((c) => !c.negated && c.column.startsWith('InitiatingProcess'));
      return byTool
        ? "Matches are limited to connections made by the tool's own processes; a browser visiting the vendor's site does not match."
        : "A browser visiting the vendor's website (documentation, downloads, sign-in) matches the same domains as the tool itself.";
    }
    case 'process':
      return 'Installers and uninstallers of the tool carry the same version information as the tool: an uninstall also matches.';
    default:
      return undefined;
  }
}

function concernNote(c: IndicatorConcern): string {
  switch (c.kind) {
    case 'excluded':
      return `'${c.value}' is generic (socfeed's RMM catalog: ${c.reason}); matches on it alone need confirming.`;
    case 'shared':
      return `'${c.value}' identifies several tools (${c.tools.join(', ')}): a match may be another of them.`;
    case 'overlap':
      return `The term '${c.value}' also matches indicators of ${namesList(c.tools)} (e.g. '${c.example}').`;
    case 'short':
      return `'${c.value}' is short enough to appear in unrelated names; check what it matched.`;
  }
}

function namesList(names: string[], max = 4): string {
  const more = names.length - max;
  return more > 0 ? `${names.slice(0, max).join(', ')} and ${more} more` : names.join(', ');
}

/** Ends the text with one full stop (a vendor name such as `RealVNC Ltd.` already has one). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
