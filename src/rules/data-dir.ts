import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeFailure } from '../util/errors.js';

let cachedRoot: string | undefined;

/**
 * The socfeed package root: the nearest ancestor of this module holding socfeed's package.json.
 * Found by walking up rather than by a fixed `../..` so the same code works from `src/rules/`
 * (vitest) and from `dist/src/rules/` (the built CLI).
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'socfeed') {
      cachedRoot = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new RuntimeFailure('SF-DATA-MISSING', 'cannot find the socfeed package root (data/ folder)');
    dir = up;
  }
}

/** Reads a committed JSON data file under `data/`. */
export function readDataJson<T>(...parts: string[]): T {
  const file = join(packageRoot(), 'data', ...parts);
  if (!existsSync(file)) {
    throw new RuntimeFailure('SF-DATA-MISSING', `data file missing: data/${parts.join('/')}`, {
      hint: 'the package is incomplete; regenerate it with the scripts in scripts/',
    });
  }
  // The shape is guaranteed by the generator script that wrote the file, not checked here.
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
