import type { TableSchema } from '../../../schema/index.js';

/** Connection-local table holding the result of one bulk pass. */
export const PASS_TABLE = '_socfeed_pass';

/** Where a record's fields live and how its table is found. */
export type RecordShape =
  /** Streaming API record: table from `category`, row in `properties`. */
  | 'envelope'
  /** Flat row: table from `Type` when it names a known table, else the default table ($default). */
  | 'flat'
  /** Flat row whose table was decided in JS (Sysmon mapping, column-name inference): stage.tbl. */
  | 'routed';

/** Which stage rows a pass reads. */
export type PassFilter = { kind: 'unrouted' } | { kind: 'rerouted' } | { kind: 'routed' };

export interface PassSpec {
  table: TableSchema;
  shape: RecordShape;
  /** Every table name the store knows (routing checks against it). */
  knownTables: readonly string[];
  /** Extra source keys per column: Sentinel union suffixes (`ReportId_long`), case variants (`ISP`). */
  variants: ReadonlyMap<string, readonly string[]>;
  /**
   * Unknown keys read as JSON values (`x0`, `x1`, ... in the pass table): merged into
   * AdditionalFields when the table has it, otherwise only counted.
   */
  captured: readonly string[];
  filter: PassFilter;
  /** The stage table to read (one of STAGE_TABLES). */
  stage: string;
}

/** Keys that are routing metadata, not row data, unless the table has a column of that name. */
export const ROUTING_KEYS = ['Type'] as const;

/** Per-row reason texts (stable: tests and users grep for them). */
export const REASONS = {
  malformed: 'malformed JSON or not a JSON object',
  noProperties: 'streaming record without a properties object',
  notRecord: 'not a streaming API record (no category, no properties)',
  noTable: 'no table: the record has no Type naming a known table and no --table was given',
} as const;
