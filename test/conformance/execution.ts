/**
 * Execution suite: do real hunting queries run? Each corpus record is split into portal blocks
 * (corpus.ts). A block is in scope when
 *   - Microsoft's binder accepts it against our schema (62 Defender tables + TimeGenerated alias),
 *   - and every table the record lists that the block names is one of our tables (no wildcards).
 * Each in-scope block runs with runKql on a demo-like store (today: all tables empty) with `now`
 * pinned, in a killable child process (IsolatedEngine: a runaway query becomes a TIMEOUT or
 * MEMORY defect), and lands in one bucket:
 *   executes     rows or no rows, no error;
 *   unsupported  compile error whose first error is SF3xx (valid KQL we knowingly do not support);
 *   defect       anything else: SF0xx–SF2xx on a query Microsoft accepts, SF9xx, engine or
 *                runtime error, a crash. Each is listed with its reason.
 */
import { fileURLToPath } from 'node:url';
import { lineCol } from '../../src/kql/diagnostics.js';
import type { SchemaCatalog } from '../../src/schema/index.js';
import { describeOracleError, oracleCheck } from '../oracle/kusto-oracle.js';
import { blockTables, splitPortalBlocks, type CorpusRecord, type QueryBlock } from './corpus.js';
import { firstError, type QueryRunner } from './engine-adapter.js';
import { oneLine, summaryLine, type Threshold } from './report.js';

export const EXECUTION_NOW = new Date('2025-03-15T12:00:00Z');

/**
 * Made-up local stand-ins for the feeds the corpus reads with externaldata (a few rows in the
 * declared format, looked up by file name or fixtures/externaldata/externaldata.json): queries run
 * offline exactly as a user with `--externaldata-dir` would run them.
 */
export const EXECUTION_EXTERNALDATA_DIR = fileURLToPath(new URL('./fixtures/externaldata', import.meta.url));

export type Bucket = 'executes' | 'unsupported' | 'defect';

export interface BlockOutcome {
  block: QueryBlock;
  bucket: Bucket;
  reason?: string;
  ms: number;
}

export interface ExecutionResult {
  records: number;
  blocks: number;
  excluded: { oracleSyntax: string[]; oracleSemantic: string[]; tables: string[] };
  outcomes: BlockOutcome[];
}

function where(b: QueryBlock): string {
  return `${b.id} (lines ${b.firstLine}-${b.lastLine})`;
}

/** Why the block is out of scope, or undefined when it is in. */
export function scopeProblem(
  block: QueryBlock,
  schema: SchemaCatalog,
  knownTables: ReadonlySet<string> = new Set(),
): { kind: keyof ExecutionResult['excluded']; reason: string } | undefined {
  const outside = blockTables(block, knownTables).filter((t) => !schema.table(t));
  if (outside.length > 0) return { kind: 'tables', reason: `reads ${outside.join(', ')}` };
  const c = oracleCheck(block.text, schema);
  if (!c.analysis.syntaxOk)
    return { kind: 'oracleSyntax', reason: describeOracleError(c.analysis.syntaxDiagnostics, block.text) };
  if (!c.okWithAliases)
    return { kind: 'oracleSemantic', reason: describeOracleError(c.aliasDiagnostics, block.text) };
  return undefined;
}

export async function runBlock(run: QueryRunner, block: QueryBlock): Promise<BlockOutcome> {
  const started = performance.now();
  const outcome = await run(block.text, {
    now: EXECUTION_NOW,
    source: block.id,
    externalDataDir: EXECUTION_EXTERNALDATA_DIR,
  });
  const ms = performance.now() - started;
  if (outcome.kind === 'ok') return { block, bucket: 'executes', ms };
  if (outcome.kind === 'error') {
    return {
      block,
      bucket: 'defect',
      ms,
      reason: `engine error${outcome.code ? ` ${outcome.code}` : ''}: ${oneLine(outcome.message)}`,
    };
  }
  const d = firstError(outcome.diagnostics);
  if (!d)
    return {
      block,
      bucket: 'defect',
      ms,
      reason: `compile error without diagnostics: ${oneLine(outcome.message)}`,
    };
  const p = lineCol(block.text, d.span.start);
  const reason = `${d.code} ${oneLine(d.message)} @${p.line}:${p.col}`;
  return { block, bucket: d.code.startsWith('SF3') ? 'unsupported' : 'defect', ms, reason };
}

export async function runExecution(
  records: readonly CorpusRecord[],
  run: QueryRunner,
  schema: SchemaCatalog,
): Promise<ExecutionResult> {
  const out: ExecutionResult = {
    records: records.length,
    blocks: 0,
    excluded: { oracleSyntax: [], oracleSemantic: [], tables: [] },
    outcomes: [],
  };
  const knownTables = new Set(records.flatMap((r) => r.tables));
  for (const r of records) {
    for (const block of splitPortalBlocks(r)) {
      out.blocks++;
      const problem = scopeProblem(block, schema, knownTables);
      if (problem) {
        out.excluded[problem.kind].push(`${where(block)}: ${oneLine(problem.reason)}`);
        continue;
      }
      out.outcomes.push(await runBlock(run, block));
    }
  }
  return out;
}

function tally(outcomes: readonly BlockOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = (o.reason ?? '').replace(/ @\d+:\d+$/, '').slice(0, 100);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`);
}

export function executionReport(r: ExecutionResult, t: Threshold): { summary: string[]; lines: string[] } {
  const by = (b: Bucket): BlockOutcome[] => r.outcomes.filter((o) => o.bucket === b);
  const executes = by('executes').length;
  const unsupported = by('unsupported');
  const defects = by('defect');
  const ex = r.excluded;
  const summary = [
    summaryLine('execution', executes, r.outcomes.length, t) +
      ` — unsupported (SF3xx) ${unsupported.length}, defects ${defects.length}`,
    `execution scope: ${r.outcomes.length} of ${r.blocks} blocks from ${r.records} records; excluded: oracle syntax ${ex.oracleSyntax.length}, oracle vs our schema ${ex.oracleSemantic.length}, non-Defender tables ${ex.tables.length}`,
  ];
  const slowest = [...r.outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const lines = [
    ...summary,
    `now pinned to ${EXECUTION_NOW.toISOString()}; store: in-memory, every Defender table empty; externaldata from test/conformance/fixtures/externaldata.`,
    '',
    `unsupported features (${unsupported.length}), by diagnostic:`,
    ...tally(unsupported),
    '',
    `defects (${defects.length}), by reason:`,
    ...tally(defects),
    '',
    'every defect:',
    ...defects.map((o) => `${where(o.block)}: ${o.reason}`),
    '',
    'every unsupported block:',
    ...unsupported.map((o) => `${where(o.block)}: ${o.reason}`),
    '',
    'slowest blocks:',
    ...slowest.map((o) => `  ${o.ms.toFixed(1)} ms  ${o.block.id}`),
    '',
    `excluded: rejected by the oracle's parser (${ex.oracleSyntax.length}):`,
    ...ex.oracleSyntax,
    '',
    `excluded: rejected by the oracle's binder against our schema (${ex.oracleSemantic.length}):`,
    ...ex.oracleSemantic,
    '',
    `excluded: reads tables outside our schema (${ex.tables.length}):`,
    ...ex.tables,
  ];
  return { summary, lines };
}
