export { cli } from '../cli-run.js';
import { cli } from '../cli-run.js';
import { SHARED_DIR } from '../conformance/shared-data.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tests may read the shared sources; the product never does. */
export const RMM_TOOLS = join(SHARED_DIR, 'rmm-sources', 'rmm-monitoring-tools');

/** Where the upstream copy comes from, so imported rules link to their original files. */
export const RMM_TOOLS_ORIGIN =
  'https://github.com/jischell-msft/RemoteManagementMonitoringTools/tree/7bb251e68abd13989445195e9d812cb189277715';

export const SEED_IDS = {
  serverEye: '620a171b-e35d-43cd-8544-b725421e3364',
  rport: 'c9f414d3-beeb-4837-a5a1-cb5da313e37f',
  kaseya: '732033dd-039b-426e-844f-1de2a67362fa',
} as const;

export function tempDir(prefix = 'socfeed-publish-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A store holding the 168 upstream RMM rules (linked to GitHub), as `rules import` leaves it. */
export async function importUpstream(db: string): Promise<void> {
  const r = await cli('rules', 'import', RMM_TOOLS, '--db', db, '--origin', RMM_TOOLS_ORIGIN, '--json');
  if (r.code !== 0) throw new Error(`import failed: ${r.err}`);
}
