/**
 * Kusto's ingestion data formats, as externaldata reads them, turned into records of raw cells:
 * a string per field for delimited and text formats, a JSON value per declared column for JSON
 * formats (mapped by property name; a missing property is undefined).
 */
import { CsvParser, type CsvRecord } from '../store/ingest/formats/csv.js';
import type { JsonLike } from '../sql/ir/expr.js';

export type RawCell = string | JsonLike | undefined;

const DELIMITERS: Record<string, string> = {
  csv: ',',
  tsv: '\t',
  tsve: '\t',
  psv: '|',
  scsv: ';',
  sohsv: '\u0001',
};

export function parseExternalRecords(text: string, format: string, columns: string[]): RawCell[][] {
  const delimiter = DELIMITERS[format];
  if (delimiter !== undefined) return delimited(text, delimiter);
  if (format === 'txt' || format === 'raw') return textLines(text, format);
  if (format === 'json') return jsonLines(text).map((v) => byName(v, columns));
  if (format === 'multijson') return multiJson(text).map((v) => byName(v, columns));
  throw new Error(`externaldata format '${format}' has no reader`); // the binder admits only known formats
}

/** RFC 4180 records; blank lines are skipped, as Kusto's CSV reader does. */
function delimited(text: string, delimiter: string): RawCell[][] {
  const out: RawCell[][] = [];
  const p = new CsvParser(delimiter, (r: CsvRecord) => out.push(r.fields));
  p.feed(Buffer.from(text, 'utf8'));
  p.end();
  return out;
}

/** txt: every non-empty line is one record whose only field is the line; raw: the whole text is one record. */
function textLines(text: string, format: 'txt' | 'raw'): RawCell[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (format === 'raw') return [[body]];
  return body
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.length > 0)
    .map((l) => [l]);
}

function jsonLines(text: string): JsonLike[] {
  const out: JsonLike[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.length === 0) continue;
    try {
      out.push(JSON.parse(t) as JsonLike);
    } catch {
      // Kusto skips a line that is not JSON; the row count tells the user something was dropped.
    }
  }
  return out;
}

/** multijson: a JSON array of objects, or objects one after another separated by whitespace. */
function multiJson(text: string): JsonLike[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as JsonLike;
      if (Array.isArray(v)) return v;
    } catch {
      // fall through: maybe several top-level values
    }
  }
  const out: JsonLike[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        try {
          out.push(JSON.parse(t.slice(start, i + 1)) as JsonLike);
        } catch {
          // an unparsable value is skipped, like a bad JSON line
        }
        start = -1;
      }
    }
  }
  return out;
}

function byName(v: JsonLike, columns: string[]): RawCell[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return columns.map(() => undefined);
  return columns.map((c) => (Object.prototype.hasOwnProperty.call(v, c) ? v[c] : undefined));
}
