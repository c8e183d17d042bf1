/* global process, console */
// `npm run test:clickhouse`: installs chdb into test/clickhouse/chdb-env from its committed lock
// when it is missing (about 180 MB download, 540 MB on disk), then runs the ClickHouse suites with
// chdb required — a missing or broken chdb fails the run instead of skipping.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const env = join(here, 'chdb-env');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(join(env, 'node_modules', 'chdb', 'package.json'))) {
  console.log('installing chdb into test/clickhouse/chdb-env (npm ci)…');
  const r = spawnSync(npm, ['ci', '--prefix', env, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) {
    console.error('npm ci in test/clickhouse/chdb-env failed; the ClickHouse suites need chdb');
    process.exit(r.status ?? 1);
  }
}
const extra = process.argv.slice(2);
const files = extra.length ? extra : ['test/clickhouse', 'test/adx'];
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, SOCFEED_REQUIRE_CHDB: '1' },
});
process.exit(r.status ?? 1);
