import type { QueryCondition, SignalKind } from './types.js';

/**
 * Small pieces of English the enrichers share: how to name a column, an operator, a list of
 * values, so every sentence about a rule reads the same way.
 */

const COLUMN_WORDS: Record<string, string> = {
  ProcessVersionInfoCompanyName: 'PE company name',
  ProcessVersionInfoProductName: 'PE product name',
  ProcessVersionInfoOriginalFileName: 'PE original file name',
  ProcessVersionInfoFileDescription: 'PE file description',
  FileName: 'file name',
  FolderPath: 'folder path',
  ProcessCommandLine: 'command line',
  Signer: 'certificate signer',
  Issuer: 'certificate issuer',
  RemoteUrl: 'remote URL',
  RemoteIP: 'remote IP address',
  RemotePort: 'remote port',
  SHA1: 'SHA-1 hash',
  SHA256: 'SHA-256 hash',
};

/** `ProcessVersionInfoCompanyName` → `PE company name`; `InitiatingProcessFileName` → `initiating process's file name`. */
export function columnWords(column: string): string {
  if (COLUMN_WORDS[column]) return COLUMN_WORDS[column];
  const initiating = /^InitiatingProcess(?:VersionInfo)?(.+)$/.exec(column);
  if (initiating) {
    const rest = initiating[1]!;
    const base = COLUMN_WORDS[`ProcessVersionInfo${rest}`] ?? COLUMN_WORDS[rest] ?? splitCamel(rest);
    return `initiating process's ${base}`;
  }
  return column;
}

function splitCamel(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const OP_WORDS: Record<string, string> = {
  has: 'has the term',
  has_cs: 'has the term',
  has_any: 'has any of',
  has_all: 'has all of',
  hasprefix: 'has a term starting with',
  hassuffix: 'has a term ending with',
  contains: 'contains',
  contains_cs: 'contains',
  startswith: 'starts with',
  startswith_cs: 'starts with',
  endswith: 'ends with',
  endswith_cs: 'ends with',
  in: 'is one of',
  in_ci: 'is one of',
  eq: 'is',
  eq_ci: 'is',
  join: 'is one of',
  matches_regex: 'matches',
  like: 'is like',
  like_cs: 'is like',
};

/** At most `max` values quoted, then how many more. */
export function valueList(values: string[], max = 3): string {
  const shown = values.slice(0, max).map((v) => `'${v}'`);
  const more = values.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 2) return shown.join(' or ');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** `PE company name has the term 'Krämer IT Solutions GmbH'`. */
export function conditionWords(c: QueryCondition): string {
  const op = OP_WORDS[c.op] ?? c.op;
  const single = c.values.length === 1 && (c.op === 'has_any' || c.op === 'in' || c.op === 'in_ci');
  const verb = single ? (c.op === 'has_any' ? 'has the term' : 'is') : op;
  return `${c.negated ? 'not: ' : ''}${columnWords(c.column)} ${verb} ${valueList(c.values)}`;
}

/** `a, b and c`. */
export function andList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const SIGNAL_WORDS: Record<SignalKind, string> = {
  process: 'process creation',
  'file-signature': 'file signature',
  network: 'network connection',
  other: 'query',
};

/** The kind of evidence a table holds. */
export function signalOfTable(table: string | undefined): SignalKind {
  switch (table) {
    case 'DeviceProcessEvents':
      return 'process';
    case 'DeviceFileCertificateInfo':
      return 'file-signature';
    case 'DeviceNetworkEvents':
      return 'network';
    default:
      return 'other';
  }
}
