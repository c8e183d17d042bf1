/**
 * The hunting-query corpus (shared/corpus/kql-hunting.jsonl) and how a record becomes the queries
 * a user would run.
 *
 * Portal block rule (src/kql/blocks.ts; Defender advanced hunting, like Log Analytics and the ADX
 * web UI, runs the block of text around the cursor, and a blank line ends a block):
 *   1. A line holding only whitespace is a blank line; blank lines split the text into blocks.
 *   2. A block whose lines are all `//` comments is not a query and is dropped.
 *   3. Every remaining block is one query, reported as `<record id>#b<n>` (n from 1) with its
 *      line range in the record.
 * Blank lines inside a multi-line string literal would also split; the corpus has none that
 * matter. On this corpus the rule never splits a record that Microsoft's parser accepts as a
 * whole: all 31 records with several blocks are rejected whole (two queries with no `;`).
 */
import { splitQueryBlocks } from '../../src/kql/blocks.js';
import { isObject, readJsonl } from './shared-data.js';

export interface CorpusRecord {
  id: string;
  source: string;
  path: string;
  title: string;
  query: string;
  /** Tables the query reads, as extracted by the corpus builder (may hold wildcards like `*`). */
  tables: string[];
  /** Microsoft's parser accepts the syntax. */
  syntax_ok: boolean;
  /** Microsoft's binder accepts it against the labeller's schema (not necessarily ours). */
  semantic_ok: boolean;
}

export function isCorpusRecord(v: unknown): v is CorpusRecord {
  return (
    isObject(v) &&
    typeof v['id'] === 'string' &&
    typeof v['query'] === 'string' &&
    Array.isArray(v['tables']) &&
    v['tables'].every((t) => typeof t === 'string') &&
    typeof v['syntax_ok'] === 'boolean' &&
    typeof v['semantic_ok'] === 'boolean'
  );
}

export function loadCorpus(file: string): CorpusRecord[] {
  return readJsonl(file, isCorpusRecord);
}

export interface QueryBlock {
  /** `<record id>#b<n>`. */
  id: string;
  record: CorpusRecord;
  text: string;
  /** 1-based line range of the block inside the record's query. */
  firstLine: number;
  lastLine: number;
}

export function splitPortalBlocks(record: CorpusRecord): QueryBlock[] {
  return splitQueryBlocks(record.query).map((b) => ({
    id: `${record.id}#b${b.index}`,
    record,
    text: b.text,
    firstLine: b.firstLine,
    lastLine: b.lastLine,
  }));
}

/**
 * The record's tables that the block names (whole-word match), keeping wildcard entries. A block
 * that calls table() also reads every string literal naming a table some corpus record lists
 * (`let f = (t:string) { table(t) … }; f("SigninLogs")`), which the record's own list misses.
 */
export function blockTables(block: QueryBlock, knownTables: ReadonlySet<string> = new Set()): string[] {
  const named = block.record.tables.filter((t) => {
    if (/[*?]/.test(t)) return true;
    const escaped = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`).test(block.text);
  });
  if (!/\btable\s*\(/.test(block.text)) return named;
  const literals = [...block.text.matchAll(/["']([A-Za-z_][A-Za-z0-9_]*)["']/g)].map((m) => m[1]!);
  return [...new Set([...named, ...literals.filter((l) => knownTables.has(l))])];
}
