import { readFileSync } from 'node:fs';
import { DIAGNOSTIC_CODES, lineCol, type Diagnostic } from '../kql/diagnostics.js';
import type { SchemaCatalog } from '../schema/index.js';
import { analyzeKql } from '../sql/compile.js';
import { loadRules, type LoadResult } from './load.js';
import { queryPositionInFile, RULE_DIAGNOSTIC_CODES, type Rule, type RuleDiagnostic } from './model.js';

/**
 * Rule validation for CI: every rule file is loaded (YAML problems are findings too) and every
 * rule's query is parsed and bound against the table schemas. Each finding carries the file, line
 * and column in the YAML file, so an editor or a code-scanning UI points at the right character.
 */

export type FindingSeverity = 'error' | 'warning';

export interface ValidationFinding {
  /** `SF102` (query) or `SF-RULE-YAML` (file). */
  code: string;
  severity: FindingSeverity;
  message: string;
  hint?: string;
  /** The file as the loader names it: relative to the working directory when inside it. */
  file: string;
  /** 1-based, in the YAML file; `end…` is exclusive (the character after the span). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The rule the finding is about, when it is about a query. */
  ruleId?: string;
  ruleName?: string;
}

export interface ValidationReport {
  /** YAML files looked at. */
  files: number;
  /** Rules whose query was checked. */
  rules: number;
  errors: number;
  warnings: number;
  /** In file order, then position. */
  findings: ValidationFinding[];
}

export interface ValidateOptions {
  schema: SchemaCatalog;
  /** `now()` while binding (does not change what is valid; pinned for reproducible runs). */
  now?: Date;
}

/** Every code a finding can carry, with a one-line description (the SARIF rules list). */
export const VALIDATION_CODES: Record<string, string> = { ...DIAGNOSTIC_CODES, ...RULE_DIAGNOSTIC_CODES };

/** Loads and validates the rules under each path (files or folders). */
export function validatePaths(paths: string[], opts: ValidateOptions): ValidationReport {
  const loads = paths.map((p) => loadRules(p, opts.now ? { now: opts.now } : {}));
  return validateLoads(loads, opts);
}

export function validateLoads(loads: LoadResult[], opts: ValidateOptions): ValidationReport {
  const findings: ValidationFinding[] = [];
  let files = 0;
  let rules = 0;
  for (const load of loads) {
    files += load.files.length;
    for (const d of load.diagnostics) {
      // `info` is "a YAML file without rule fields": not a problem with a rule.
      if (d.severity !== 'info') findings.push(loaderFinding(d));
    }
    for (const rule of load.rules) {
      rules++;
      findings.push(...validateRuleQuery(rule, opts, displayPath(rule.provenance.localPath)));
    }
  }
  findings.sort(compareFindings);
  return {
    files,
    rules,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
  };
}

/**
 * The query findings of one rule, positioned in its file. `file` is how to name the file
 * (default: the rule's path in its repository).
 */
export function validateRuleQuery(
  rule: Rule,
  opts: ValidateOptions,
  file = rule.provenance.path,
): ValidationFinding[] {
  return analyzeWithRecovery(rule.query, opts).map((d) => {
    const start = filePosition(rule, d.span.start);
    const end = filePosition(rule, Math.max(d.span.end, d.span.start + 1));
    const exact = start.exact && end.exact;
    const f: ValidationFinding = {
      code: d.code,
      severity: d.severity,
      message: start.exact ? d.message : `${d.message} (${queryPositionText(rule.query, d.span.start)})`,
      file,
      line: start.line,
      column: start.column,
      // An inexact position covers one character: the start of the query.
      endLine: exact ? end.line : start.line,
      endColumn: exact ? end.column : start.column + 1,
      ruleId: rule.id,
      ruleName: rule.name,
    };
    if (d.hint) f.hint = d.hint;
    return f;
  });
}

/** How many "did you mean" corrections are assumed, at most, to look for further errors. */
const MAX_CORRECTIONS = 8;
const SUGGESTION = /^unknown (?:column|table|function|tabular function) '([^']+)'; did you mean '([^']+)'\?$/;

/**
 * The query's diagnostics, continuing past typos. The binder stops a statement at its first
 * error, so a rule with a misspelt column and a missing one would need two CI runs to show both.
 * Like a compiler's typo correction, an error that names a suggestion (`did you mean 'SHA1'?`)
 * is assumed corrected and the query analysed again; only new findings are added, at their
 * positions in the original text. Syntax errors are not corrected: binding needs a parse.
 */
function analyzeWithRecovery(query: string, opts: ValidateOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Replacements made so far, each in the coordinates of the text it was made in.
  const edits: { start: number; oldEnd: number; newEnd: number }[] = [];
  const toOriginal = (offset: number): number => {
    let o = offset;
    for (let i = edits.length - 1; i >= 0; i--) {
      const e = edits[i]!;
      if (o >= e.newEnd) o += e.oldEnd - e.newEnd;
      else if (o > e.start) o = e.start;
    }
    return o;
  };
  const analyzeOpts = opts.now ? { schema: opts.schema, now: opts.now } : { schema: opts.schema };
  let text = query;
  for (let round = 0; round <= MAX_CORRECTIONS; round++) {
    const diags = analyzeKql(text, analyzeOpts).diagnostics;
    let correction: { span: Diagnostic['span']; replacement: string } | undefined;
    for (const d of diags) {
      const span = { start: toOriginal(d.span.start), end: toOriginal(d.span.end) };
      if (!out.some((x) => x.code === d.code && x.span.start === span.start)) out.push({ ...d, span });
      const m = SUGGESTION.exec(d.message);
      if (!correction && d.severity === 'error' && m && text.slice(d.span.start, d.span.end) === m[1]) {
        correction = { span: d.span, replacement: m[2]! };
      }
    }
    if (!correction) break;
    const { span, replacement } = correction;
    text = text.slice(0, span.start) + replacement + text.slice(span.end);
    edits.push({ start: span.start, oldEnd: span.end, newEnd: span.start + replacement.length });
  }
  return out;
}

/**
 * The file position of an offset in the rule's query, and whether it is exact. Only a literal block
 * or a one-line scalar maps exactly: folding (`>`, multi-line quoted or plain scalars) joins file
 * lines, so even the query's first line may span several lines of the file.
 */
function filePosition(rule: Rule, offset: number): { line: number; column: number; exact: boolean } {
  const { line, col } = lineCol(rule.query, offset);
  const pos = rule.queryLocation.exact ? queryPositionInFile(rule.queryLocation, line, col) : undefined;
  if (pos) return { ...pos, exact: true };
  return { line: rule.queryLocation.line, column: rule.queryLocation.column, exact: false };
}

function queryPositionText(query: string, offset: number): string {
  const { line, col } = lineCol(query, offset);
  return `at line ${line}, column ${col} of the query`;
}

function loaderFinding(d: RuleDiagnostic): ValidationFinding {
  return {
    code: d.code,
    severity: d.severity === 'error' ? 'error' : 'warning',
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.line,
    endColumn: d.column + 1,
  };
}

/** As the loader names files in its diagnostics: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const cwd = process.cwd().replace(/\\/g, '/');
  const p = file.replace(/\\/g, '/');
  return p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p;
}

function compareFindings(a: ValidationFinding, b: ValidationFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

// ───────────────────────── text output ─────────────────────────

/**
 * Compiler-style text: `file:line:col: error[SF102]: message`, the file's line with a caret under
 * the span, the hint; then a summary line. `readText` gives a file's text for the excerpt.
 */
export function renderValidationText(
  report: ValidationReport,
  readText: (file: string) => string | undefined = readFileOrUndefined,
): string {
  const cache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!cache.has(file))
      cache.set(
        file,
        readText(file)
          ?.replace(/^\uFEFF/, '')
          .split(/\r?\n/),
      );
    return cache.get(file);
  };
  const blocks = report.findings.map((f) => {
    const out = [`${f.file}:${f.line}:${f.column}: ${f.severity}[${f.code}]: ${oneLine(f.message)}`];
    const lineText = linesOf(f.file)?.[f.line - 1];
    const gutter = ' '.repeat(String(f.line).length);
    if (lineText !== undefined) {
      // A tab becomes one space, so columns (counted in characters) still line up.
      const shown = oneLine(lineText.replace(/\t/g, ' '));
      const rest = Math.max(1, shown.length - f.column + 1);
      const width = f.endLine === f.line ? Math.min(Math.max(1, f.endColumn - f.column), rest) : rest;
      out.push(
        `${gutter} |`,
        `${f.line} | ${shown}`,
        `${gutter} | ${' '.repeat(f.column - 1)}${'^'.repeat(width)}`,
      );
    }
    if (f.hint) out.push(`${gutter} = hint: ${oneLine(f.hint)}`);
    return out.join('\n');
  });
  blocks.push(summaryLine(report));
  return blocks.join('\n\n');
}

export function summaryLine(r: ValidationReport): string {
  const filesWithErrors = new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.file)).size;
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return (
    `checked ${n(r.rules, 'rule')} in ${n(r.files, 'file')}: ` +
    `${n(r.errors, 'error')}${r.errors ? ` in ${n(filesWithErrors, 'file')}` : ''}, ${n(r.warnings, 'warning')}`
  );
}

function readFileOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Rule text is untrusted: no line breaks or control characters reach the terminal from it. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return s.replace(/\r?\n/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}
