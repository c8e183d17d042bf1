import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.js';
import type { Rule, RuleDiagnostic, RuleProvenance } from './model.js';
import { parseRuleFile } from './parse-rule.js';
import {
  isRemoteLocation,
  pathInOrigin,
  sourceOrigin,
  urlInOrigin,
  type SourceOrigin,
} from './provenance.js';

export interface LoadOptions {
  /** Time recorded as each rule's retrieval time (default: now). */
  now?: Date;
  /** GitHub URL to link files to when the folder is a copy, not a git checkout. */
  origin?: string;
  /** Called once per file read, for progress display. */
  onFile?: () => void;
}

export interface LoadResult {
  rules: Rule[];
  diagnostics: RuleDiagnostic[];
  /** Every YAML file looked at (absolute paths), including skipped ones. */
  files: string[];
  /** Files that produced an error (their rules were skipped). */
  failedFiles: string[];
  origin: SourceOrigin;
}

/** Folders never searched for rules. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.github']);

/** YAML files under `path` (or `path` itself), sorted so loads are deterministic. */
export function listRuleFiles(path: string): string[] {
  const abs = resolve(path);
  if (!statSync(abs).isDirectory()) return [abs];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(p);
      } else if (/\.ya?ml$/i.test(entry.name)) {
        out.push(p);
      }
    }
  };
  walk(abs);
  return out;
}

/** Checks a path argument before anything is read: local and existing, or a clear error. */
export function checkRulePath(path: string): void {
  if (isRemoteLocation(path)) {
    throw new UserError(
      'SF-RULES-URL',
      `cannot import from '${path}': socfeed does not download rule repositories`,
      {
        hint: `clone it first (git clone ${path}) and import the local folder`,
      },
    );
  }
  if (!existsSync(path)) throw new UserError('SF-RULES-MISSING', `no such file or folder: ${path}`);
}

/**
 * Loads the rules in a file or a folder tree. Every file is read; one that cannot be used is
 * reported (file, line, column) and skipped, and the load goes on. Two files with the same rule
 * id: the first (in path order) is kept.
 */
export function loadRules(path: string, opts: LoadOptions = {}): LoadResult {
  checkRulePath(path);
  const origin = sourceOrigin(path, opts.origin);
  const retrievedAt = (opts.now ?? new Date()).toISOString();
  const files = listRuleFiles(path);
  const rules: Rule[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const failed = new Set<string>();
  const seen = new Map<string, string>();
  for (const file of files) {
    opts.onFile?.();
    const display = displayPath(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({
        code: 'SF-RULE-READ',
        severity: 'error',
        message: (e as Error).message,
        file: display,
        line: 1,
        column: 1,
      });
      failed.add(file);
      continue;
    }
    const relPath = pathInOrigin(origin, file);
    const provenance: RuleProvenance = {
      repository: origin.repository,
      path: relPath,
      localPath: file,
      retrievedAt,
    };
    if (origin.commit) provenance.commit = origin.commit;
    if (origin.branch) provenance.branch = origin.branch;
    const url = urlInOrigin(origin, relPath);
    if (url) provenance.url = url;
    const parsed = parseRuleFile(text, display, provenance);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) failed.add(file);
    if (!parsed.rule) continue;
    const first = seen.get(parsed.rule.id);
    if (first) {
      diagnostics.push({
        code: 'SF-RULE-DUPLICATE-ID',
        severity: 'error',
        message: `rule id ${parsed.rule.id} is also used by ${first}`,
        file: display,
        line: 1,
        column: 1,
      });
      failed.add(file);
      continue;
    }
    seen.set(parsed.rule.id, display);
    rules.push(parsed.rule);
  }
  return { rules, diagnostics, files, failedFiles: [...failed], origin };
}

/** Relative to the working directory when inside it (shorter messages), else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}
