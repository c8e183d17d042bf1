import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIsoTicks, TICKS_PER_DAY } from '../../src/store/demo/ticks.js';
import type { PlantedEntry, Truth } from '../../src/store/demo/truth.js';
import { REPO_ROOT, SHARED_DIR, missingData } from '../conformance/shared-data.js';
import { tempDir } from '../demo/helpers.js';

/**
 * The walking skeleton, end to end and through the built CLI a user runs: `socfeed demo` makes a
 * store and its ground truth, and each seed page's query, run verbatim with `socfeed query`,
 * reports exactly the planted devices with the right first/last seen, count and report ids.
 */
const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
const SEED_PAGES = join(SHARED_DIR, 'seeds');
const NOW = '2026-06-01T12:00:00Z';

const SEEDS = [
  { tool: 'ServerEye', signal: 'process', file: '000_c7e6b978a14b830d.txt' },
  { tool: 'RPort', signal: 'process', file: '002_85ec6671a8263494.txt' },
  { tool: 'Kaseya', signal: 'signature', file: '004_af0687848f795552.txt' },
] as const;

interface QueryJson {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

interface SeedRow {
  DeviceId: string;
  DeviceName: string;
  FirstSeen: bigint;
  LastSeen: bigint;
  Count: number;
  Report: number[];
}

async function socfeed(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

function ticks(iso: unknown): bigint {
  const t = parseIsoTicks(String(iso));
  if (t === undefined) throw new Error(`not an ISO instant: ${String(iso)}`);
  return t;
}

/** What the seed rule must report, computed from the planted events inside its 5-day window. */
function expectedRows(truth: Truth, tool: string, signal: string): SeedRow[] {
  const end = ticks(NOW);
  const start = end - BigInt(5 * TICKS_PER_DAY);
  const out: SeedRow[] = [];
  const entries = truth.planted.filter((p: PlantedEntry) => p.tool === tool && p.signal === signal);
  for (const p of entries) {
    const inWindow = p.events.filter((e) => ticks(e.Timestamp) >= start && ticks(e.Timestamp) <= end);
    if (inWindow.length === 0) continue;
    const times = inWindow.map((e) => ticks(e.Timestamp));
    out.push({
      DeviceId: p.DeviceId,
      DeviceName: p.DeviceName,
      FirstSeen: times.reduce((a, b) => (b < a ? b : a)),
      LastSeen: times.reduce((a, b) => (b > a ? b : a)),
      Count: inWindow.length,
      Report: inWindow.map((e) => e.ReportId).sort((a, b) => a - b),
    });
  }
  return out.sort((a, b) => a.DeviceId.localeCompare(b.DeviceId));
}

function actualRows(result: QueryJson): SeedRow[] {
  const at = (name: string): number => result.columns.findIndex((c) => c.name === name);
  return result.rows
    .map((r) => ({
      DeviceId: String(r[at('DeviceId')]),
      DeviceName: String(r[at('DeviceName')]),
      FirstSeen: ticks(r[at('FirstSeen')]),
      LastSeen: ticks(r[at('LastSeen')]),
      Count: Number(r[at('Count')]),
      Report: (r[at('Report')] as number[]).slice().sort((a, b) => a - b),
    }))
    .sort((a, b) => a.DeviceId.localeCompare(b.DeviceId));
}

/** The query verbatim from a seed page: the text between its "KQL Query" and "Analytic Rule Definition" headings. */
function seedQuery(file: string): string {
  const page = readFileSync(join(SEED_PAGES, file), 'utf8');
  const m = /\nKQL Query\n\n([\s\S]*?)\n\nAnalytic Rule Definition\n/.exec(page);
  if (!m) throw new Error(`${file}: no KQL Query section`);
  return m[1]!;
}

const missing = missingData(SEED_PAGES);

describe.skipIf(missing !== undefined)('seed rules end to end on the demo store', () => {
  const dir = tempDir();
  const db = join(dir, 'demo.duckdb');
  const truthFile = join(dir, 'truth.json');
  let truth: Truth;

  beforeAll(async () => {
    await socfeed('demo', '--db', db, '--now', NOW, '--truth', truthFile, '--json');
    truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  });

  for (const seed of SEEDS) {
    it(`${seed.tool} (${seed.signal}): exactly the planted devices, times, counts and reports`, async () => {
      const queryFile = join(dir, `${seed.tool}.kql`);
      writeFileSync(queryFile, seedQuery(seed.file));
      const result = JSON.parse(
        await socfeed('query', '--db', db, '--now', NOW, '-f', queryFile, '--format', 'json'),
      ) as QueryJson;

      const names = result.columns.map((c) => c.name);
      for (const promised of ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count']) {
        expect(names).toContain(promised);
      }
      expect(result.columns.find((c) => c.name === 'FirstSeen')?.type).toBe('datetime');
      expect(result.columns.find((c) => c.name === 'Count')?.type).toBe('long');

      const expected = expectedRows(truth, seed.tool, seed.signal);
      expect(expected.length, 'the demo plants this tool inside the window').toBeGreaterThan(0);
      expect(actualRows(result)).toEqual(expected);
    });
  }

  it('reports none of the near misses', async () => {
    const reported = new Set<number>();
    for (const seed of SEEDS) {
      const queryFile = join(dir, `${seed.tool}-nm.kql`);
      writeFileSync(queryFile, seedQuery(seed.file));
      const result = JSON.parse(
        await socfeed('query', '--db', db, '--now', NOW, '-f', queryFile, '--format', 'json'),
      ) as QueryJson;
      for (const row of actualRows(result)) for (const id of row.Report) reported.add(id);
    }
    const nearMissIds = truth.nearMisses.map((n) => n.ReportId);
    expect(nearMissIds.length).toBeGreaterThan(0);
    expect(nearMissIds.filter((id) => reported.has(id))).toEqual([]);
  });
});
