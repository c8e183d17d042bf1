import type { Store } from '../../store.js';

export const REJECTS_TABLE = '_socfeed_rejects';
export const INGESTED_FILES_TABLE = '_socfeed_ingested_files';
export const INGESTED_CONTENT_TABLE = '_socfeed_ingested_content';

/**
 * socfeed's own ingest bookkeeping, next to the telemetry tables:
 * - _socfeed_rejects: every record that could not be ingested, with where it came from and why.
 * - _socfeed_ingested_files: one row per input file whose rows are in the store, keyed by the
 *   SHA-256 of its bytes; written in the same transaction as the file's rows, so "listed here" and
 *   "rows present" are the same fact.
 * - _socfeed_ingested_content: the SHA-256 of the (decompressed) bytes of every member read, so the
 *   same data is not ingested twice when it arrives both plain and zipped (as OTRF ships it).
 */
export async function ensureIngestTables(store: Store): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS ${REJECTS_TABLE} (
    run_id VARCHAR NOT NULL,
    rejected_at TIMESTAMP_NS NOT NULL,
    source VARCHAR NOT NULL,
    line BIGINT,
    record BIGINT,
    table_name VARCHAR,
    reason VARCHAR NOT NULL,
    raw VARCHAR
  )`);
  await store.run(`CREATE TABLE IF NOT EXISTS ${INGESTED_FILES_TABLE} (
    sha256 VARCHAR PRIMARY KEY,
    path VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    format VARCHAR NOT NULL,
    rows_ingested BIGINT NOT NULL,
    rejects BIGINT NOT NULL,
    run_id VARCHAR NOT NULL,
    ingested_at TIMESTAMP_NS NOT NULL
  )`);
  await store.run(`CREATE TABLE IF NOT EXISTS ${INGESTED_CONTENT_TABLE} (
    sha256 VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
  )`);
}
