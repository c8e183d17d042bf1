/**
 * The rule model: a Microsoft Sentinel / Defender XDR rule (hunting query or analytic rule) as
 * socfeed keeps it, with where it came from and where its query sits in the file.
 */

export interface RequiredDataConnector {
  connectorId: string;
  dataTypes: string[];
}

export interface FieldMapping {
  identifier: string;
  columnName: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

/**
 * Where the query text starts in the rule file, so a diagnostic at a position inside the query can
 * be reported at the file's line and column. For a block scalar (`query: |`) every query line is
 * one file line, shifted by the block's indentation: the mapping is exact. For a quoted or plain
 * scalar it is exact only on the first line (`exact: false` when the scalar spans several lines,
 * because YAML folds those lines).
 */
export interface QueryLocation {
  /** 1-based file line of the query's first line. */
  line: number;
  /** 1-based file column of the query's first character. */
  column: number;
  style: 'literal' | 'folded' | 'plain' | 'single-quoted' | 'double-quoted';
  exact: boolean;
}

export interface RuleProvenance {
  /** `owner/name` for a GitHub checkout, else the checkout's (or imported folder's) name. */
  repository: string;
  /** Path of the file inside the repository (or imported folder), with `/` separators. */
  path: string;
  /** The file on this machine when it was imported. */
  localPath: string;
  /** Commit of the checkout, when the file is in a git checkout. */
  commit?: string;
  branch?: string;
  /** ISO 8601 time of the import. */
  retrievedAt: string;
  /** Link to the file at its origin, e.g. `https://github.com/<owner>/<repo>/blob/<commit>/<path>`. */
  url?: string;
}

export type RuleType = 'hunting' | 'analytic';

export interface Rule {
  id: string;
  name: string;
  description: string;
  /** As written (`Medium`, `High`…); undefined when the file has none (hunting queries). */
  severity?: string;
  type: RuleType;
  /** `kind` as written for analytic rules (`Scheduled`, `NRT`). */
  kind?: string;
  requiredDataConnectors: RequiredDataConnector[];
  /** As written, e.g. `CommandAndControl`; one string in the file becomes a one-item list. */
  tactics: string[];
  /** Technique IDs as written, e.g. `T1219`. */
  relevantTechniques: string[];
  query: string;
  queryLocation: QueryLocation;
  queryFrequency?: string;
  queryPeriod?: string;
  triggerOperator?: string;
  triggerThreshold?: number;
  entityMappings: EntityMapping[];
  /** Tags flattened to text (`Schema: ASimDns`). */
  tags: string[];
  version?: string;
  /** Every other top-level field, unchanged. */
  extra: Record<string, unknown>;
  provenance: RuleProvenance;
  /** SHA-256 of the file text with line endings normalized to LF: the rule's version identity. */
  contentHash: string;
}

export type RuleDiagnosticSeverity = 'error' | 'warning' | 'info';

/** A problem found while loading rule files: always with the file and a 1-based line and column. */
export interface RuleDiagnostic {
  code: RuleDiagnosticCode;
  severity: RuleDiagnosticSeverity;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** Codes are API (tests and scripts match on them); errors skip the file, warnings do not. */
export const RULE_DIAGNOSTIC_CODES = {
  'SF-RULE-YAML': 'the file is not valid YAML (skipped)',
  'SF-RULE-YAML-INDENT': 'a known indentation slip was repaired to read the file',
  'SF-RULE-NOT-MAPPING': 'the YAML document is not a mapping (skipped)',
  'SF-RULE-NOT-RULE': 'a YAML file with no rule fields (ignored)',
  'SF-RULE-NO-QUERY': 'the rule has no query (skipped)',
  'SF-RULE-NO-ID': 'the rule has no id (skipped)',
  'SF-RULE-DUPLICATE-ID': 'another file in this import has the same rule id (skipped)',
  'SF-RULE-FIELD': 'a field has an unexpected type or shape',
  'SF-RULE-TACTIC': 'unknown ATT&CK tactic',
  'SF-RULE-TECHNIQUE': 'unknown or retired ATT&CK technique',
  'SF-RULE-READ': 'the file cannot be read (skipped)',
} as const;
export type RuleDiagnosticCode = keyof typeof RULE_DIAGNOSTIC_CODES;

/** `file:line:col: warning[SF-RULE-TACTIC]: message` */
export function formatRuleDiagnostic(d: RuleDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`;
}

/**
 * The file position of a position inside the query text (both 1-based), or undefined when the
 * query's scalar style makes the mapping inexact past its first line.
 */
export function queryPositionInFile(
  loc: QueryLocation,
  queryLine: number,
  queryColumn: number,
): { line: number; column: number } | undefined {
  if (loc.style === 'literal')
    return { line: loc.line + queryLine - 1, column: loc.column + queryColumn - 1 };
  if (queryLine === 1) return { line: loc.line, column: loc.column + queryColumn - 1 };
  return loc.exact ? { line: loc.line + queryLine - 1, column: loc.column + queryColumn - 1 } : undefined;
}
