import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { packageRoot } from '../rules/data-dir.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Where `vite build --config web/vite.config.ts` writes the client. */
export function defaultAssetsDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

export function clientBuilt(dir: string): boolean {
  return ['app.js', 'console.js', 'style.css'].every((f) => existsSync(join(dir, 'assets', f)));
}

/**
 * A built client file under `dir/assets`, or undefined. The path is normalised and must stay
 * inside the folder (no `..`), and only known file types are served.
 */
export function readAsset(dir: string, urlPath: string): { body: Buffer; type: string } | undefined {
  const rel = decodeURIComponent(urlPath.replace(/^\/assets\//, ''));
  if (rel.includes('\0')) return undefined;
  const base = join(dir, 'assets');
  const file = normalize(join(base, rel));
  if (!file.startsWith(base + sep)) return undefined;
  const type = TYPES[extname(file)];
  if (!type || !existsSync(file)) return undefined;
  return { body: readFileSync(file), type };
}
