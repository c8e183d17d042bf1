import { cli } from '../cli-run.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLANTED_TOOLS } from '../../src/store/demo/rmm.js';
import type { Truth } from '../../src/store/demo/truth.js';
import { tempDir } from './helpers.js';

describe('socfeed demo (CLI)', () => {
  const dir = tempDir();

  it('prints one JSON summary and nothing else with --json, and writes the truth file', async () => {
    const db = join(dir, 'json.duckdb');
    const truthPath = join(dir, 'truth.json');
    const r = await cli(
      'demo',
      '--db',
      db,
      '--devices',
      '8',
      '--days',
      '6',
      '--seed',
      '3',
      '--now',
      '2026-06-01T12:00:00.1234567Z',
      '--truth',
      truthPath,
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({
      db,
      devices: 8,
      days: 6,
      seed: 3,
      now: '2026-06-01T12:00:00.1234567Z',
      truth: truthPath,
    });
    expect(Object.keys(summary['rows'] as object)).toEqual([
      'DeviceInfo',
      'DeviceProcessEvents',
      'DeviceNetworkEvents',
      'DeviceFileCertificateInfo',
      'DeviceFileEvents',
      'DeviceLogonEvents',
    ]);
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;
    expect(truth.now).toBe('2026-06-01T12:00:00.1234567Z');
    expect(truth.seed).toBe(3);
    expect(truth.devices).toHaveLength(8);
    expect(new Set(truth.planted.map((p) => p.tool))).toEqual(new Set(PLANTED_TOOLS));
    expect(truth.nearMisses.length).toBeGreaterThan(0);
  });

  it('prints a human summary that says what to run next', async () => {
    const r = await cli(
      'demo',
      '--db',
      join(dir, 'human.duckdb'),
      '--devices',
      '3',
      '--days',
      '2',
      '--now',
      '2026-06-01T12:00:00Z',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Generated a demo estate');
    expect(r.out).toMatch(/ServerEye\s+process starts/);
    expect(r.out).toContain('socfeed query');
  });

  it('rejects bad flag values with a clear message and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['--devices', 'abc'], /--devices must be a whole number from 1 to 2000 \(got 'abc'\)/],
      [['--devices', '0'], /--devices must be a whole number/],
      [['--days', '1.5'], /--days must be a whole number from 1 to 90/],
      [['--seed=-1'], /--seed must be a whole number/],
      [['--now', 'next tuesday'], /--now 'next tuesday' is not an ISO 8601 time/],
      [['--now', '2026-02-30T00:00:00Z'], /is not an ISO 8601 time/],
      [['--truth', join(dir, 'no-such-dir', 't.json')], /folder does not exist/],
    ];
    for (const [args, message] of cases) {
      const db = join(dir, 'bad.duckdb');
      const r = await cli('demo', '--db', db, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    }
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('refuses to write into a store that already has demo rows unless --replace', async () => {
    const db = join(dir, 'twice.duckdb');
    const args = [
      'demo',
      '--db',
      db,
      '--devices',
      '2',
      '--days',
      '1',
      '--now',
      '2026-06-01T12:00:00Z',
      '--json',
    ];
    expect((await cli(...args)).code).toBe(0);
    const again = await cli(...args);
    expect(again.code).toBe(2);
    expect(again.err).toContain('SF-DEMO-NOT-EMPTY');
    expect(again.err).toContain('--replace');
    const replaced = await cli(...args, '--replace');
    expect(replaced.code).toBe(0);
  });
});
