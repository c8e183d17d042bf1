import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import type { DuckDBValue } from '@duckdb/node-api';
import { Store } from '../../src/store/store.js';
import { ingestPaths, type IngestOptions, type IngestSummary } from '../../src/store/ingest/index.js';
import { runCli } from '../../src/cli/main.js';
import { SHARED_DIR } from '../conformance/shared-data.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared data next to the repository (tests may read it; the product never does). */
export const SHARED = SHARED_DIR;
export const TELEMETRY = join(SHARED, 'telemetry');

export interface Sandbox {
  dir: string;
  db: string;
  file(name: string, content: string | Buffer): string;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'socfeed-ingest-test-'));
  return {
    dir,
    db: join(dir, 'store.duckdb'),
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens the store, ingests, closes it again (so that the next step sees committed data only). */
export async function ingest(db: string, paths: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const store = await Store.open(db);
  try {
    return await ingestPaths(store, paths, opts);
  } finally {
    store.close();
  }
}

/** Rows of a query as plain objects, values converted to JSON-friendly JS (bigint → number, timestamps → text). */
export async function query(
  db: string,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Record<string, unknown>[]> {
  const store = await Store.open(db, { readOnly: true });
  try {
    const reader = await store.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    store.close();
  }
}

export async function count(db: string, table: string, where = 'true'): Promise<number> {
  const [row] = await query(db, `SELECT count(*) AS n FROM "${table}" WHERE ${where}`);
  return Number(row!['n']);
}

/** One Defender streaming-API record (Storage/Event Hubs element). */
export function streamRecord(table: string, properties: Record<string, unknown>): Record<string, unknown> {
  return {
    time: '2024-05-01T10:00:05.1234567Z',
    tenantId: 'c0ffee00-0000-4000-8000-000000000001',
    operationName: 'Publish',
    category: `AdvancedHunting-${table}`,
    properties: { MachineGroup: 'UnassignedGroup', ...properties },
  };
}

export function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** A ZIP archive (stored or deflated members) written by hand: the product's reader must not be its own oracle. */
export function zipArchive(members: { name: string; data: Buffer; deflate?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const crc = crc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(m.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(m.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI entry in-process with captured output. */
export async function cli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = {
    write: (t: string) => ((stdout += t), true),
    isTTY: false,
  } as unknown as NodeJS.WritableStream;
  const err = { write: (t: string) => ((stderr += t), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await runCli(args, { stdout: out, stderr: err, stdin: process.stdin, env: {} });
  return { code, stdout, stderr };
}
