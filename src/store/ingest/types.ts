/** Formats `--format` accepts; `auto` sniffs each file (and each archive member). */
export const INPUT_FORMATS = ['defender', 'jsonl', 'json', 'csv', 'parquet', 'sysmon'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export type FormatOption = 'auto' | InputFormat;

export interface ExtraColumnReport {
  table: string;
  column: string;
  /** Rows that carried the key (present, even if null). */
  rows: number;
  /** Where the values went: merged into the row's AdditionalFields, or not kept (the table has none). */
  kept: 'AdditionalFields' | 'dropped';
}

export interface RenamedColumnReport {
  table: string;
  /** Key in the input, e.g. Sentinel's `ReportId_long` or `ISP`. */
  from: string;
  /** Column it was read into. */
  to: string;
  rows: number;
}

export interface RejectSample {
  source: string;
  line: number;
  record: number;
  reason: string;
}

export type FileStatus = 'ingested' | 'unchanged' | 'rolled-back' | 'failed';

export interface MemberSummary {
  /** Archive member name (zip) or the file itself. */
  name: string;
  format: string;
  /** Set when the member was not read (unsupported kind, directory, ...). */
  skipped?: string;
}

export interface FileSummary {
  path: string;
  status: FileStatus;
  sha256: string;
  bytes: number;
  members: MemberSummary[];
  /** Rows stored per table (0 for rolled-back/failed files: nothing was kept). */
  rows: Record<string, number>;
  /** Rows that would have been stored (differs from rows only for rolled-back files). */
  rowsRead: number;
  rejects: number;
  /** Reject count per reason, with quoted values blanked so that similar reasons group together. */
  rejectReasons: Record<string, number>;
  rejectSamples: RejectSample[];
  /** Records deliberately not ingested, by kind (e.g. `Sysmon EID 10`, `Security EID 4624`). */
  skipped: Record<string, number>;
  extraColumns: ExtraColumnReport[];
  renamedColumns: RenamedColumnReport[];
  /** Rows whose table was inferred from their column names (no Type, no --table). */
  inferredTables: Record<string, number>;
  seconds: number;
  /** For failed files: what went wrong. */
  error?: string;
  /** Why an unchanged file was not read when it is not simply the same file again. */
  note?: string;
}

export interface IngestTotals {
  files: number;
  ingested: number;
  unchanged: number;
  rolledBack: number;
  failed: number;
  rows: number;
  rejects: number;
  bytes: number;
  seconds: number;
}

export interface IngestSummary {
  runId: string;
  db: string;
  strict: boolean;
  files: FileSummary[];
  totals: IngestTotals;
  /** Paths named on the command line that held no ingestible file (e.g. an empty directory). */
  notFound: string[];
}
