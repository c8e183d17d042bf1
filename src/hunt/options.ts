import { existsSync } from 'node:fs';
import type { OptionSpec, OptionValues } from '../cli/command.js';
import { listOpt, stringOpt } from '../cli/command.js';
import { DEFAULT_DB_PATH, Store } from '../store/store.js';
import { rmmCatalog } from '../rules/rmm-catalog.js';
import { UserError } from '../util/errors.js';
import { loadPolicy, type Policy } from './policy.js';
import { parseNow } from '../cli/options.js';
import type { HuntOptions } from './hunt.js';

/** Options `hunt` and `rmm inventory` share, and how they are read. */
export const RULES_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  value: 'SET|PATH',
  description: 'rules to run: rmm-pack, imported, all (default), or a rule file or folder; repeatable',
};
export const POLICY_OPTION: OptionSpec = {
  type: 'string',
  value: 'FILE',
  description: 'approved-tools policy (YAML): findings of approved tools are expected, not raised',
};
export const LOOKBACK_OPTION: OptionSpec = {
  type: 'string',
  value: 'SPAN',
  description:
    "only look at events from the last SPAN before now (e.g. 5d, 12h); default: each rule's own window",
};

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

export function parseLookback(values: OptionValues): { ms: number; text: string } | undefined {
  const text = stringOpt(values, 'lookback');
  if (text === undefined) return undefined;
  const m = /^(\d+)([dhms])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) {
    throw new UserError('SF-CLI-LOOKBACK', `--lookback '${text}' is not a time span`, {
      hint: 'a whole number and a unit: 5d, 12h, 30m or 90s',
    });
  }
  return { ms: Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS], text: text.trim() };
}

export function readPolicy(values: OptionValues): Policy | undefined {
  const file = stringOpt(values, 'policy');
  return file === undefined ? undefined : loadPolicy(file, rmmCatalog());
}

export function ruleSelectors(values: OptionValues): string[] {
  return listOpt(values, 'rules');
}

/**
 * The store a hunt reads: it must exist (a hunt over nothing is a mistake worth saying). With the
 * telemetry on another engine (`remote`), the store only keeps rules, runs and findings: `hunt`
 * creates it when missing, `rmm inventory` (which records nothing) uses an in-memory one.
 */
export async function openHuntStore(
  values: OptionValues,
  writable: boolean,
  remote: { create: boolean } | undefined = undefined,
): Promise<{ store: Store; path: string }> {
  const path = stringOpt(values, 'db') ?? DEFAULT_DB_PATH;
  if (remote && !existsSync(path)) {
    return remote.create
      ? { store: await Store.open(path), path }
      : { store: await Store.open(':memory:'), path: '(in memory: no --db store)' };
  }
  if (!existsSync(path)) {
    throw new UserError('SF-STORE-MISSING', `no store at ${path}`, {
      hint: 'create one with `socfeed demo` (a demo estate) or `socfeed ingest FILE…`, or pass --db PATH',
    });
  }
  return { store: await Store.open(path, writable ? {} : { readOnly: true }), path };
}

/** The run `hunt` and `rmm inventory` read from the same flags; only recording it differs. */
export function huntOptionsFrom(values: OptionValues, persist: boolean): HuntOptions {
  const now = parseNow(values) ?? new Date();
  const lookback = parseLookback(values);
  const policy = readPolicy(values);
  return {
    rules: ruleSelectors(values),
    now,
    ...(lookback ? { lookbackMs: lookback.ms, lookbackText: lookback.text } : {}),
    ...(policy ? { policy } : {}),
    persist,
  };
}
