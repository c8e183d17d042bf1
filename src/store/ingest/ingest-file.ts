import type { Progress } from '../../cli/progress.js';
import type { Store } from '../store.js';
import { ChunkLoader } from './chunk-loader.js';
import { FileCounters } from './file-counters.js';
import { detectFormat, firstRecordOf, FormatError, peek } from './formats/detect.js';
import type { ReadContext } from './formats/read-context.js';
import { readCsv } from './formats/read-csv.js';
import { needsInference, readJsonBulk, readJsonInferred } from './formats/read-json.js';
import { readParquet } from './formats/read-parquet.js';
import { readSysmon } from './formats/read-sysmon.js';
import type { InputFile } from './inputs/expand-paths.js';
import { digestFile, sha256Stream, StreamHasher } from './inputs/hash.js';
import { tryNativeJsonl } from './native-jsonl.js';
import { openInput, teeFirstRead, type ByteSource } from './inputs/open-input.js';
import { ZipFormatError } from './inputs/zip.js';
import { INGESTED_CONTENT_TABLE, INGESTED_FILES_TABLE, REJECTS_TABLE } from './sql/bookkeeping.js';
import { PASS_TABLE } from './sql/pass-sql.js';
import { Stage, STAGE_TABLES } from './sql/stage.js';
import type { FileSummary, FormatOption, InputFormat, MemberSummary } from './types.js';

export interface RunSettings {
  store: Store;
  runId: string;
  format: FormatOption;
  table?: string;
  strict: boolean;
  /** Bytes of record text staged before a bulk pass (bounds memory). */
  chunkBytes: number;
  progress: Progress;
}

const SAMPLE_REJECTS = 5;

/** Errors that mean "this input is unreadable", as opposed to a failure of socfeed or the store. */
function isInputError(e: unknown): boolean {
  if (e instanceof FormatError || e instanceof ZipFormatError) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

async function readMember(ctx: ReadContext, format: InputFormat, head: Buffer): Promise<void> {
  switch (format) {
    case 'defender':
      return readJsonBulk(ctx);
    case 'jsonl':
    case 'json':
      return needsInference(ctx, firstRecordOf(head)) ? readJsonInferred(ctx) : readJsonBulk(ctx);
    case 'sysmon':
      return readSysmon(ctx);
    case 'csv':
      return readCsv(ctx);
    case 'parquet':
      return readParquet(ctx);
  }
}

/** Bookkeeping look-ups, all by bound parameters. */
class Ledger {
  constructor(private readonly store: Store) {}

  private async any(sql: string, params: Record<string, string | number>): Promise<unknown[] | undefined> {
    return (await this.store.connection.runAndReadAll(sql, params)).getRows()[0];
  }

  async sizeSeen(size: number): Promise<boolean> {
    const q = `SELECT 1 FROM ${INGESTED_FILES_TABLE} WHERE size = $size UNION ALL SELECT 1 FROM ${INGESTED_CONTENT_TABLE} WHERE size = $size LIMIT 1`;
    return (await this.any(q, { size })) !== undefined;
  }

  async contentSizeSeen(s: ByteSource): Promise<boolean> {
    if (s.size !== undefined)
      return (
        (await this.any(`SELECT 1 FROM ${INGESTED_CONTENT_TABLE} WHERE size = $size LIMIT 1`, {
          size: s.size,
        })) !== undefined
      );
    if (s.sizeModulo !== undefined) {
      const q = `SELECT 1 FROM ${INGESTED_CONTENT_TABLE} WHERE size % 4294967296 = $size LIMIT 1`;
      return (await this.any(q, { size: s.sizeModulo })) !== undefined;
    }
    return true;
  }

  async fileKnown(sha: string): Promise<boolean> {
    return (
      (await this.any(`SELECT 1 FROM ${INGESTED_FILES_TABLE} WHERE sha256 = $sha`, { sha })) !== undefined
    );
  }

  /** Where content with this hash was ingested from, if it was. */
  async contentSource(sha: string): Promise<string | undefined> {
    const row = await this.any(`SELECT source FROM ${INGESTED_CONTENT_TABLE} WHERE sha256 = $sha LIMIT 1`, {
      sha,
    });
    return row ? String(row[0]) : undefined;
  }

  async rejectReport(
    runId: string,
    path: string,
  ): Promise<Pick<FileSummary, 'rejectReasons' | 'rejectSamples'>> {
    const where = `run_id = $run AND (source = $path OR starts_with(source, $path || '!'))`;
    const params = { run: runId, path };
    const reasons = await this.store.connection.runAndReadAll(
      `SELECT regexp_replace(reason, '"[^"]*"', '"…"', 'g') AS k, count(*) FROM ${REJECTS_TABLE} WHERE ${where} GROUP BY k ORDER BY 2 DESC, 1`,
      params,
    );
    const samples = await this.store.connection.runAndReadAll(
      `SELECT source, line, record, reason FROM ${REJECTS_TABLE} WHERE ${where} ORDER BY source, record LIMIT ${SAMPLE_REJECTS}`,
      params,
    );
    return {
      rejectReasons: Object.fromEntries(reasons.getRows().map(([k, n]) => [String(k), Number(n)])),
      rejectSamples: samples.getRows().map(([source, line, record, reason]) => ({
        source: String(source),
        line: Number(line),
        record: Number(record),
        reason: String(reason),
      })),
    };
  }
}

function emptySummary(file: InputFile): FileSummary {
  return {
    path: file.path,
    status: 'ingested',
    sha256: '',
    bytes: file.size,
    members: [],
    rows: {},
    rowsRead: 0,
    rejects: 0,
    rejectReasons: {},
    rejectSamples: [],
    skipped: {},
    extraColumns: [],
    renamedColumns: [],
    inferredTables: {},
    seconds: 0,
  };
}

/**
 * Ingests one input file in one transaction: all of its rows and rejects land together with its
 * `_socfeed_ingested_files` entry, or nothing does (crash, --strict with rejects, unreadable input).
 * A file whose SHA-256 is already recorded is left alone, and so is a member whose decompressed
 * content was already ingested (the same data plain and zipped), so re-runs never double rows.
 */
export async function ingestFile(settings: RunSettings, file: InputFile): Promise<FileSummary> {
  const { store, runId } = settings;
  const ledger = new Ledger(store);
  const started = Date.now();
  const counters = new FileCounters();
  const summary = emptySummary(file);
  const finish = () => {
    summary.seconds = (Date.now() - started) / 1000;
    summary.rowsRead = counters.totalRows;
    summary.rejects = counters.rejects;
    summary.skipped = Object.fromEntries(
      [...counters.skipped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    );
    summary.extraColumns = counters.extraColumns();
    summary.renamedColumns = counters.renamedColumns();
    summary.inferredTables = Object.fromEntries(counters.inferred);
    if (summary.status === 'ingested') summary.rows = Object.fromEntries([...counters.rows].sort());
    return summary;
  };

  // The file hash runs beside the ingest; it is awaited first only when the size was seen before.
  const digest = digestFile(file.path);
  digest.catch(() => {});
  const hashing = digest.then((d) => d.sha256);
  hashing.catch(() => {});
  if (await ledger.sizeSeen(file.size)) {
    summary.sha256 = await hashing;
    const sameContent = (await ledger.fileKnown(summary.sha256))
      ? file.path
      : await ledger.contentSource(summary.sha256);
    if (sameContent !== undefined) {
      summary.status = 'unchanged';
      if (sameContent !== file.path) summary.note = `same content as ${sameContent}, already ingested`;
      return finish();
    }
  }

  settings.progress.phase(`ingest ${file.path}`, file.size);
  const stage = new Stage(store.connection, settings.chunkBytes);
  const ingestTime = new Date().toISOString();
  let loader: ChunkLoader | undefined;
  await store.run('BEGIN TRANSACTION');
  try {
    await stage.reset();
    const { sources, skipped } = await openInput(file.path, (n) => settings.progress.tick(n));
    for (const s of skipped) summary.members.push({ name: s.source, format: '', skipped: s.reason });
    const inArchive = sources.length !== 1 || sources[0]!.source !== file.path;
    for (const source of sources) {
      const member: MemberSummary = { name: source.source, format: '' };
      summary.members.push(member);
      const head = await peek(source);
      let detected;
      try {
        detected = detectFormat(source.name, head, settings.format === 'auto' ? undefined : settings.format);
      } catch (e) {
        // Inside an archive an unreadable member (a README, a workbook) is skipped and reported.
        if (e instanceof FormatError && inArchive) {
          member.skipped = e.message;
          continue;
        }
        throw e;
      }
      member.format = detected.description;

      const recordContent = async (content: { sha256: string; bytes: number }) => {
        await store.connection.run(
          `INSERT INTO ${INGESTED_CONTENT_TABLE} VALUES ($sha, $size, $source, $file, $run)`,
          {
            sha: content.sha256,
            size: content.bytes,
            source: source.source,
            file: await hashing,
            run: runId,
          },
        );
      };

      // A plain JSON-lines file of one well-formed shape: DuckDB reads it directly (fastest), and
      // only if every record went in; otherwise the attempt is rolled back and the file staged.
      if (source.localPath) {
        const native = await tryNativeJsonl(
          store,
          source.localPath,
          detected,
          firstRecordOf(head),
          settings.table,
          ingestTime,
        );
        if (typeof native === 'object' && native.rows === (await digest).records) {
          counters.addRows(native.table, native.rows);
          const table = store.schema.table(native.table)!;
          const kept = table.columns.some((c) => c.name === 'AdditionalFields')
            ? 'AdditionalFields'
            : 'dropped';
          for (const k of native.extras) counters.extra(native.table, k, native.rows, kept);
          settings.progress.tick(file.size);
          await recordContent({ sha256: await hashing, bytes: file.size });
          continue;
        }
        if (native !== 'not-eligible') {
          await store.run('ROLLBACK');
          await store.run('BEGIN TRANSACTION');
          await stage.reset();
        }
      }

      // Decompressed content seen before (e.g. the plain copy of this member) is not read again.
      let content: { sha256: string; bytes: number } | undefined;
      if (source.compressed && (await ledger.contentSizeSeen(source))) {
        content = await sha256Stream(source.open());
        const seen = await ledger.contentSource(content.sha256);
        if (seen) {
          member.skipped = `same content as ${seen}, already ingested`;
          continue;
        }
      }
      const hasher = source.compressed && !content ? new StreamHasher() : undefined;
      const reading = hasher ? teeFirstRead(source, (c) => hasher.update(c)) : source;

      loader = new ChunkLoader({
        store,
        stage,
        counters,
        runId,
        ingestTime,
        source: source.source,
        shape: detected.format === 'defender' ? 'envelope' : 'flat',
        ...(settings.table ? { defaultTable: settings.table } : {}),
      });
      const ctx: ReadContext = {
        store,
        schema: store.schema,
        source: reading,
        framing: detected.framing,
        loader,
        counters,
        ...(settings.table ? { defaultTable: settings.table } : {}),
      };
      try {
        await readMember(ctx, detected.format, head);
      } catch (e) {
        hasher?.abort();
        throw e;
      }
      await loader.flush();
      if (hasher) content = { sha256: await hasher.digest(), bytes: hasher.bytes };
      await recordContent(content ?? { sha256: await hashing, bytes: file.size });
    }
    summary.sha256 = await hashing;
    Object.assign(summary, await ledger.rejectReport(runId, file.path));
    if (settings.strict && counters.rejects > 0) {
      summary.status = 'rolled-back';
      await store.run('ROLLBACK');
    } else {
      await store.connection.run(
        `INSERT INTO ${INGESTED_FILES_TABLE} VALUES ($sha, $path, $size, $format, $rows, $rejects, $run, CAST($now AS TIMESTAMP_NS))`,
        {
          sha: summary.sha256,
          path: file.path,
          size: file.size,
          format: [...new Set(summary.members.map((m) => m.format).filter((f) => f))].join('; ') || 'none',
          rows: counters.totalRows,
          rejects: counters.rejects,
          run: runId,
          now: ingestTime,
        },
      );
      await store.run('COMMIT');
    }
  } catch (e) {
    await loader?.abandon();
    await store.run('ROLLBACK').catch(() => undefined);
    summary.status = 'failed';
    const msg = (e as Error)?.message ?? String(e);
    summary.error = isInputError(e) ? msg : `${msg.split('\n')[0]}`;
    if (!summary.sha256) summary.sha256 = await hashing.catch(() => '');
  } finally {
    stage.close();
    for (const t of [...STAGE_TABLES, PASS_TABLE, '_socfeed_reroute']) {
      await store.run(`DROP TABLE IF EXISTS temp.main.${t}`).catch(() => undefined);
    }
    settings.progress.done();
  }
  return finish();
}
