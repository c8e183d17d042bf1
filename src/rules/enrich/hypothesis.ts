import type { Rule } from '../model.js';
import type { RmmTool } from '../rmm-catalog.js';
import { techniqueTitle } from './attack-context.js';
import { andList, conditionWords, valueList } from './phrases.js';
import type { QueryFacts } from './query-facts.js';
import type { RuleTools } from './rule-tools.js';
import type { AttackContext, QueryCondition, SignalKind } from './types.js';

/**
 * The hunt hypothesis: what activity the rule suspects, what exactly it looks at, and what an
 * analyst should examine for each result. Composed from facts (signal, tool, tables, technique,
 * the query's own indicator values), so two rules read differently when they differ.
 */
export function huntHypothesis(
  rule: Rule,
  facts: QueryFacts,
  tools: RuleTools,
  signal: SignalKind,
  attack: AttackContext,
): string {
  const technique = techniqueRef(attack);
  const table = facts.primaryTable ?? facts.tables[0] ?? 'the telemetry';
  const positives = facts.conditions.filter((c) => !c.negated);
  if (tools.tools.length === 0) return genericHypothesis(rule, facts, technique);

  const subject = tools.multi ? multiToolName(tools.tools) : toolName(tools.tools);
  const name = tools.multi ? 'the tool' : tools.tools.map((t) => t.name).join(' or ');
  const suspicion =
    `If ${subject} runs on a device where neither your IT team nor your managed service provider ` +
    `deployed it, an intruder may be using it for hands-on remote access or as a command-and-control channel` +
    `${technique ? ` (${technique})` : ''}.`;
  const per = facts.perDevice ? ', listing each device with when it was first and last seen' : '';
  const how = matchPhrase(facts);
  let looks: string;
  let next: string;
  switch (signal) {
    case 'file-signature':
      looks =
        `The rule looks in ${table} for files signed by ${valueList(valuesOf(positives, 'Signer'))}${per}. ` +
        `A signed file shows that ${name} is present on the device, not that it ran.`;
      next =
        `For each device, find where the signed files are (DeviceFileEvents, by SHA1) and whether any of them ran ` +
        `(DeviceProcessEvents), then check whether ${name} is approved there.`;
      break;
    case 'network': {
      const domains = valuesOf(positives, 'RemoteUrl');
      const byTool = positives.some((c) => c.column.startsWith('InitiatingProcess'));
      looks =
        `The rule looks in ${table} for connections to ${domains.length ? valueList(domains) : "the tool's service addresses"}` +
        `${byTool ? ` made by processes identified as ${name}` : ''}${per}${how && !domains.length ? `, matching ${how}` : ''}.`;
      next =
        `For each device, check which process made the connections and with which command line, how often it ` +
        `connects and since when, and whether the device is run by an IT team or MSP that uses ${name}.`;
      break;
    }
    case 'process':
      looks = `The rule looks in ${table} for ${name} processes${how ? `, matching ${how}` : ''}${per}.`;
      next =
        `For each device, check whether ${name} is approved there; then look at the parent process and the account ` +
        `that started it, the folder it runs from, whether it was installed as a service, and what else happened ` +
        `on the device around its first sighting.`;
      break;
    default:
      looks = `The rule looks in ${andList(facts.tables)}${how ? ` for rows matching ${how}` : ''}${per}.`;
      next = `For each result, check whether ${name} is approved on that device and who installed it.`;
  }
  return [suspicion, looks, next].join(' ');
}

function genericHypothesis(rule: Rule, facts: QueryFacts, technique: string): string {
  const tables = facts.tables.length ? andList(facts.tables) : 'its tables';
  const first = technique
    ? `The rule hunts for ${technique} in ${tables}.`
    : `The rule "${rule.name}" reads ${tables}.`;
  const how = matchPhrase(facts);
  const second = how
    ? `It keeps rows where ${how}${facts.perDevice ? ' and summarises them per device' : ''}.`
    : facts.perDevice
      ? 'It summarises what it finds per device.'
      : '';
  const third =
    'Review each result in context: the device, the account and process involved, and what happened on the ' +
    'device just before and after.';
  return [first, second, third].filter(Boolean).join(' ');
}

/** `ATT&CK T1219 Remote Access Tools, tactic Command and Control`. */
function techniqueRef(attack: AttackContext): string {
  if (attack.techniques.length === 0) return '';
  const names = attack.techniques.slice(0, 3).map((t) => techniqueTitle(t));
  const tactics = [...new Set(attack.techniques.flatMap((t) => t.tactics.map((x) => x.name)))];
  return `ATT&CK ${andList(names)}${tactics.length ? `, tactic ${andList(tactics)}` : ''}`;
}

function toolName(tools: RmmTool[]): string {
  const described = tools.map((t) => {
    const what =
      t.category === 'RAT' ? 'a remote access tool' : 'a remote monitoring and management (RMM) tool';
    return `${t.name} (${what}${t.vendor ? ` from ${t.vendor}` : ''})`;
  });
  return described.join(' or ');
}

function multiToolName(tools: RmmTool[]): string {
  const examples = tools.slice(0, 3).map((t) => t.name);
  return `any of ${tools.length} catalogued RMM and remote access tools (${examples.join(', ')}, …)`;
}

function valuesOf(conditions: QueryCondition[], column: string): string[] {
  return [...new Set(conditions.filter((c) => c.column === column).flatMap((c) => c.values))];
}

/**
 * `PE company name has … and PE product name has any of …; or file name is …`: the ways a row
 * can match, as the bound query combines its conditions.
 */
function matchPhrase(facts: QueryFacts): string {
  const alts = facts.alternatives;
  if (alts.length === 0) return '';
  const words = (alt: number[]) =>
    andList([...new Set(alt)].map((i) => conditionWords(facts.conditions[i]!)));
  const shown = alts.slice(0, 3).map(words);
  const more = alts.length - shown.length;
  return shown.join('; or ') + (more > 0 ? ` (or ${more} more combination${more === 1 ? '' : 's'})` : '');
}
