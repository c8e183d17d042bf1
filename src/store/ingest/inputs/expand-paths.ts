import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../util/errors.js';
import { globBase, globToRegExp, isGlob } from './glob.js';

/** Extensions taken from directories (a file named explicitly is read whatever its name). */
const TELEMETRY_EXTENSIONS = /\.(json|jsonl|ndjson|log|csv|tsv|parquet|zip)(\.gz)?$|\.gz$/i;

export interface InputFile {
  path: string;
  size: number;
}

export interface ExpandedInputs {
  files: InputFile[];
  /** Arguments that exist but held no telemetry file (e.g. an empty directory). */
  empty: string[];
}

async function walk(dir: string, maxDepth: number, out: string[], depth = 0): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = dir === '.' ? e.name : join(dir, e.name);
    if (e.isDirectory()) {
      if (depth + 1 < maxDepth) await walk(p, maxDepth, out, depth + 1);
    } else if (e.isFile()) out.push(p);
  }
}

async function expandGlob(pattern: string): Promise<string[]> {
  const normalized = pattern.replace(/\\/g, '/');
  const base = globBase(normalized);
  const rest = normalized.slice(base === '.' && !normalized.startsWith('./') ? 0 : base.length + 1);
  const depth = rest.includes('**') ? Infinity : rest.split('/').length;
  const re = globToRegExp(normalized.startsWith('./') ? normalized.slice(2) : normalized);
  const candidates: string[] = [];
  try {
    await walk(base, depth, candidates);
  } catch {
    return [];
  }
  return candidates.filter((p) => re.test(p.replace(/\\/g, '/').replace(/^\.\//, '')));
}

/**
 * PATH arguments → the files to ingest, in a stable order, each once. A missing path or a glob
 * that matches nothing is a user error (exit 2) raised before anything is read.
 */
export async function expandInputPaths(args: string[]): Promise<ExpandedInputs> {
  const seen = new Set<string>();
  const files: InputFile[] = [];
  const empty: string[] = [];
  const add = async (p: string) => {
    const real = await realpath(p);
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path: p, size: (await stat(p)).size });
  };
  for (const arg of args) {
    const st = await stat(arg).catch(() => undefined);
    if (st?.isFile()) {
      await add(arg);
    } else if (st?.isDirectory()) {
      const found: string[] = [];
      await walk(arg, Infinity, found);
      const telemetry = found.filter((f) => TELEMETRY_EXTENSIONS.test(f));
      if (telemetry.length === 0) empty.push(arg);
      for (const f of telemetry) await add(f);
    } else if (isGlob(arg)) {
      const matches = await expandGlob(arg);
      if (matches.length === 0) {
        throw new UserError('SF-INGEST-NO-MATCH', `no files match ${arg}`, {
          hint: 'check the pattern; quote it so that the shell does not expand it first',
        });
      }
      for (const m of matches) await add(m);
    } else {
      throw new UserError('SF-INGEST-NO-PATH', `no such file or directory: ${arg}`, {
        hint: 'pass files, directories (read recursively) or glob patterns such as "logs/**/*.json"',
      });
    }
  }
  return { files, empty };
}
