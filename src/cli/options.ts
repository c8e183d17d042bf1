import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { DEFAULT_DB_PATH, Store } from '../store/store.js';
import { stringOpt, type OptionSpec, type OptionValues } from './command.js';
import { closestMatch } from '../util/suggest.js';

export const DB_OPTION: OptionSpec = {
  type: 'string',
  value: 'PATH',
  description: `DuckDB store file (default ${DEFAULT_DB_PATH})`,
};
export const NOW_OPTION: OptionSpec = {
  type: 'string',
  value: 'ISO',
  description: 'pin now() to this time, e.g. 2024-05-01T12:00:00Z',
};
export const JSON_OPTION: OptionSpec = { type: 'boolean', description: 'machine-readable JSON output' };

export function parseNow(values: OptionValues): Date | undefined {
  const text = stringOpt(values, 'now');
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UserError('SF-CLI-NOW', `--now '${text}' is not an ISO 8601 time`, {
      hint: 'e.g. --now 2024-05-01T12:00:00Z',
    });
  }
  return d;
}

export function parseChoice<T extends string>(
  values: OptionValues,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const v = stringOpt(values, name);
  if (v === undefined) return fallback;
  if ((choices as readonly string[]).includes(v)) return v as T;
  const near = closestMatch(v, choices);
  throw new UserError(
    'SF-CLI-CHOICE',
    `--${name} must be one of ${choices.join(', ')} (got '${v}')`,
    near ? { hint: `did you mean ${near}?` } : {},
  );
}

export function parsePositiveInt(values: OptionValues, name: string, fallback: number): number {
  const v = stringOpt(values, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) <= 0)
    throw new UserError('SF-CLI-NUMBER', `--${name} must be a positive whole number (got '${v}')`);
  return Number(v);
}

/**
 * Opens the store for reading. When the user did not name a store and the default one does not
 * exist, queries still run (on empty tables) with a note, so `socfeed query "print 1"` works.
 */
export async function openStoreForQuery(values: OptionValues, note: (t: string) => void): Promise<Store> {
  const explicit = stringOpt(values, 'db');
  const path = explicit ?? DEFAULT_DB_PATH;
  if (!existsSync(path)) {
    if (explicit)
      throw new UserError('SF-STORE-MISSING', `no store at ${path}`, {
        hint: 'create one with `socfeed demo --db PATH` or `socfeed ingest --db PATH FILE…`',
      });
    note(
      `note: no store at ${path}; running on empty tables (create one with \`socfeed demo\` or \`socfeed ingest\`)`,
    );
    return Store.open(':memory:');
  }
  return Store.open(path, { readOnly: true });
}
