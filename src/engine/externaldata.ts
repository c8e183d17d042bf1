/**
 * externaldata resolved from local files. socfeed never downloads anything while running a query:
 * each URL of an `externaldata` operator is looked up in a directory the user names
 * (`--externaldata-dir DIR`, RunOptions.externalDataDir):
 *   1. DIR/externaldata.json, an object mapping a URL to a file path relative to DIR (for URLs
 *      whose file names are ambiguous or empty, like `…/export/csv/recent/`);
 *   2. otherwise the URL's last non-empty path segment, URL-decoded, as a file name in DIR.
 * The file is parsed in the declared format and its rows replace the binder's placeholder
 * (a values node carrying `external`), so every dialect sees ordinary constant rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { diag, type Diagnostic } from '../kql/diagnostics.js';
import type { ExternalSource, IrColumn, Rel } from '../sql/ir/nodes.js';
import { mapRel } from '../sql/ir/walk.js';
import { parseExternalRecords } from './externaldata-formats.js';
import { cellConst } from './externaldata-cells.js';
import type { IrExpr } from '../sql/ir/expr.js';

export const EXTERNALDATA_MANIFEST = 'externaldata.json';

/** Replaces every externaldata placeholder in `rel` by the rows of its local copy. */
export function resolveExternalData(
  rel: Rel,
  dir: string | undefined,
): { rel: Rel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let manifest: Record<string, string> | undefined;
  const out = mapRel(rel, {
    rel(r) {
      if (r.kind !== 'values' || !r.external) return undefined;
      if (dir !== undefined && manifest === undefined) {
        const m = readManifest(dir);
        if ('error' in m) {
          diagnostics.push(diag('SF304', m.error, r.external.span));
          return undefined;
        }
        manifest = m.map;
      }
      const rows: IrExpr[][] = [];
      for (const url of r.external.urls) {
        const text = readLocalCopy(url, dir, manifest ?? {}, r.external, diagnostics);
        if (text === undefined) return undefined;
        rows.push(...toRows(text, r.external, r.cols));
      }
      return { kind: 'values', cols: r.cols, rows };
    },
  });
  return { rel: out, diagnostics };
}

/** The file name a URL maps to by default: its last non-empty path segment. */
export function externalFileName(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0]!;
  }
  const seg = path
    .split('/')
    .filter((s) => s.length > 0)
    .pop();
  if (!seg) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(seg);
  } catch {
    name = seg;
  }
  // A file name, never a path: a URL cannot point outside the directory.
  return name === '.' || name === '..' || /[/\\]/.test(name) ? undefined : name;
}

function readManifest(dir: string): { map: Record<string, string> } | { error: string } {
  const file = join(dir, EXTERNALDATA_MANIFEST);
  if (!existsSync(file)) return { map: {} };
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      !Object.values(parsed).every((v) => typeof v === 'string')
    ) {
      return { error: `${file} must be a JSON object mapping URLs to file names` };
    }
    return { map: parsed as Record<string, string> };
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as Error).message}` };
  }
}

function readLocalCopy(
  url: string,
  dir: string | undefined,
  manifest: Record<string, string>,
  ext: ExternalSource,
  out: Diagnostic[],
): string | undefined {
  const name = externalFileName(url);
  const hint = `socfeed never downloads: save the file as ${name ? `'${name}'` : 'any name'} in a directory passed with --externaldata-dir DIR${name ? '' : ` and map the URL to it in DIR/${EXTERNALDATA_MANIFEST}`}`;
  if (dir === undefined) {
    out.push(diag('SF304', `externaldata needs a local copy of ${url}`, ext.span, { hint }));
    return undefined;
  }
  const mapped = manifest[url];
  let file: string | undefined;
  if (mapped !== undefined) {
    const full = resolve(dir, mapped);
    const rel = relative(resolve(dir), full);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      out.push(diag('SF304', `${EXTERNALDATA_MANIFEST} maps ${url} outside ${dir}`, ext.span));
      return undefined;
    }
    file = full;
  } else if (name !== undefined) file = join(dir, name);
  if (file === undefined || !existsSync(file)) {
    const looked = mapped ?? name;
    out.push(
      diag(
        'SF304',
        `externaldata: no local copy of ${url} in ${dir}${looked ? ` (looked for '${looked}')` : ''}`,
        ext.span,
        { hint },
      ),
    );
    return undefined;
  }
  return readFileSync(file, 'utf8');
}

function toRows(text: string, ext: ExternalSource, cols: IrColumn[]): IrExpr[][] {
  const records = parseExternalRecords(
    text,
    ext.format,
    cols.map((c) => c.name),
  );
  const kept = ext.ignoreFirstRecord ? records.slice(1) : records;
  return kept.map((rec) => cols.map((c, i) => cellConst(rec[i], c.type)));
}
