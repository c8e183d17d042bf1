import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../data-dir.js';

/**
 * Where socfeed's published outputs (SARIF, feeds, Navigator layers) say they come from.
 * TODO(lead): the project has no public home yet; replace this one constant when it has.
 */
export const SOCFEED_HOME = 'https://github.com/socfeed/socfeed';

let version: string | undefined;

/** socfeed's version, from its package.json. */
export function socfeedVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}
