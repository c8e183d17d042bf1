import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { readZipDirectory, readZipMember, unsupportedReason, type ZipEntry } from './zip.js';

/** One stream of records to read: a plain file, a gunzipped file, or a ZIP member. */
export interface ByteSource {
  /** Shown in summaries and rejects: the path, or `archive.zip!member`. */
  source: string;
  /** The name that tells the format (without .gz). */
  name: string;
  /** Opens a fresh stream of the decompressed bytes (readers that need two passes call it twice). */
  open(): AsyncIterable<Buffer>;
  /** A plain file DuckDB can read itself (Parquet); undefined for compressed or archived bytes. */
  localPath?: string;
  /** The bytes are decompressed from an archive or .gz (their hash differs from the file's). */
  compressed: boolean;
  /**
   * Decompressed size when known up front (plain file, ZIP directory, gzip trailer modulo 2^32),
   * used to skip hashing content that cannot have been seen before.
   */
  size?: number;
  /** For gzip the trailer holds the size modulo 2^32 only. */
  sizeModulo?: number;
}

export interface SkippedMember {
  source: string;
  reason: string;
}

const GZ = /\.gz$/i;

function gunzip(input: Readable): Readable {
  const out = input.pipe(createGunzip({ chunkSize: 1 << 20 }));
  input.on('error', (err) => out.destroy(err));
  return out;
}

async function* fromZipMember(
  path: string,
  entry: ZipEntry,
  onRawBytes?: (n: number) => void,
): AsyncGenerator<Buffer> {
  const member = readZipMember(path, entry, onRawBytes);
  if (!GZ.test(entry.name)) {
    yield* member;
    return;
  }
  yield* gunzip(Readable.from(member)) as AsyncIterable<Buffer>;
}

/** ISIZE from the gzip trailer: the uncompressed size modulo 2^32 (of the last member). */
async function gzipTrailerSize(path: string): Promise<number | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return undefined;
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}

function isIgnorableMember(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return name.endsWith('/') || name.startsWith('__MACOSX/') || base.startsWith('.');
}

/**
 * The byte sources inside one input file. `onRawBytes` counts bytes read from disk (for progress).
 * Archives are listed member by member; members we cannot read are returned as skipped, with why.
 */
export async function openInput(
  path: string,
  onRawBytes?: (n: number) => void,
): Promise<{ sources: ByteSource[]; skipped: SkippedMember[] }> {
  const countRaw = (s: Readable) => {
    if (onRawBytes) s.on('data', (b) => onRawBytes((b as Buffer).length));
    return s;
  };
  if (/\.zip$/i.test(path)) {
    const sources: ByteSource[] = [];
    const skipped: SkippedMember[] = [];
    for (const entry of await readZipDirectory(path)) {
      if (isIgnorableMember(entry.name)) continue;
      const source = `${path}!${entry.name}`;
      const why = unsupportedReason(entry) ?? (/\.zip$/i.test(entry.name) ? 'nested archive' : undefined);
      if (why) {
        skipped.push({ source, reason: why });
        continue;
      }
      sources.push({
        source,
        name: entry.name.replace(GZ, ''),
        open: () => fromZipMember(path, entry, onRawBytes),
        compressed: true,
        ...(GZ.test(entry.name) ? {} : { size: entry.size }),
      });
    }
    return { sources, skipped };
  }
  if (GZ.test(path)) {
    return {
      sources: [
        {
          source: path,
          name: basename(path).replace(GZ, ''),
          open: () =>
            gunzip(countRaw(createReadStream(path, { highWaterMark: 1 << 20 }))) as AsyncIterable<Buffer>,
          compressed: true,
          sizeModulo: await gzipTrailerSize(path),
        },
      ],
      skipped: [],
    };
  }
  return {
    sources: [
      {
        source: path,
        name: basename(path),
        open: () => countRaw(createReadStream(path, { highWaterMark: 1 << 20 })) as AsyncIterable<Buffer>,
        localPath: path,
        compressed: false,
        size: (await stat(path)).size,
      },
    ],
    skipped: [],
  };
}

/**
 * The same source, but the first full read also feeds `sink` (used to hash decompressed content
 * while it is ingested, instead of decompressing it twice).
 */
export function teeFirstRead(source: ByteSource, sink: (chunk: Buffer) => void): ByteSource {
  let first = true;
  return {
    ...source,
    open: () => {
      if (!first) return source.open();
      first = false;
      return (async function* () {
        for await (const chunk of source.open()) {
          sink(chunk);
          yield chunk;
        }
      })();
    },
  };
}
