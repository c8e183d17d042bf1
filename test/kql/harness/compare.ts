/**
 * Result tables compared cell by cell through matchers (see cells.ts), ordered or as multisets,
 * describing the first difference in one line and rendering both tables for failure messages.
 */
import type { KqlColumn, KqlResult } from '../../../src/engine/types.js';
import { CellError, canonActual, canonEqual, renderActual, renderCanon, type Canon } from './cells.js';

/** One expected cell: how it was written, and which actual values it accepts. */
export interface CellMatcher {
  text: string;
  matches(actual: Canon): boolean;
}

export function exactly(c: Canon): CellMatcher {
  return { text: renderCanon(c), matches: (a) => canonEqual(c, a) };
}

export function describeColumns(cols: readonly { name: string; type?: string }[]): string {
  return cols.map((c) => (c.type ? `${c.name}:${c.type}` : c.name)).join(', ') || '(no columns)';
}

/** Undefined when the columns match: names always, types when the expectation states them. */
export function compareColumns(
  expected: readonly { name: string; type?: string }[],
  actual: readonly KqlColumn[],
): string | undefined {
  const same =
    expected.length === actual.length &&
    expected.every(
      (e, i) => e.name === actual[i]!.name && (e.type === undefined || e.type === actual[i]!.type),
    );
  return same
    ? undefined
    : `columns differ: expected ${describeColumns(expected)}; got ${describeColumns(actual)}`;
}

function canonRow(row: readonly unknown[], columns: readonly KqlColumn[], rowNo: number): Canon[] | string {
  const out: Canon[] = [];
  for (let i = 0; i < columns.length; i++) {
    try {
      out.push(canonActual(row[i] as never, columns[i]!.type));
    } catch (e) {
      if (e instanceof CellError) return `row ${rowNo}, column ${columns[i]!.name}: ${e.message}`;
      throw e;
    }
  }
  return out;
}

function rowMatches(m: readonly CellMatcher[], a: readonly Canon[]): boolean {
  return m.length === a.length && m.every((cell, i) => cell.matches(a[i]!));
}

/**
 * Undefined when the rows match. `ordered` compares position by position; otherwise each expected
 * row must be matched by a distinct actual row (greedy, in expected order) and none may be left.
 */
export function compareRows(
  expected: readonly (readonly CellMatcher[])[],
  actual: KqlResult,
  ordered: boolean,
): string | undefined {
  const rows: Canon[][] = [];
  for (let r = 0; r < actual.rows.length; r++) {
    const c = canonRow(actual.rows[r]!, actual.columns, r + 1);
    if (typeof c === 'string') return c;
    rows.push(c);
  }
  const show = (r: readonly Canon[]): string => r.map(renderCanon).join('\t');
  const showExpected = (r: readonly CellMatcher[]): string => r.map((c) => c.text).join('\t');
  if (ordered) {
    for (let r = 0; r < Math.min(expected.length, rows.length); r++) {
      const e = expected[r]!;
      const a = rows[r]!;
      const i = e.findIndex((cell, k) => !cell.matches(a[k]!));
      if (i >= 0) {
        return `row ${r + 1}, column ${actual.columns[i]?.name ?? i + 1}: expected ${e[i]!.text}, got ${renderCanon(a[i]!)}`;
      }
    }
    if (expected.length !== rows.length) {
      const extra =
        expected.length > rows.length
          ? `missing row ${showExpected(expected[rows.length]!)}`
          : `unexpected row ${show(rows[expected.length]!)}`;
      return `expected ${expected.length} rows, got ${rows.length}: ${extra}`;
    }
    return undefined;
  }
  const used = new Array<boolean>(rows.length).fill(false);
  for (const e of expected) {
    const k = rows.findIndex((a, i) => !used[i] && rowMatches(e, a));
    if (k < 0) {
      return `expected row not found (${expected.length} expected, ${rows.length} actual): ${showExpected(e)}${nearest(e, rows, used, actual)}`;
    }
    used[k] = true;
  }
  const left = used.indexOf(false);
  return left < 0
    ? undefined
    : `unexpected row (${expected.length} expected, ${rows.length} actual): ${show(rows[left]!)}`;
}

/** `; closest actual row differs at column X: got …` — the unused row matching the most cells. */
function nearest(
  e: readonly CellMatcher[],
  rows: readonly Canon[][],
  used: readonly boolean[],
  actual: KqlResult,
): string {
  let best = -1;
  let bestScore = -1;
  rows.forEach((a, i) => {
    if (used[i]) return;
    const score = e.filter((cell, k) => cell.matches(a[k]!)).length;
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  if (best < 0) return '';
  const a = rows[best]!;
  const k = e.findIndex((cell, i) => !cell.matches(a[i]!));
  return `; closest actual row differs at column ${actual.columns[k]?.name ?? k + 1}: expected ${e[k]!.text}, got ${renderCanon(a[k]!)}`;
}

/** Header line plus rows, tab-separated, each line indented. */
export function renderTable(header: string, rows: readonly string[][], indent = '  '): string {
  return [header, ...rows.map((r) => r.join('\t'))].map((l) => indent + l).join('\n');
}

export function renderActualTable(result: KqlResult, indent = '  '): string {
  const header = result.columns.map((c) => `${c.name}:${c.type}`).join('\t');
  const rows = result.rows.map((row) => result.columns.map((c, i) => renderActual(row[i] ?? null, c.type)));
  return renderTable(header, rows, indent);
}
