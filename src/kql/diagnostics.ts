/**
 * Every diagnostic socfeed's KQL front end can produce, with a stable code. Codes are API:
 * tests, SARIF output and users' scripts match on them.
 *   SF0xx syntax · SF1xx names and schema · SF2xx types and signatures ·
 *   SF3xx valid KQL that socfeed (or this dialect) does not support · SF9xx internal errors.
 */
export interface Span {
  /** UTF-16 offsets into the query text, end exclusive. */
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  hint?: string;
}

export const DIAGNOSTIC_CODES = {
  SF001: 'unexpected token',
  SF002: 'unexpected character',
  SF003: 'unterminated string or comment',
  SF004: 'invalid literal',
  SF005: 'missing expression or operator',
  SF006: 'query nested too deeply',
  SF101: 'unknown table',
  SF102: 'unknown column',
  SF103: 'unknown function',
  SF104: 'unknown name',
  SF105: 'duplicate column name',
  SF106: 'ambiguous column',
  SF201: 'wrong argument type',
  SF202: 'wrong number of arguments',
  SF203: 'operator not applicable to these types',
  SF204: 'expected a constant',
  SF205: 'expected a tabular expression',
  SF206: 'expected a scalar expression',
  SF301: 'operator not supported',
  SF302: 'function not supported',
  SF303: 'feature not supported',
  SF304: 'external data not available',
  SF900: 'internal error',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diag(
  code: DiagnosticCode,
  message: string,
  span: Span,
  opts: { hint?: string; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: opts.severity ?? 'error', message, span };
  if (opts.hint) d.hint = opts.hint;
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** 1-based line and column of a UTF-16 offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * `file:line:col: error[SF102]: message`, the offending line and a caret under the span,
 * then the hint. `source` names the query (a file path, or `<query>`).
 */
export function renderDiagnostic(text: string, d: Diagnostic, source = '<query>'): string {
  const { line, col } = lineCol(text, d.span.start);
  const lines = text.split('\n');
  const lineText = (lines[line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const width = Math.max(1, Math.min(d.span.end - d.span.start, lineText.length - col + 1));
  const gutter = String(line).length;
  const out = [
    `${source}:${line}:${col}: ${d.severity}[${d.code}]: ${d.message}`,
    `${' '.repeat(gutter)} |`,
    `${line} | ${lineText}`,
    `${' '.repeat(gutter)} | ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
  ];
  if (d.hint) out.push(`${' '.repeat(gutter)} = hint: ${d.hint}`);
  return out.join('\n');
}

export function renderDiagnostics(text: string, diags: readonly Diagnostic[], source?: string): string {
  return diags.map((d) => renderDiagnostic(text, d, source)).join('\n\n');
}
