import { createHash } from 'node:crypto';
import type { KqlCell, KqlColumn } from '../engine/types.js';
import type { RmmCatalog } from '../rules/rmm-catalog.js';
import { ruleTools } from '../rules/enrich/rule-tools.js';
import type { RuleOutcome } from './execute.js';
import type { HuntRule } from './rule-set.js';

/** What a result row of a rule says, in the fields findings are compared and shown by. */
export interface Finding {
  source: string;
  ruleId: string;
  ruleName: string;
  /** Identity across runs: rule plus the row's grouping values (device, tool…). */
  key: string;
  deviceId: string;
  deviceName: string;
  /** RMM tool id when the rule hunts one tool or its result names the tool. */
  tool?: string;
  /** Other grouping values of the row (e.g. `Signer=…` of an all-tools rule), for display. */
  detail?: string;
  /** process / signature / network, from the table the rule reads. */
  signal?: Signal;
  firstSeen?: string;
  lastSeen?: string;
  count?: number;
  reportIds: (string | number)[];
  /** The whole result row, by column name. */
  row: Record<string, KqlCell>;
}

export type Signal = 'process' | 'signature' | 'network';

const SIGNAL_BY_TABLE: Record<string, Signal> = {
  DeviceProcessEvents: 'process',
  DeviceFileCertificateInfo: 'signature',
  DeviceNetworkEvents: 'network',
};

/** Column names rules commonly use for each field, first match wins (compared ignoring case). */
const NAMES = {
  deviceId: ['DeviceId'],
  deviceName: ['DeviceName', 'Computer', 'HostName'],
  first: ['FirstSeen', 'StartTime', 'FirstTime', 'min_Timestamp', 'min_TimeGenerated'],
  last: ['LastSeen', 'EndTime', 'LastTime', 'max_Timestamp', 'max_TimeGenerated'],
  count: ['Count', 'count_', 'EventCount', 'Events'],
  reports: ['Report', 'Reports', 'ReportId', 'ReportIds'],
  tool: ['RMM_Tool', 'Tool', 'RmmTool'],
};

function pick(columns: KqlColumn[], names: string[]): number {
  for (const n of names) {
    const i = columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

const text = (v: KqlCell | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Cells that identify a row: strings, bools, whole numbers; not times, counts or lists. */
function identityCells(columns: KqlColumn[], row: KqlCell[], skip: Set<number>): string[] {
  return columns.flatMap((c, i) =>
    skip.has(i) || c.type === 'datetime' || c.type === 'dynamic' || c.type === 'real'
      ? []
      : [`${c.name}=${text(row[i])}`],
  );
}

export function signalOf(table: string | undefined): Signal | undefined {
  return table ? SIGNAL_BY_TABLE[table] : undefined;
}

export interface RuleFacts {
  /** The one table a rule reads, when it reads one. */
  table?: string;
  /** The single tool a rule hunts, when it hunts one. */
  tool?: string;
}

/** The tool and table a rule is about (a rule hunting many tools names none here). */
export function ruleFacts(rule: HuntRule, catalog: RmmCatalog, table: string | undefined): RuleFacts {
  const tools = ruleTools(rule.rule, catalog);
  const facts: RuleFacts = {};
  if (table) facts.table = table;
  if (!tools.multi && tools.tools.length === 1) facts.tool = tools.tools[0]!.id;
  return facts;
}

/** One finding per result row of a rule. */
export function findingsOf(outcome: RuleOutcome, facts: RuleFacts, catalog: RmmCatalog): Finding[] {
  const { columns, rows, rule } = outcome;
  const idx = {
    deviceId: pick(columns, NAMES.deviceId),
    deviceName: pick(columns, NAMES.deviceName),
    first: pick(columns, NAMES.first),
    last: pick(columns, NAMES.last),
    count: pick(columns, NAMES.count),
    reports: pick(columns, NAMES.reports),
    tool: pick(columns, NAMES.tool),
  };
  const countCol = idx.count >= 0 ? new Set([idx.count]) : new Set<number>();
  return rows.map((row) => {
    const byName: Record<string, KqlCell> = {};
    columns.forEach((c, i) => (byName[c.name] = row[i] ?? null));
    const identity = identityCells(columns, row, countCol);
    const key = createHash('sha256')
      .update([rule.source, rule.rule.id, ...identity].join('\u0000'))
      .digest('hex')
      .slice(0, 32);
    const named = idx.tool >= 0 ? catalog.tool(text(row[idx.tool]))?.id : undefined;
    const reports = idx.reports >= 0 ? row[idx.reports] : undefined;
    const f: Finding = {
      source: rule.source,
      ruleId: rule.rule.id,
      ruleName: rule.rule.name,
      key,
      deviceId: idx.deviceId >= 0 ? text(row[idx.deviceId]) : '',
      deviceName: idx.deviceName >= 0 ? text(row[idx.deviceName]) : '',
      reportIds: Array.isArray(reports)
        ? reports
            .filter((r): r is string | number => typeof r === 'string' || typeof r === 'number')
            .sort(compareIds)
        : typeof reports === 'string' || typeof reports === 'number'
          ? [reports]
          : [],
      row: byName,
    };
    const skip = new Set([idx.deviceId, idx.deviceName, idx.tool, idx.count]);
    const detail = identityCells(columns, row, skip).join(', ');
    if (detail) f.detail = detail;
    const tool = named ?? facts.tool ?? toolOfValues(columns, row, skip, catalog);
    if (tool) f.tool = tool;
    const signal = signalOf(facts.table);
    if (signal) f.signal = signal;
    if (idx.first >= 0 && row[idx.first] !== null) f.firstSeen = text(row[idx.first]);
    if (idx.last >= 0 && row[idx.last] !== null) f.lastSeen = text(row[idx.last]);
    if (idx.count >= 0 && typeof row[idx.count] === 'number') f.count = row[idx.count] as number;
    return f;
  });
}

/**
 * For a rule hunting many tools: the one tool the row's own values point to (its Signer, RemoteUrl,
 * FileName…), or none when they point to no tool or to several (an indicator tools share).
 */
function toolOfValues(
  columns: KqlColumn[],
  row: KqlCell[],
  skip: Set<number>,
  catalog: RmmCatalog,
): string | undefined {
  const ids = new Set<string>();
  columns.forEach((c, i) => {
    const v = row[i];
    if (skip.has(i) || c.type !== 'string' || typeof v !== 'string' || v === '') return;
    for (const t of catalog.toolsForValue(v)) ids.add(t.id);
  });
  return ids.size === 1 ? [...ids][0] : undefined;
}

function compareIds(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** Whether two sightings of one finding differ in what an analyst reads (times, count, reports). */
export function sameEvidence(a: Finding, b: Finding): boolean {
  return (
    a.firstSeen === b.firstSeen &&
    a.lastSeen === b.lastSeen &&
    a.count === b.count &&
    a.reportIds.join(',') === b.reportIds.join(',')
  );
}
