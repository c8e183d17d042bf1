import type { SchemaCatalog } from '../../../schema/index.js';
import type { Store } from '../../store.js';
import type { ChunkLoader } from '../chunk-loader.js';
import type { FileCounters } from '../file-counters.js';
import type { ByteSource } from '../inputs/open-input.js';
import type { RecordFraming } from './detect.js';
import { forEachLine } from './lines.js';
import { JsonRecordScanner } from './json-scanner.js';

/** What a format reader gets: where to read from and where records go. */
export interface ReadContext {
  store: Store;
  schema: SchemaCatalog;
  source: ByteSource;
  framing: RecordFraming;
  loader: ChunkLoader;
  counters: FileCounters;
  /** --table: the table of flat records that do not name one. */
  defaultTable?: string;
}

/**
 * Calls `onRecord` for each JSON record of the source (a line, or an element of a document) with
 * its bytes, line and record number; `onError` for framing errors (a truncated document). Awaits
 * the loader between input buffers so that memory stays bounded.
 */
export async function forEachJsonRecord(
  ctx: ReadContext,
  onRecord: (bytes: Buffer, line: number, rec: number) => void,
  onError: (message: string, line: number, raw: Buffer, rec: number) => void,
): Promise<void> {
  let rec = 0;
  const between = () => ctx.loader.maybeFlush();
  if (ctx.framing === 'lines') {
    await forEachLine(ctx.source.open(), (bytes, line) => onRecord(bytes, line, ++rec), between);
    return;
  }
  const scanner = new JsonRecordScanner(
    (r) => onRecord(r.bytes, r.line, ++rec),
    (message, line, raw) => onError(message, line, raw, ++rec),
  );
  let first = true;
  for await (let buf of ctx.source.open()) {
    if (first) {
      first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    scanner.feed(buf);
    await between();
  }
  scanner.end();
}
