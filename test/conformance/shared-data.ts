/**
 * Where the measurement data lives. The corpus and the documented examples are shared project
 * data kept next to the repository (`../shared`), not copied into it; point SOCFEED_SHARED_DIR
 * elsewhere if your checkout differs. Suites that need a missing file skip with a visible note
 * instead of failing, so a clone without the data still runs its unit tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED_DIR = process.env['SOCFEED_SHARED_DIR'] ?? join(REPO_ROOT, '..', 'shared');

export const CORPUS_FILE = join(SHARED_DIR, 'corpus', 'kql-hunting.jsonl');
export const DOC_EXAMPLES_FILE = join(SHARED_DIR, 'kql-reference', 'doc-examples.jsonl');
export const DOC_DERIVED_FILE = join(SHARED_DIR, 'kql-reference', 'doc-derived-examples.jsonl');

/** Why a data file cannot be used, or undefined when it is there. */
export function missingData(file: string): string | undefined {
  return existsSync(file) ? undefined : `data file not found: ${file} (set SOCFEED_SHARED_DIR)`;
}

/** Reads a JSONL file; `check` validates each record's shape and names what is wrong. */
export function readJsonl<T>(file: string, check: (value: unknown) => value is T): T[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const value: unknown = JSON.parse(line);
    if (!check(value)) throw new Error(`${file}:${i + 1}: record does not have the expected fields`);
    out.push(value);
  });
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
