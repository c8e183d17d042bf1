import { Worker } from 'node:worker_threads';

/*
 * Hashing runs on worker threads so that recognising inputs by content costs almost no
 * wall-clock time: the main thread and DuckDB keep ingesting meanwhile. The worker source is plain
 * CommonJS so it runs the same from TypeScript sources (tests) and from dist.
 */
// Also counts the non-blank lines: the number of records if the file is JSON lines.
const FILE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
let records = 0;
let lineHasText = false;
const isSpace = (c) => c === 32 || c === 9 || c === 13 || c === 10;
createReadStream(workerData.path, { highWaterMark: 1 << 20 })
  .on('data', (b) => {
    hash.update(b);
    let start = 0;
    for (;;) {
      const nl = b.indexOf(10, start);
      const end = nl === -1 ? b.length : nl;
      if (!lineHasText) {
        for (let i = start; i < end; i++) if (!isSpace(b[i])) { lineHasText = true; break; }
      }
      if (nl === -1) break;
      if (lineHasText) records++;
      lineHasText = false;
      start = nl + 1;
    }
  })
  .on('error', (e) => parentPort.postMessage({ error: String((e && e.message) || e) }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex'), records: records + (lineHasText ? 1 : 0) }));
`;

const STREAM_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
parentPort.on('message', (m) => {
  if (m === 'end') { parentPort.postMessage({ sha256: hash.digest('hex') }); return; }
  hash.update(m);
});
`;

interface WorkerResult {
  sha256?: string;
  records?: number;
  error?: string;
}

function result(worker: Worker): Promise<WorkerResult & { sha256: string }> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: WorkerResult) => {
      void worker.terminate();
      if (m.sha256) resolve({ ...m, sha256: m.sha256 });
      else reject(new Error(m.error ?? 'hash failed'));
    });
    worker.once('error', reject);
  });
}

export interface FileDigest {
  sha256: string;
  /** Non-blank lines: the record count when the file is JSON lines. */
  records: number;
}

/** SHA-256 (hex) of a file's bytes and its non-blank line count, read on a worker thread. */
export async function digestFile(path: string): Promise<FileDigest> {
  const r = await result(new Worker(FILE_WORKER, { eval: true, workerData: { path } }));
  return { sha256: r.sha256, records: r.records ?? 0 };
}

/** SHA-256 of bytes produced elsewhere (decompressed archive members): chunks are copied to a worker. */
export class StreamHasher {
  private readonly worker = new Worker(STREAM_WORKER, { eval: true });
  private readonly done = result(this.worker);
  /** Bytes hashed so far. */
  bytes = 0;

  constructor() {
    this.done.catch(() => {});
  }

  update(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    this.worker.postMessage(chunk);
  }

  async digest(): Promise<string> {
    this.worker.postMessage('end');
    return (await this.done).sha256;
  }

  abort(): void {
    void this.worker.terminate();
  }
}

/** SHA-256 and length of a whole byte stream. */
export async function sha256Stream(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const h = new StreamHasher();
  try {
    for await (const c of chunks) h.update(c);
  } catch (e) {
    h.abort();
    throw e;
  }
  return { sha256: await h.digest(), bytes: h.bytes };
}
