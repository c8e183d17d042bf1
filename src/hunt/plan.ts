import { hasErrors, renderDiagnostics } from '../kql/diagnostics.js';
import type { SchemaCatalog } from '../schema/index.js';
import type { Dialect } from '../sql/dialects/dialect.js';
import { compileKql, nowTicks } from '../sql/compile.js';
import { columnsUsed, hasWindow, type IrExpr } from '../sql/ir/expr.js';
import type { IrColumn, Rel } from '../sql/ir/nodes.js';
import { forEachExpr, mapExpr, mapRel } from '../sql/ir/walk.js';
import { alternation, necessaryAtoms, type Atom } from './prefilter.js';
import type { HuntRule } from './rule-set.js';
import { chunked, MAX_REGEX_NEEDLES } from '../sql/dialects/common/term-regex.js';

/**
 * The hunt plan: which rules share one scan of their table, and which run on their own.
 *
 * A rule is fusable when it reads one table once, its scan sits directly under its filters, and
 * those filters imply "some string column contains one of these needles" (see prefilter.ts). All
 * fusable rules of a table then share a staging step: one scan keeps the rows that pass any of
 * their time filters and needle alternations (a handful of RE2 automata per row, whatever the
 * number of rules), and each rule's own compiled query runs unchanged over those few rows. A
 * dropped row fails every rule's own filter, so each result equals the rule run alone.
 */

export interface FusedMember {
  rule: HuntRule;
  table: string;
  /** The rule's IR with its scan pointed at the stage. */
  rel: Rel;
}

export interface FusedGroup {
  table: string;
  stage: string;
  /** Rows of `table` that may match any member. */
  stageRel: Extract<Rel, { kind: 'filter' }>;
  members: FusedMember[];
}

export interface AloneRule {
  rule: HuntRule;
  /** Undefined when the rule must go through runKql (it needs its constant lists resolved first). */
  rel?: Rel;
  reason: string;
  /** The one table the rule reads, when it reads one. */
  table?: string;
}

export interface FailedRule {
  rule: HuntRule;
  message: string;
}

export interface HuntPlan {
  now: Date;
  /** Start of the data window imposed on every scan (--lookback), if any. */
  windowStart?: Date;
  groups: FusedGroup[];
  alone: AloneRule[];
  failed: FailedRule[];
}

export interface PlanOptions {
  schema: SchemaCatalog;
  now: Date;
  lookbackMs?: number;
  /** Plan every rule as if alone (the reference the equivalence test compares against). */
  noFusion?: boolean;
  /** Replaces tabular list arguments by constants (needs the store; see constant-lists.ts). */
  resolve?: (rel: Rel) => Promise<Rel>;
  /**
   * The dialect the plan will be lowered with (default DuckDB): a rule this engine cannot express
   * fails here with its SF3xx diagnostic. `null`: the engine takes KQL as written (ADX), so no rule
   * is compiled and every one runs alone.
   */
  dialect?: Dialect | null;
}

type ScanRel = Extract<Rel, { kind: 'scan' }>;

interface Shape {
  scan: ScanRel;
  /** Conjuncts on datetime columns against constants: shared by many rules, kept in the stage. */
  timeConjuncts: IrExpr[];
  atoms: Atom[];
}

const call = (fn: string, args: IrExpr[]): IrExpr => ({ kind: 'call', type: 'bool', fn, args });
const fold = (fn: 'and' | 'or', items: IrExpr[]): IrExpr => items.reduce((a, b) => call(fn, [a, b]));

function conjuncts(e: IrExpr): IrExpr[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

const TIME_COMPARISONS = new Set(['between', 'ge', 'gt', 'le', 'lt']);

function isTimeConjunct(e: IrExpr): boolean {
  if (e.kind !== 'call' || !TIME_COMPARISONS.has(e.fn)) return false;
  const [first, ...rest] = e.args;
  return first?.kind === 'col' && first.type === 'datetime' && rest.every((a) => a.kind === 'const');
}

function scans(rel: Rel): ScanRel[] {
  const out: ScanRel[] = [];
  mapRel(rel, {
    rel(r) {
      if (r.kind === 'scan') out.push(r);
      return undefined;
    },
  });
  return out;
}

function subqueryIn(rel: Rel): boolean {
  let found = false;
  forEachExpr(rel, (e) => {
    if (e.kind === 'subquery') found = true;
  });
  return found;
}

/** Why the rule cannot share a scan, or its shape when it can. */
function shapeOf(rel: Rel): Shape | string {
  let orderDependent = false;
  forEachExpr(rel, (e) => {
    if (hasWindow(e)) orderDependent = true;
  });
  if (subqueryIn(rel)) return 'uses a subquery';
  const found = scans(rel);
  if (found.length !== 1) return found.length === 0 ? 'reads no table' : `reads tables ${found.length} times`;
  mapRel(rel, {
    rel(r) {
      if (r.kind === 'limit' || r.kind === 'serialize') orderDependent = true;
      return undefined;
    },
  });
  if (orderDependent) return 'depends on row order';
  const scan = found[0]!;
  const hiddenIds = new Set((scan.hidden ?? []).map((h) => h.id));
  let readsHidden = false;
  forEachExpr(rel, (e) => {
    for (const id of columnsUsed(e)) if (hiddenIds.has(id)) readsHidden = true;
  });
  if (readsHidden) return 'reads ingestion time';
  const all = filterChain(rel, scan).flatMap(conjuncts);
  const timeConjuncts = all.filter(isTimeConjunct);
  const rest = all.filter((c) => !isTimeConjunct(c));
  const scanCols = new Set(scan.cols.map((c) => c.id));
  const atoms =
    (rest.length > 0 ? necessaryAtoms(fold('and', rest), scanCols) : undefined) ?? joinAtoms(rel, scanCols);
  if (!atoms) return 'its filters name no string the scan can look for';
  return { scan, timeConjuncts, atoms };
}

// Not innerunique: it keeps one arbitrary left row per key, which a smaller input could change.
const MATCHING_JOINS = new Set(['inner', 'leftsemi', 'rightsemi']);

/**
 * A join that keeps only rows whose key equals a value of a constant table (`extend Indicator =
 * tolower(FileName) | join kind=inner (datatable …) on Indicator`) implies that the scanned column
 * contains one of those values, ignoring case.
 */
function joinAtoms(rel: Rel, scanCols: ReadonlySet<number>): Atom[] | undefined {
  let found: Atom[] | undefined;
  const visit = (r: Rel): void => {
    if (found) return;
    if (r.kind === 'join' && MATCHING_JOINS.has(r.joinKind)) {
      for (const [l, rr] of r.on) {
        const a = keyColumn(r.left, l, scanCols) ?? keyColumn(r.right, rr, scanCols);
        const values = constantColumn(r.right, rr) ?? constantColumn(r.left, l);
        if (a !== undefined && values && values.length > 0 && values.every((v) => v.length > 0)) {
          found = values.map((needle) => ({ col: a, needle }));
          return;
        }
      }
    }
    for (const c of childRels(r)) visit(c);
  };
  visit(rel);
  return found;
}

/** The scan column a join key is (possibly lower- or upper-cased), looking through projections. */
function keyColumn(side: Rel, key: IrExpr, scanCols: ReadonlySet<number>): number | undefined {
  let e = key;
  let r: Rel = side;
  for (;;) {
    if (e.kind === 'call' && (e.fn === 'tolower' || e.fn === 'toupper') && e.args.length === 1)
      e = e.args[0]!;
    if (e.kind !== 'col' || e.type !== 'string') return undefined;
    if (scanCols.has(e.id)) return e.id;
    if (r.kind === 'filter') {
      r = r.input;
      continue;
    }
    if (r.kind !== 'project') return undefined;
    const at: number = r.cols.findIndex((c) => c.id === (e as { id: number }).id);
    if (at < 0) return undefined;
    e = r.exprs[at]!;
    r = r.input;
  }
}

/** Every value of a constant table's key column, when the side is such a table. */
function constantColumn(side: Rel, key: IrExpr): string[] | undefined {
  if (side.kind !== 'values' || key.kind !== 'col') return undefined;
  const at = side.cols.findIndex((c) => c.id === key.id);
  if (at < 0) return undefined;
  const out: string[] = [];
  for (const row of side.rows) {
    const v = row[at];
    if (v?.kind !== 'const' || typeof v.value !== 'string') return undefined;
    out.push(v.value);
  }
  return out;
}

/** Predicates of the filters stacked directly on `scan` (empty when something else sits there). */
function filterChain(rel: Rel, scan: ScanRel): IrExpr[] {
  let found: IrExpr[] = [];
  const visit = (r: Rel): void => {
    if (r.kind === 'filter') {
      const preds: IrExpr[] = [];
      let cur: Rel = r;
      while (cur.kind === 'filter') {
        preds.push(cur.predicate);
        cur = cur.input;
      }
      if (cur === scan) {
        found = preds;
        return;
      }
      visit(cur);
      return;
    }
    for (const child of childRels(r)) visit(child);
  };
  visit(rel);
  return found;
}

function childRels(r: Rel): Rel[] {
  switch (r.kind) {
    case 'scan':
    case 'values':
    case 'range':
      return [];
    case 'join':
      return [r.left, r.right];
    case 'union':
      return r.inputs;
    default:
      return [r.input];
  }
}

/** Column ids of one scan renamed to another scan's ids, by column name. */
function remap(e: IrExpr, from: ScanRel, to: ScanRel): IrExpr {
  const byName = new Map(to.cols.map((c) => [c.name, c.id]));
  const ids = new Map(from.cols.map((c) => [c.id, byName.get(c.name)!]));
  return mapExpr(e, {
    expr: (x) => (x.kind === 'col' && ids.has(x.id) ? { ...x, id: ids.get(x.id)! } : undefined),
  });
}

function plainScan(scan: ScanRel, table: string, cols: IrColumn[] = scan.cols): ScanRel {
  // The stage holds the table's columns under their KQL names and no hidden storage columns.
  return {
    kind: 'scan',
    cols,
    table,
    sourceNames: table === scan.table ? scan.sourceNames : cols.map((c) => c.name),
  };
}

function windowConjunct(scan: ScanRel, start: bigint, end: bigint): IrExpr | undefined {
  const ts = scan.cols.find((c) => c.name === 'Timestamp' && c.type === 'datetime');
  if (!ts) return undefined;
  return call('between', [
    { kind: 'col', type: 'datetime', id: ts.id },
    { kind: 'const', type: 'datetime', value: start },
    { kind: 'const', type: 'datetime', value: end },
  ]);
}

/** Puts the --lookback window on every scan of a rule run alone. */
function withWindow(rel: Rel, start: bigint | undefined, end: bigint): Rel {
  if (start === undefined) return rel;
  return mapRel(rel, {
    rel(r) {
      if (r.kind !== 'scan') return undefined;
      const w = windowConjunct(r, start, end);
      return w ? { kind: 'filter', cols: r.cols, input: r, predicate: w } : undefined;
    },
  });
}

function stagePredicate(members: { shape: Shape }[], template: ScanRel, window?: IrExpr): IrExpr {
  // Rules with the same time filter share one branch: (time) AND (needles per column).
  const branches = new Map<string, { time: IrExpr[]; needles: Map<number, Set<string>> }>();
  for (const { shape } of members) {
    const time = shape.timeConjuncts.map((t) => remap(t, shape.scan, template));
    // Source spans differ between rules that say the same thing: leave them out of the key.
    const key = JSON.stringify(time, (k, v: unknown) =>
      k === 'span' ? undefined : typeof v === 'bigint' ? v.toString() : v,
    );
    let b = branches.get(key);
    if (!b) branches.set(key, (b = { time, needles: new Map() }));
    const names = new Map(shape.scan.cols.map((c) => [c.id, c.name]));
    const ids = new Map(template.cols.map((c) => [c.name, c.id]));
    for (const a of shape.atoms) {
      const id = ids.get(names.get(a.col)!)!;
      if (!b.needles.has(id)) b.needles.set(id, new Set());
      b.needles.get(id)!.add(a.needle);
    }
  }
  const ors = [...branches.values()].map((b) => {
    const matches = [...b.needles.entries()]
      .sort(([a], [c]) => a - c)
      .flatMap(([id, needles]) =>
        chunked([...needles].sort(), MAX_REGEX_NEEDLES).map((part) =>
          call('matches_regex', [
            { kind: 'col', type: 'string', id },
            { kind: 'const', type: 'string', value: alternation(part) },
          ]),
        ),
      );
    return fold('and', [...b.time, fold('or', matches)]);
  });
  const pred = fold('or', ors);
  return window ? call('and', [window, pred]) : pred;
}

/** Compiles every rule and decides how it runs. Never throws for a bad rule: it is `failed`. */
export async function planHunt(
  rules: HuntRule[],
  opts: PlanOptions,
  onRule: () => void = () => {},
): Promise<HuntPlan> {
  const end = nowTicks(opts.now);
  const start = opts.lookbackMs !== undefined ? end - BigInt(opts.lookbackMs) * 10_000n : undefined;
  const plan: HuntPlan = { now: opts.now, groups: [], alone: [], failed: [] };
  if (start !== undefined) plan.windowStart = new Date(Number(start / 10_000n));
  if (opts.dialect === null) {
    for (const rule of rules) {
      plan.alone.push({ rule, reason: 'the engine runs KQL as written: no shared scan' });
      onRule();
    }
    return plan;
  }
  const byTable = new Map<string, { rule: HuntRule; rel: Rel; shape: Shape }[]>();
  for (const rule of rules) {
    const compiled = compileKql(rule.rule.query, {
      schema: opts.schema,
      dialect: opts.dialect ?? 'duckdb',
      now: opts.now,
    });
    if (hasErrors(compiled.diagnostics) || !compiled.rel) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      plan.failed.push({ rule, message: renderDiagnostics(rule.rule.query, errors, rule.label) });
      onRule();
      continue;
    }
    onRule();
    const rel = opts.noFusion || !opts.resolve ? compiled.rel : await opts.resolve(compiled.rel);
    const shape = opts.noFusion ? 'fusion is off' : shapeOf(rel);
    if (typeof shape === 'string') {
      const alone: AloneRule = { rule, reason: shape };
      // Tabular has_any arguments are resolved by runKql; everything else is lowered here.
      if (!subqueryIn(rel)) alone.rel = withWindow(rel, start, end);
      const tables = [...new Set(scans(rel).map((s) => s.table))];
      if (tables.length === 1) alone.table = tables[0]!;
      plan.alone.push(alone);
      continue;
    }
    const list = byTable.get(shape.scan.table) ?? [];
    list.push({ rule, rel, shape });
    byTable.set(shape.scan.table, list);
  }
  for (const [table, members] of [...byTable.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (members.length === 1) {
      const m = members[0]!;
      plan.alone.push({
        rule: m.rule,
        rel: withWindow(m.rel, start, end),
        reason: 'the only fusable rule on its table',
        table,
      });
      continue;
    }
    const stage = `_socfeed_hunt_stage_${plan.groups.length}`;
    const template = plainScan(members[0]!.shape.scan, table);
    const window = start !== undefined ? windowConjunct(template, start, end) : undefined;
    const stageRel: FusedGroup['stageRel'] = {
      kind: 'filter',
      cols: template.cols,
      input: template,
      predicate: stagePredicate(members, template, window),
    };
    plan.groups.push({
      table,
      stage,
      stageRel,
      members: members.map((m) => ({
        rule: m.rule,
        table,
        rel: mapRel(m.rel, { rel: (r) => (r.kind === 'scan' ? plainScan(r, stage) : undefined) }),
      })),
    });
  }
  return plan;
}
