import { randomUUID } from 'node:crypto';
import { silentProgress, type Progress } from '../../cli/progress.js';
import type { SchemaCatalog } from '../../schema/index.js';
import { RuntimeFailure, UserError } from '../../util/errors.js';
import { closestMatch } from '../../util/suggest.js';
import type { Store } from '../store.js';
import { expandInputPaths, type ExpandedInputs } from './inputs/expand-paths.js';
import { ingestFile } from './ingest-file.js';
import { ensureIngestTables } from './sql/bookkeeping.js';
import {
  INPUT_FORMATS,
  type FileSummary,
  type FormatOption,
  type IngestSummary,
  type IngestTotals,
} from './types.js';

export * from './types.js';
export { INGESTED_CONTENT_TABLE, INGESTED_FILES_TABLE, REJECTS_TABLE } from './sql/bookkeeping.js';
export { tableStats, type TableStats } from './table-stats.js';

export interface IngestOptions {
  format?: FormatOption;
  /** Table for flat records that do not name one. */
  table?: string;
  /** Any reject rolls its file back and makes the run fail. */
  strict?: boolean;
  progress?: Progress;
  /** Bytes of record text per bulk pass (memory per stage table); default 64 MiB. */
  chunkBytes?: number;
}

/** Checked arguments: everything that can be a user error is found before the store is touched. */
export interface IngestPlan {
  inputs: ExpandedInputs;
  format: FormatOption;
  table?: string;
}

const DEFAULT_CHUNK_BYTES = 64 << 20;

export function parseFormatOption(value: string | undefined): FormatOption {
  if (value === undefined || value === 'auto') return 'auto';
  if ((INPUT_FORMATS as readonly string[]).includes(value)) return value as FormatOption;
  const near = closestMatch(value, ['auto', ...INPUT_FORMATS]);
  throw new UserError('SF-INGEST-FORMAT', `unknown --format '${value}'`, {
    hint: `use one of auto, ${INPUT_FORMATS.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
  });
}

function checkTable(schema: SchemaCatalog, table: string | undefined): void {
  if (table === undefined || schema.table(table)) return;
  const near = closestMatch(table, schema.tableNames());
  throw new UserError('SF-INGEST-TABLE', `unknown table '${table}'`, {
    hint: near ? `did you mean ${near}?` : 'run `socfeed tables --all` for the table names',
  });
}

/** Validates the arguments and lists the input files (missing paths are user errors). */
export async function planIngest(
  schema: SchemaCatalog,
  paths: string[],
  opts: Pick<IngestOptions, 'format' | 'table'> = {},
): Promise<IngestPlan> {
  const format = opts.format ?? 'auto';
  checkTable(schema, opts.table);
  const inputs = await expandInputPaths(paths);
  return { inputs, format, ...(opts.table ? { table: opts.table } : {}) };
}

function totalsOf(files: FileSummary[], seconds: number): IngestTotals {
  const read = files.filter((s) => s.status !== 'unchanged');
  return {
    files: files.length,
    ingested: files.filter((s) => s.status === 'ingested').length,
    unchanged: files.filter((s) => s.status === 'unchanged').length,
    rolledBack: files.filter((s) => s.status === 'rolled-back').length,
    failed: files.filter((s) => s.status === 'failed').length,
    rows: files.reduce((n, s) => n + Object.values(s.rows).reduce((a, b) => a + b, 0), 0),
    rejects: read.reduce((n, s) => n + s.rejects, 0),
    bytes: read.reduce((n, s) => n + s.bytes, 0),
    seconds,
  };
}

/**
 * DuckDB checkpoints (compresses into the database file) whenever the WAL passes a threshold,
 * 16 MB by default. Each file's commit would then rewrite the table's last, partly filled row
 * group again and again; during a run the threshold is raised, and one checkpoint at the end
 * writes everything once. Committed files are in the WAL either way (a crash loses nothing);
 * the threshold bounds the memory held by committed but not yet checkpointed rows.
 */
const CHECKPOINT_EVERY = '512MB';

async function withDeferredCheckpoints<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const before = String(
    (await store.query(`SELECT current_setting('wal_autocheckpoint')`)).rows[0]?.[0] ?? '16MB',
  );
  await store.run('SET wal_autocheckpoint = ?', [CHECKPOINT_EVERY]);
  try {
    const result = await work();
    await store.run('CHECKPOINT').catch((e: unknown) => {
      throw new RuntimeFailure(
        'SF-INGEST-CHECKPOINT',
        `the ingested rows are committed, but the final checkpoint failed: ${(e as Error).message.split('\n')[0]}`,
        {
          hint: 'DuckDB replays its write-ahead log the next time the store is opened',
        },
      );
    });
    return result;
  } finally {
    // Back to the previous value, as DuckDB itself printed it (e.g. "16.0 MiB").
    await store.run('SET wal_autocheckpoint = ?', [before]).catch(() => undefined);
  }
}

/** Runs a checked plan: each file in its own transaction, in order. */
export async function runIngest(
  store: Store,
  plan: IngestPlan,
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  await ensureIngestTables(store);
  const runId = randomUUID();
  const started = Date.now();
  const settings = {
    store,
    runId,
    format: plan.format,
    strict: opts.strict ?? false,
    chunkBytes: opts.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    progress: opts.progress ?? silentProgress,
    ...(plan.table ? { table: plan.table } : {}),
  };
  const files: FileSummary[] = [];
  await withDeferredCheckpoints(store, async () => {
    for (const f of plan.inputs.files) files.push(await ingestFile(settings, f));
  });
  return {
    runId,
    db: store.path,
    strict: settings.strict,
    files,
    totals: totalsOf(files, (Date.now() - started) / 1000),
    notFound: plan.inputs.empty,
  };
}

/** planIngest + runIngest, for callers that already hold a store. */
export async function ingestPaths(
  store: Store,
  paths: string[],
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  return runIngest(store, await planIngest(store.schema, paths, opts), opts);
}
