import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KqlCell } from '../../src/engine/types.js';

export const NOW_ISO = '2026-06-01T12:00:00Z';
export const NOW = new Date(NOW_ISO);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'socfeed-hunt-'));
}

export { cli } from '../cli-run.js';

/** A cell in a form that compares equal whatever order a set-valued aggregate produced. */
function canonical(v: KqlCell): string {
  if (Array.isArray(v)) return JSON.stringify(v.map((x) => JSON.stringify(x)).sort());
  return JSON.stringify(v);
}

/** Rows as sorted canonical lines: result sets compared as multisets. */
export function rowSet(rows: KqlCell[][]): string[] {
  return rows.map((r) => r.map(canonical).join('\t')).sort();
}
