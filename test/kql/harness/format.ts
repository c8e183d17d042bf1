/**
 * Reads a `.kqltest` file (STYLE.md section 3) into records. Decisions the style guide leaves open:
 * - Records are separated by blank lines; `#` lines between records are comments; the leading
 *   `#` block is the header and must hold `name:` (the file's own path), `description:`, `ref:`.
 * - KQL in a record may not contain blank lines; it ends at `----` (optional for `error`).
 * - A later `fixture T` replaces T's rows for the records after it (it does not append).
 * - `query ordered` is only allowed when the KQL's last operator is `order by`, `sort by` or `top`.
 * - `skipif`/`onlyif` lines apply to the next record only.
 * Problems never throw: each is returned with its line, so the file's other records still run.
 */
import type { SchemaCatalog } from '../../../src/schema/index.js';
import { isKqlScalarType, type KqlScalarType } from '../../../src/schema/index.js';
import { CellError, canonExpected } from './cells.js';
import { exactly, type CellMatcher } from './compare.js';
import { FixtureError, fixtureRow, fixtureTable, type Fixture } from './fixtures.js';

export interface Condition {
  kind: 'skipif' | 'onlyif';
  dialect: string;
  reason?: string;
}

interface RecordBase {
  line: number;
  /** The KQL text and the file line it starts on. */
  kql: string;
  kqlLine: number;
  conditions: Condition[];
  /** Fixtures in force for this record, by table. */
  fixtures: ReadonlyMap<string, Fixture>;
}

export interface QueryRecord extends RecordBase {
  kind: 'query';
  ordered: boolean;
  columns: { name: string; type: KqlScalarType }[];
  rows: CellMatcher[][];
}

export interface ErrorRecord extends RecordBase {
  kind: 'error';
  code: string;
  at?: { line: number; col: number };
  message?: RegExp;
}

export type KqlTestRecord = QueryRecord | ErrorRecord;

export interface Problem {
  line: number;
  message: string;
}

export interface KqlTestFile {
  path: string;
  header: { name?: string; description?: string; ref?: string };
  records: KqlTestRecord[];
  problems: Problem[];
}

class FormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const isBlank = (l: string): boolean => l.trim() === '';

/** Drops `//` comments and string literals so the last operator can be found textually. */
function lastOperator(kql: string): string {
  const stripped = kql
    .replace(/@"[^"]*"|@'[^']*'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\/\/[^\n]*/g, '');
  let depth = 0;
  let last = 0;
  for (let i = 0; i < stripped.length; i++) {
    const ch = stripped[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === '|' && depth === 0) last = i + 1;
  }
  return stripped.slice(last).trim();
}

export function endsSorted(kql: string): boolean {
  return /^(order|sort)\s+by\b|^top\b(?!-)/.test(lastOperator(kql));
}

/**
 * Parses the text of `path` (relative to the repository, forward slashes). `readFixtureFile`
 * returns the content of a named file in test/kql/fixtures/.
 */
export function parseKqlTest(
  path: string,
  text: string,
  schema: SchemaCatalog,
  readFixtureFile: (name: string) => string,
): KqlTestFile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: KqlTestFile = { path, header: {}, records: [], problems: [] };
  let i = 0;

  // Header: the leading block of `#` lines.
  while (i < lines.length && lines[i]!.startsWith('#')) {
    const m = /^#\s*(name|description|ref):\s*(.*)$/.exec(lines[i]!);
    if (m) out.header[m[1] as 'name' | 'description' | 'ref'] = m[2]!.trim();
    i++;
  }
  for (const key of ['name', 'description', 'ref'] as const) {
    if (!out.header[key]) out.problems.push({ line: 1, message: `header lacks '# ${key}:'` });
  }
  if (out.header.name && out.header.name !== path) {
    out.problems.push({
      line: 1,
      message: `'# name: ${out.header.name}' should be the file's own path '${path}'`,
    });
  }

  let fixtures = new Map<string, Fixture>();
  let conditions: Condition[] = [];

  /** Lines from `from` up to (excluding) a blank line or `----`; returns them and the stop index. */
  const block = (from: number, stopAtDashes: boolean): { body: string[]; next: number } => {
    let j = from;
    while (j < lines.length && !isBlank(lines[j]!) && !(stopAtDashes && lines[j] === '----')) j++;
    return { body: lines.slice(from, j), next: j };
  };
  const readNamedFixture = (name: string, lineNo: number): string => {
    try {
      return readFixtureFile(name);
    } catch (e) {
      throw new FormatError(lineNo, `cannot read fixture file '${name}': ${(e as Error).message}`);
    }
  };
  const skipRecord = (from: number): number => {
    let j = from;
    while (j < lines.length && !isBlank(lines[j]!)) j++;
    return j;
  };

  while (i < lines.length) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (isBlank(line) || line.startsWith('#')) {
      i++;
      continue;
    }
    try {
      const words = line.trim().split(/\s+/);
      const head = words[0];
      if (head === 'skipif' || head === 'onlyif') {
        if (!words[1]) throw new FormatError(lineNo, `${head} needs a dialect`);
        const c: Condition = { kind: head, dialect: words[1] };
        if (words.length > 2) c.reason = words.slice(2).join(' ');
        conditions.push(c);
        i++;
        continue;
      }
      if (head === 'fixture') {
        if (words.length < 2 || words.length > 3)
          throw new FormatError(lineNo, 'expected: fixture <Table> [<file>]');
        const table = fixtureTable(schema, words[1]!);
        const { body, next } = block(i + 1, false);
        if (words[2] && body.length > 0)
          throw new FormatError(lineNo, 'a fixture is read from a file or inline, not both');
        const source = words[2]
          ? readNamedFixture(words[2], lineNo)
              .split('\n')
              .map((l, k) => ({ l, at: `${words[2]}:${k + 1}` }))
          : body.map((l, k) => ({ l, at: `line ${lineNo + 1 + k}` }));
        const rows = source
          .filter((s) => !isBlank(s.l))
          .map((s) => {
            try {
              return fixtureRow(table, s.l);
            } catch (e) {
              if (e instanceof FixtureError)
                throw new FormatError(lineNo, `fixture row at ${s.at}: ${e.message}`);
              throw e;
            }
          });
        fixtures = new Map(fixtures).set(table.name, { table: table.name, line: lineNo, rows });
        conditions = [];
        i = next;
        continue;
      }
      if (head === 'query' || head === 'error') {
        const rec = head === 'query' ? parseQuery(i) : parseError(i);
        out.records.push(rec.record);
        i = rec.next;
        continue;
      }
      throw new FormatError(
        lineNo,
        `unknown record '${head}' (expected query, error, fixture, skipif, onlyif)`,
      );
    } catch (e) {
      if (!(e instanceof FormatError || e instanceof FixtureError)) throw e;
      out.problems.push({ line: e instanceof FormatError ? e.line : lineNo, message: e.message });
      conditions = [];
      i = skipRecord(i);
    }
  }
  return out;

  function kqlBody(start: number, needDashes: boolean): { kql: string; next: number } {
    const { body, next } = block(start + 1, true);
    if (body.length === 0) throw new FormatError(start + 1, 'record has no KQL');
    const ended = lines[next] === '----';
    if (needDashes && !ended)
      throw new FormatError(
        start + 1,
        'KQL must end with a ---- line (blank lines are not allowed inside it)',
      );
    return { kql: body.join('\n'), next: ended ? next + 1 : next };
  }

  function base(start: number, kql: string): RecordBase {
    const r: RecordBase = { line: start + 1, kql, kqlLine: start + 2, conditions, fixtures };
    conditions = [];
    return r;
  }

  function parseQuery(start: number): { record: QueryRecord; next: number } {
    const m = /^query\s+(ordered|unordered)\s*$/.exec(lines[start]!.trim());
    if (!m) throw new FormatError(start + 1, 'expected: query ordered|unordered');
    const ordered = m[1] === 'ordered';
    const { kql, next } = kqlBody(start, true);
    if (ordered && !endsSorted(kql)) {
      throw new FormatError(
        start + 1,
        "'query ordered' needs a query ending in order by / sort by / top; use 'unordered'",
      );
    }
    const headerLine = lines[next];
    if (headerLine === undefined || isBlank(headerLine))
      throw new FormatError(next + 1, 'expected a header line of Name:type cells after ----');
    const columns = headerLine.split('\t').map((cell) => {
      const k = cell.lastIndexOf(':');
      const name = cell.slice(0, k);
      const type = cell.slice(k + 1);
      if (k <= 0 || !isKqlScalarType(type))
        throw new FormatError(next + 1, `header cell '${cell}' is not Name:type with a KQL type`);
      return { name, type };
    });
    const { body: rowLines, next: after } = block(next + 1, false);
    const rows = rowLines.map((rl, k) => {
      const cells = rl.split('\t');
      if (cells.length !== columns.length) {
        throw new FormatError(next + 2 + k, `row has ${cells.length} cells, header has ${columns.length}`);
      }
      return cells.map((c, ci) => {
        try {
          return exactly(canonExpected(c, columns[ci]!.type));
        } catch (e) {
          if (e instanceof CellError)
            throw new FormatError(next + 2 + k, `column ${columns[ci]!.name}: ${e.message}`);
          throw e;
        }
      });
    });
    return { record: { ...base(start, kql), kind: 'query', ordered, columns, rows }, next: after };
  }

  function parseError(start: number): { record: ErrorRecord; next: number } {
    const m = /^error\s+(SF\d{3})(?:\s+at\s+(\d+):(\d+))?\s*$/.exec(lines[start]!.trim());
    if (!m) throw new FormatError(start + 1, 'expected: error SFnnn [at line:col]');
    const { kql, next } = kqlBody(start, false);
    const { body: msgLines, next: after } = block(next, false);
    const rec: ErrorRecord = { ...base(start, kql), kind: 'error', code: m[1]! };
    if (m[2]) rec.at = { line: Number(m[2]), col: Number(m[3]) };
    if (msgLines.length > 0) {
      try {
        rec.message = new RegExp(msgLines.join('\n'));
      } catch (e) {
        throw new FormatError(next + 1, `bad message regex: ${(e as Error).message}`);
      }
    }
    return { record: rec, next: after };
  }
}
