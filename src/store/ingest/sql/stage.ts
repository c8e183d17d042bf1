import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { isUtf8 } from 'node:buffer';

/** Connection-local scratch tables: chunks of raw records on their way into the store. */
export const STAGE_TABLES = ['_socfeed_stage_0', '_socfeed_stage_1'] as const;

export interface StagedRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  /** 1-based record number in its source (differs from line for JSON arrays and CSV). */
  rec: number;
  /** Table decided in JS (Sysmon mapping, inference); undefined = routed by content in SQL. */
  table?: string;
  /** The record as JSON text (UTF-8 bytes or a JS string). */
  doc?: Uint8Array | string;
  /** The original text when `doc` was derived from it (Sysmon event, CSV row). */
  raw?: Uint8Array | string;
  /** A reject reason found before SQL (invalid UTF-8, unbalanced JSON, CSV field count...). */
  error?: string;
}

const encoder = new TextEncoder();

function bytes(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? encoder.encode(v) : v;
}

/** Text that is not UTF-8 is kept readable in rejects: invalid sequences become U+FFFD. */
function readable(v: Uint8Array): Uint8Array {
  return isUtf8(v) ? v : encoder.encode(Buffer.from(v).toString('utf8'));
}

/**
 * The appender keeps rows in its own buffer until it reaches this many, then writes them into the
 * table, which needs the connection. A chunk stays below it, so that filling one stage table while
 * the connection works on the other never touches the connection.
 */
const MAX_ROWS_PER_CHUNK = 100_000;

/**
 * One stage table and its appender. Text goes in as BLOB bytes: the appender copies bytes without
 * a JS string round trip (the dominant cost for multi-GB inputs); SQL turns them back into VARCHAR
 * with decode(), after UTF-8 was checked here.
 */
export class StageBuffer {
  private appender: DuckDBAppender | undefined;
  private pendingBytes = 0;
  rows = 0;
  /** JS-decided tables in this chunk, with their record counts. */
  readonly routedTables = new Map<string, number>();
  unroutedRows = 0;
  /** Rows with a JS-side error in this chunk. */
  errorRows = 0;
  /** The first record routed by content (for a cheap guess of the chunk's table and its keys). */
  firstUnrouted: Uint8Array | string | undefined;
  /** The first record of each JS-decided table (a sample of its keys). */
  readonly firstRouted = new Map<string, Uint8Array | string>();

  constructor(
    private readonly connection: DuckDBConnection,
    readonly table: string,
    private readonly chunkBytes: number,
  ) {}

  async reset(): Promise<void> {
    this.appender?.closeSync();
    this.appender = undefined;
    await this.connection.run(
      `CREATE OR REPLACE TEMP TABLE ${this.table} (rec BIGINT, line BIGINT, tbl VARCHAR, doc BLOB, raw BLOB, err VARCHAR)`,
    );
    this.appender = await this.connection.createAppender(this.table, 'main', 'temp');
    this.pendingBytes = 0;
    this.rows = 0;
    this.routedTables.clear();
    this.unroutedRows = 0;
    this.errorRows = 0;
    this.firstUnrouted = undefined;
    this.firstRouted.clear();
  }

  get full(): boolean {
    return this.pendingBytes >= this.chunkBytes || this.rows >= MAX_ROWS_PER_CHUNK;
  }

  add(r: StagedRecord): void {
    const a = this.appender!;
    let error = r.error;
    let doc = r.doc === undefined ? undefined : bytes(r.doc);
    let raw = r.raw === undefined ? undefined : bytes(r.raw);
    if (doc && !error && typeof r.doc !== 'string' && !isUtf8(doc)) {
      error = 'invalid UTF-8';
      raw ??= doc;
      doc = undefined;
    }
    if (error && !raw && doc) raw = doc;
    if (raw && typeof r.raw !== 'string') raw = readable(raw);
    a.appendBigInt(BigInt(r.rec));
    a.appendBigInt(BigInt(r.line));
    if (r.table !== undefined && !error) {
      a.appendVarchar(r.table);
      this.routedTables.set(r.table, (this.routedTables.get(r.table) ?? 0) + 1);
      if (!this.firstRouted.has(r.table) && doc) this.firstRouted.set(r.table, r.doc!);
    } else {
      a.appendNull();
      if (!error) {
        this.unroutedRows++;
        this.firstUnrouted ??= doc;
      }
    }
    if (doc && !error) a.appendBlob(doc);
    else a.appendNull();
    if (raw) a.appendBlob(raw);
    else a.appendNull();
    if (error) {
      a.appendVarchar(error);
      this.errorRows++;
    } else a.appendNull();
    a.endRow();
    this.rows++;
    this.pendingBytes += (doc?.length ?? 0) + (raw?.length ?? 0) + 64;
  }

  /** Makes the appended rows visible to SQL. */
  flush(): void {
    this.appender?.flushSync();
  }

  close(): void {
    this.appender?.closeSync();
    this.appender = undefined;
  }
}

/**
 * Two stage tables used in turn: JS fills one while DuckDB loads the other, so reading and
 * splitting input overlaps with the bulk passes.
 */
export class Stage {
  readonly buffers: [StageBuffer, StageBuffer];
  private index = 0;

  constructor(connection: DuckDBConnection, chunkBytes: number) {
    this.buffers = [
      new StageBuffer(connection, STAGE_TABLES[0], chunkBytes),
      new StageBuffer(connection, STAGE_TABLES[1], chunkBytes),
    ];
  }

  async reset(): Promise<void> {
    for (const b of this.buffers) await b.reset();
  }

  /** The buffer records are appended to. */
  get current(): StageBuffer {
    return this.buffers[this.index]!;
  }

  /** Switches appends to the other buffer; returns the one that was current. */
  swap(): StageBuffer {
    const was = this.current;
    this.index = 1 - this.index;
    return was;
  }

  close(): void {
    for (const b of this.buffers) b.close();
  }
}
