/**
 * Reads the documentation's cell text (kql-reference/README.md: markdown cells kept verbatim) as
 * an expectation for one of our result cells. Normalisation is driven by the type of OUR column,
 * and only removes presentation: it never makes two different values equal.
 *
 * Every cell:   `<br>` is a line break; surrounding whitespace is dropped (markdown trims cells);
 *               one pair of surrounding backticks (optionally followed by a stray `:`) is code
 *               formatting; an empty cell means null, or "" in a string column (where KQL has
 *               no null) — the docs cannot tell them apart.
 * Non-strings:  `null` means null.
 * bool:         true/false/True/False.
 * int, long:    `1,750` thousands separators (well-formed groups of three only).
 * real:         separators as above, NaN/Infinity; equal within relative tolerance 1e-9.
 * datetime:     `2016-02-17 08:40:00.0000000` or ISO `…T…Z`; trailing fraction zeros ignored.
 * timespan:     `[-][d.]hh:mm:ss[.fffffff]`, also the docs' `d:hh:mm:ss`.
 * dynamic:      JSON compared as values (whitespace, key order and 42.0 vs 42 ignored); the
 *               docs' KQL literal spelling with single-quoted strings (`['a', 8]`) is read as
 *               JSON, and an array of bare words (`[yes, no]`) as an array of those strings; a cell that is not JSON must equal a dynamic *string* value.
 * string:       exact; if the cell had `<br>` or our value has a line break (which a markdown cell
 *               cannot show), runs of whitespace compare equal; a cell that is a
 *               quoted JSON string literal (`"kusto"`, as in inline `// result` comments) may
 *               also match its unquoted value.
 * guid:         case-insensitive.
 */
import type { KqlResult } from '../../src/engine/types.js';
import type { KqlScalarType } from '../../src/schema/index.js';
import type { JsonValue } from '../../src/engine/types.js';
import { canonicalDatetime, jsonEqual, realsEqual, timespanTicks, type Canon } from '../kql/harness/cells.js';
import { compareColumns, compareRows, type CellMatcher } from '../kql/harness/compare.js';
import { isObject } from './shared-data.js';

export interface DocTable {
  columns: string[];
  rows: string[][];
}

/** Per-example notes kept in doc-overrides.json. */
export interface DocOverride {
  /** Columns whose dynamic arrays the docs define as unordered (compared as multisets). */
  unorderedArrays?: string[];
  /** The documented output cannot come from the query as written; shown with the failure. */
  erratum?: string;
  why?: string;
}

export interface DocExample {
  id: string;
  doc_path: string;
  query: string;
  expected: DocTable;
  ordered: boolean;
  expected_alternatives?: DocTable[];
  notes?: string;
  family?: string;
}

function isDocTable(v: unknown): v is DocTable {
  return (
    isObject(v) &&
    Array.isArray(v['columns']) &&
    v['columns'].every((c) => typeof c === 'string') &&
    Array.isArray(v['rows']) &&
    v['rows'].every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'))
  );
}

export function isDocExample(v: unknown): v is DocExample {
  return (
    isObject(v) &&
    typeof v['id'] === 'string' &&
    typeof v['query'] === 'string' &&
    typeof v['ordered'] === 'boolean' &&
    isDocTable(v['expected']) &&
    (v['expected_alternatives'] === undefined ||
      (Array.isArray(v['expected_alternatives']) && v['expected_alternatives'].every(isDocTable)))
  );
}

/** Presentation removed: `<br>` → newline, trimmed, code backticks stripped. */
export function stripPresentation(text: string): { text: string; hadBreaks: boolean } {
  const hadBreaks = /<br\s*\/?>/i.test(text);
  let t = text.replace(/<br\s*\/?>/gi, '\n').trim();
  const code = /^`([^`]*)`:?$/.exec(t);
  if (code) t = code[1]!.trim();
  return { text: t, hadBreaks };
}

export function docColumnName(text: string): string {
  return stripPresentation(text).text;
}

const GROUPED_INT = /^-?\d{1,3}(,\d{3})+$/;
const GROUPED_REAL = /^-?\d{1,3}(,\d{3})+\.\d+$/;

function withoutSeparators(t: string): string {
  return GROUPED_INT.test(t) || GROUPED_REAL.test(t) ? t.replace(/,/g, '') : t;
}

function docReal(t: string): number | undefined {
  if (t === 'NaN') return NaN;
  if (t === 'Infinity' || t === '∞') return Infinity;
  if (t === '-Infinity' || t === '-∞') return -Infinity;
  const s = withoutSeparators(t);
  return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : undefined;
}

function docDatetime(t: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(t);
  return m ? canonicalDatetime(`${m[1]}T${m[2]}${m[3] ?? ''}Z`) : undefined;
}

function docTimespan(t: string): bigint | undefined {
  const colonDays = /^(-)?(\d+):(\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(t);
  return timespanTicks(colonDays ? `${colonDays[1] ?? ''}${colonDays[2]}.${colonDays[3]}` : t);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function tryJson(t: string): { ok: true; v: JsonValue } | { ok: false } {
  try {
    return { ok: true, v: JSON.parse(t) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/**
 * The docs often print dynamic values as KQL dynamic literals, with single-quoted strings
 * (`['a', 8]`, `{'a': 1}`). Re-quote those strings as JSON; anything else must already be JSON.
 */
function tryKqlDynamicLiteral(t: string): { ok: true; v: JsonValue } | { ok: false } {
  // An array of bare words (`[yes, no, yes]`): the docs print string elements without quotes.
  if (/^\[\s*[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s*\]$/.test(t)) {
    return {
      ok: true,
      v: t
        .slice(1, -1)
        .split(',')
        .map((w) => w.trim()),
    };
  }
  if (!/^[[{]/.test(t) || !t.includes("'")) return { ok: false };
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '"') {
      // A double-quoted JSON string is copied through unchanged.
      const m = /^"(?:[^"\\]|\\.)*"/.exec(t.slice(i));
      if (!m) return { ok: false };
      out += m[0];
      i += m[0].length - 1;
    } else if (c === "'") {
      const m = /^'((?:[^'\\]|\\.)*)'/.exec(t.slice(i));
      if (!m) return { ok: false };
      out += JSON.stringify(m[1]!.replace(/\\(.)/g, '$1'));
      i += m[0].length - 1;
    } else out += c;
  }
  return tryJson(out);
}

function sortedArray(v: JsonValue): JsonValue {
  return Array.isArray(v) ? [...v].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : v;
}

/**
 * A matcher for one documented cell against our column of type `type`. `unorderedArray`: the
 * docs define this array's order as undefined, so both sides are compared sorted.
 */
export function docCellMatcher(raw: string, type: KqlScalarType, unorderedArray = false): CellMatcher {
  const { text: t, hadBreaks } = stripPresentation(raw);
  const m = (matches: (a: Canon) => boolean): CellMatcher => ({
    text: raw === '' ? '(empty cell)' : raw,
    matches,
  });
  // KQL strings are never null, so in a string column an empty cell can only mean "".
  if (t === '')
    return m((a) =>
      type === 'string'
        ? a.t === 'string' && a.v === ''
        : a.t === 'null' || (a.t === 'dynamic' && a.v === ''),
    );
  if (t === 'null' && type !== 'string') return m((a) => a.t === 'null');
  switch (type) {
    case 'string': {
      const quoted = /^"(?:[^"\\]|\\.)*"$/.test(t) ? tryJson(t) : { ok: false as const };
      return m((a) => {
        if (a.t !== 'string') return false;
        if (a.v.trim() === t) return true;
        // A markdown cell cannot hold a line break: the docs write it as <br> or flatten it into
        // spaces. Only then are runs of whitespace compared as one.
        if ((hadBreaks || /[\r\n]/.test(a.v)) && collapse(a.v) === collapse(t)) return true;
        return quoted.ok && a.v === quoted.v;
      });
    }
    case 'bool': {
      const v = t === 'true' || t === 'True' ? true : t === 'false' || t === 'False' ? false : undefined;
      return m((a) => v !== undefined && a.t === 'bool' && a.v === v);
    }
    case 'int':
    case 'long': {
      const s = withoutSeparators(t);
      const v = /^-?\d+$/.test(s) ? BigInt(s) : undefined;
      return m((a) => v !== undefined && a.t === 'int' && a.v === v);
    }
    case 'real':
    case 'decimal': {
      const v = docReal(t);
      return m((a) => v !== undefined && a.t === 'real' && realsEqual(a.v, v));
    }
    case 'datetime': {
      const v = docDatetime(t);
      return m((a) => v !== undefined && a.t === 'datetime' && a.v === v);
    }
    case 'timespan': {
      const v = docTimespan(t);
      return m((a) => v !== undefined && a.t === 'timespan' && a.v === v);
    }
    case 'guid':
      return m((a) => a.t === 'guid' && a.v === t.toLowerCase());
    case 'dynamic': {
      const plain = tryJson(t);
      const j = plain.ok ? plain : tryKqlDynamicLiteral(t);
      const norm = unorderedArray ? sortedArray : (v: JsonValue): JsonValue => v;
      return m((a) => a.t === 'dynamic' && (j.ok ? jsonEqual(norm(a.v), norm(j.v)) : a.v === t));
    }
  }
}

function compareTable(
  doc: DocTable,
  ordered: boolean,
  result: KqlResult,
  override: DocOverride,
): string | undefined {
  const colDiff = compareColumns(
    doc.columns.map((c) => ({ name: docColumnName(c) })),
    result.columns,
  );
  if (colDiff) return colDiff;
  for (const [i, row] of doc.rows.entries()) {
    if (row.length !== result.columns.length)
      return `documented row ${i + 1} has ${row.length} cells for ${result.columns.length} columns`;
  }
  const unordered = new Set(override.unorderedArrays ?? []);
  const matchers = doc.rows.map((row) =>
    row.map((cell, i) =>
      docCellMatcher(cell, result.columns[i]!.type, unordered.has(result.columns[i]!.name)),
    ),
  );
  return compareRows(matchers, result, ordered);
}

/**
 * Undefined when `result` matches the documented output (or one of the documented alternatives);
 * otherwise the first difference against the primary documented output.
 */
export function compareDocExample(
  ex: DocExample,
  result: KqlResult,
  override: DocOverride = {},
): string | undefined {
  const primary = compareTable(ex.expected, ex.ordered, result, override);
  if (primary === undefined) return undefined;
  for (const alt of ex.expected_alternatives ?? [])
    if (compareTable(alt, ex.ordered, result, override) === undefined) return undefined;
  return primary;
}
