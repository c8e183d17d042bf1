import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/store.js';
import { generateDemo } from '../../src/store/demo/generate.js';
import { parseIsoTicks } from '../../src/store/demo/ticks.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/web/server.js';
import { cli } from '../cli-run.js';

export const NOW_ISO = '2026-06-01T12:00:00Z';
export const FIXTURE_RULES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rules');
export const SERVER_EYE_ID = '620a171b-e35d-43cd-8544-b725421e3364';
export const HOSTILE_ID = '0badc0de-0000-4000-8000-000000000001';
export const FIXTURE_SOURCE = 'fixtures';

/**
 * A real DuckDB store for the web tests: the demo estate (planted ServerEye, RPort and Kaseya
 * activity ending at NOW_ISO), the seed ServerEye rule and a hostile rule imported as source
 * `fixtures`; the bundled RMM pack is synced in when the server opens the store.
 */
export async function demoStore(devices = 12): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'socfeed-web-'));
  const db = join(dir, 'web.duckdb');
  const store = await Store.open(db);
  try {
    await generateDemo(store, { devices, days: 7, seed: 1, now: parseIsoTicks(NOW_ISO)! });
  } finally {
    store.close();
  }
  const r = await cli(
    'rules',
    'import',
    FIXTURE_RULES,
    '--db',
    db,
    '--source',
    FIXTURE_SOURCE,
    '--origin',
    'https://github.com/Azure/Azure-Sentinel/tree/main/Hunting%20Queries/Microsoft%20365%20Defender/RemoteManagementMonitoring',
    '--json',
  );
  if (r.code !== 0) throw new Error(`rules import failed: ${r.err}`);
  return db;
}

/** Policy for `hunt`: ServerEye is approved everywhere, so its sightings are expected, the rest raised. */
export const POLICY_YAML = 'approved:\n  - tool: ServerEye\n    note: monitoring by IT\n';

/**
 * Two real hunt runs (`socfeed hunt`): a day before NOW_ISO without a policy, then at NOW_ISO with
 * the policy, so the second run has new, changed and gone findings and approved tools.
 */
export async function huntTwice(db: string): Promise<void> {
  const policy = join(dirname(db), 'approved-tools.yaml');
  writeFileSync(policy, POLICY_YAML);
  for (const args of [
    ['--now', '2026-05-31T12:00:00Z'],
    ['--now', NOW_ISO, '--policy', policy],
  ]) {
    const r = await cli('hunt', '--db', db, '--format', 'json', ...args);
    if (r.code !== 0) throw new Error(`hunt failed (${r.code}): ${r.err}`);
  }
}

export async function serve(db: string, opts: Partial<ServeOptions> = {}): Promise<RunningServer> {
  return startServer({ db, port: 0, ...opts });
}

export async function getJson<T = unknown>(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), { headers });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function postJson<T = unknown>(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export async function getText(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), { headers, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
