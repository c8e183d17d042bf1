/**
 * What enrichment adds to a rule. Every field says where its value came from, so a reader (and the
 * web page) can tell a fact carried over from ATT&CK or the rule from a sentence socfeed composed.
 */

/**
 * `attack-v18.1`: MITRE ATT&CK data (data/attack); `rule`: the rule file itself; `rmm-catalog`:
 * socfeed's RMM indicator catalog (LOLRMM + RemoteManagementMonitoringTools facts); `store`: the
 * user's telemetry store; `derived`: composed by socfeed from the other sources; `llm`: an optional
 * language-model enricher (off by default).
 */
export type FieldSource = `attack-v${string}` | 'rule' | 'rmm-catalog' | 'store' | 'derived' | 'llm';

export interface Sourced<T> {
  value: T;
  source: FieldSource;
}

/** What kind of evidence a rule looks for, from the tables it reads. */
export type SignalKind = 'process' | 'file-signature' | 'network' | 'other';

/** One string comparison the query makes: `ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH'`. */
export interface QueryCondition {
  table?: string;
  column: string;
  /** The KQL operator as a catalog id: has, has_any, in_ci, eq, startswith… */
  op: string;
  values: string[];
  negated: boolean;
}

export interface AttackTechniqueContext {
  id: string;
  name: string;
  description: string;
  url: string;
  subtechnique: boolean;
  parent?: { id: string; name: string; url: string };
  tactics: { id: string; name: string; shortname: string; url: string }[];
  /** ATT&CK's data components for the technique (v18), e.g. `DC0032 Process Creation`. */
  dataComponents: string[];
  /** ATT&CK v17.1 detection advice (dropped from techniques in v18), when there is one. */
  detection: string | null;
}

export interface AttackContext {
  version: string;
  techniques: AttackTechniqueContext[];
  /** Tactics as the rule writes them, resolved (`CommandAndControl` → TA0011). */
  tactics: { asWritten: string; id?: string; name?: string; shortname?: string; url?: string }[];
  /** Technique IDs the rule cites that ATT&CK does not know or has retired. */
  unknown: { id: string; note: string }[];
}

export interface TableAvailability {
  rows: number;
  /** ISO 8601, or null when the table is empty or has no Timestamp column. */
  lastTimestamp: string | null;
}

export interface DataSourceInfo {
  table: string;
  /** The table is in the schema the query was bound against. */
  inSchema: boolean;
  /** Connector the rule declares for this table (`MicrosoftThreatProtection`), if any. */
  connector?: string;
  /** Columns of this table the query reads, when the query binds. */
  columns: string[];
  /** Present when a store was consulted. */
  availability?: Sourced<TableAvailability>;
}

export interface Reference {
  label: string;
  url: string;
  source: FieldSource;
}

export type ConfidenceLevel = 'low' | 'medium' | 'high';

export interface ConfidenceReason {
  /** Which piece of evidence: `schema`, `specificity`, `conditions`, `fixtures`, `benign-hits`. */
  factor: string;
  /** Points added to (or taken from) the score; 0 for evidence that was not available. */
  points: number;
  detail: string;
}

export interface Confidence {
  level: ConfidenceLevel;
  /** 0–100. */
  score: number;
  reasons: ConfidenceReason[];
}

/** Optional evidence from outside the rule (the fixture runner and the benign-data run are hooks). */
export interface ConfidenceEvidence {
  /** Fixture tests for the rule and how many passed. */
  fixtures?: { total: number; passed: number };
  /** Matches of the rule on a store known to hold only benign activity. */
  benignHits?: number;
}

export interface RmmToolRef {
  id: string;
  name: string;
  vendor?: string;
  category: string;
}

export interface EnrichedRule {
  ruleId: string;
  signal: Sourced<SignalKind>;
  tools: Sourced<RmmToolRef[]>;
  conditions: Sourced<QueryCondition[]>;
  hypothesis: Sourced<string>;
  attack: Sourced<AttackContext>;
  dataSources: Sourced<DataSourceInfo[]>;
  falsePositives: Sourced<string[]>;
  references: Reference[];
  confidence: Sourced<Confidence>;
  /** The query binds against the schema without errors. */
  validation: Sourced<{ errors: number; warnings: number; messages: string[] }>;
}
