import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { Store } from '../../src/store/store.js';
import { generateDemo, type DemoOptions, type DemoSummary } from '../../src/store/demo/generate.js';
import { parseIsoTicks } from '../../src/store/demo/ticks.js';
import type { Truth } from '../../src/store/demo/truth.js';

export const NOW_ISO = '2026-06-01T12:00:00Z';
export const NOW = parseIsoTicks(NOW_ISO)!;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'socfeed-demo-'));
}

export interface Generated {
  path: string;
  summary: DemoSummary;
  truth: Truth;
}

/** Generates an estate into a new DuckDB file and closes it again. */
export async function generateInto(
  dir: string,
  name: string,
  opts: Partial<DemoOptions> = {},
): Promise<Generated> {
  const path = join(dir, `${name}.duckdb`);
  const store = await Store.open(path);
  try {
    const { summary, truth } = await generateDemo(store, {
      devices: 25,
      days: 7,
      seed: 1,
      now: NOW,
      ...opts,
    });
    return { path, summary, truth };
  } finally {
    store.close();
  }
}

export async function withStore<T>(path: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(path);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export async function rows(store: Store, sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
  return (await store.query(sql, params)).rows;
}

/** Order-independent fingerprint of a table's full contents (every column, hidden ones too). */
export async function tableHash(store: Store, table: string): Promise<string> {
  const r = await rows(
    store,
    `SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(x)::HUGEINT), 0)::VARCHAR FROM "${table}" x`,
  );
  return String(r[0]![0]);
}

/**
 * KQL `has` as written in semantics.md 1.2, for test queries in plain SQL: the needle must occur
 * with non-alphanumeric (ASCII) characters or the string's ends on each side where the needle's
 * edge is alphanumeric; case-insensitive. Returns an SQL predicate and its bound pattern.
 */
export function hasSql(column: string, needle: string): { sql: string; param: string } {
  const escaped = needle.toLowerCase().replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  const left = /^[A-Za-z0-9]/.test(needle) ? '(^|[^a-z0-9])' : '';
  const right = /[A-Za-z0-9]$/.test(needle) ? '($|[^a-z0-9])' : '';
  return { sql: `regexp_matches(lower("${column}"), ?)`, param: `${left}${escaped}${right}` };
}

/** ISO-8601 text → epoch nanoseconds, to compare with `epoch_ns(Timestamp)`. */
export function isoToNanos(iso: string): bigint {
  const ticks = parseIsoTicks(iso);
  if (ticks === undefined) throw new Error(`bad ISO time ${iso}`);
  return ticks * 100n;
}
