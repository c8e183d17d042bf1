import { formatDatetime } from '../src/kql/semantics/literals.js';
import type { IrExpr } from '../src/sql/ir/expr.js';
import type { Rel } from '../src/sql/ir/nodes.js';

/**
 * The hand-written reference for `npm run bench:hunt`: the SQL an engineer would write by hand to
 * run the whole RMM pack in one pass per table, built from per-operator templates in this file
 * (not by socfeed's SQL generator). The rules' conditions are read from their IR only to know which
 * operator applies to which column and needle. Per table:
 *
 *   1. one scan keeps candidate rows: the time window and, per column, the distinct values that
 *      one case-insensitive RE2 alternation of the rules' needles matches (the tuned, expert form);
 *   2. one query over the candidates evaluates each rule's exact condition (KQL `has` as a
 *      whole-term regex) and splits rows per rule with unnest, grouping per rule and device;
 *   3. the all-tools rules (grouped by tool, signer or URL) as their own queries over the candidates.
 */

export interface RefRule {
  index: number;
  table: string;
  /** The extra grouping column of an all-tools rule (Signer, RemoteUrl, or the tool via a join). */
  extra?: { kind: 'column'; column: string } | { kind: 'join'; column: string; values: [string, string][] };
  /** Exact condition in SQL over the candidate table's columns. */
  condition: string;
  /** Window bounds (100 ns ticks). */
  window: [bigint, bigint];
  columns: Set<string>;
  needles: Map<string, Set<string>>;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const reEscape = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
const ALNUM = /[0-9A-Za-z]/;

/** KQL `has` for several needles: each needle's alphanumeric edges must sit on a term boundary. */
function hasRegex(needles: string[]): string {
  const one = (n: string) =>
    `${ALNUM.test(n[0] ?? '') ? '(?:^|[^0-9A-Za-z])' : ''}${reEscape(n)}${ALNUM.test(n.at(-1) ?? '') ? '(?:$|[^0-9A-Za-z])' : ''}`;
  return `(?i)(?:${needles.map(one).join('|')})`;
}

class RuleReader {
  columns = new Set<string>();
  needles = new Map<string, Set<string>>();
  constructor(private readonly names: Map<number, string>) {}

  private col(e: IrExpr | undefined): string {
    if (e?.kind !== 'col' || !this.names.has(e.id))
      throw new Error('reference: condition on something other than a column');
    const name = this.names.get(e.id)!;
    this.columns.add(name);
    return name;
  }

  private strs(e: IrExpr | undefined): string[] {
    if (e?.kind === 'const' && typeof e.value === 'string') return [e.value];
    if (e?.kind === 'list') return e.items.map((i) => String((i as { value: unknown }).value));
    throw new Error('reference: needle is not a constant');
  }

  private need(col: string, values: string[]): void {
    if (!this.needles.has(col)) this.needles.set(col, new Set());
    for (const v of values) this.needles.get(col)!.add(v);
  }

  sql(e: IrExpr): string {
    if (e.kind !== 'call') throw new Error(`reference: unexpected ${e.kind}`);
    switch (e.fn) {
      case 'or':
        return `(${e.args.map((a) => this.sql(a)).join(' OR ')})`;
      case 'and': {
        // For the candidate scan, one side of an AND is enough: keep the needles of the side whose
        // shortest needle is longest (an engineer would not prefilter on '.exe').
        const outer = this.needles;
        const sides = e.args.map((a) => {
          this.needles = new Map();
          const sql = this.sql(a);
          return { sql, needles: this.needles };
        });
        const score = (m: Map<string, Set<string>>) =>
          Math.min(...[...m.values()].flatMap((v) => [...v].map((x) => x.length)));
        const best = sides.reduce((a, b) => (score(b.needles) > score(a.needles) ? b : a));
        this.needles = outer;
        for (const [c, v] of best.needles) this.need(c, [...v]);
        return `(${sides.map((x) => x.sql).join(' AND ')})`;
      }
      case 'has':
      case 'has_any': {
        const c = this.col(e.args[0]);
        const v = this.strs(e.args[1]);
        this.need(c, v);
        return `regexp_matches(${ident(c)}, ${lit(hasRegex(v))})`;
      }
      case 'in_ci': {
        const c = this.col(e.args[0]);
        const v = this.strs(e.args[1]);
        this.need(c, v);
        return `lower(${ident(c)}) IN (${v.map((x) => lit(x.toLowerCase())).join(', ')})`;
      }
      case 'startswith':
      case 'endswith': {
        const c = this.col(e.args[0]);
        const v = this.strs(e.args[1]);
        this.need(c, v);
        return `${e.fn === 'startswith' ? 'starts_with' : 'ends_with'}(lower(${ident(c)}), ${lit(v[0]!.toLowerCase())})`;
      }
      default:
        throw new Error(`reference: no template for ${e.fn}`);
    }
  }
}

/** Reads one pack rule's IR into the reference's terms. */
export function refRule(index: number, rel: Rel): RefRule {
  let scan: Extract<Rel, { kind: 'scan' }> | undefined;
  const preds: IrExpr[] = [];
  let join: { left: IrExpr; values: [string, string][] } | undefined;
  let groups: IrExpr[] = [];
  const visit = (r: Rel): void => {
    if (r.kind === 'scan') scan = r;
    else if (r.kind === 'filter') {
      preds.push(r.predicate);
      visit(r.input);
    } else if (r.kind === 'aggregate') {
      groups = r.groups;
      visit(r.input);
    } else if (r.kind === 'join' && r.right.kind === 'values') {
      const rows = r.right.rows.map(
        (row) => row.map((c) => String((c as { value: unknown }).value)) as [string, string],
      );
      join = { left: r.on[0]![0], values: rows };
      visit(r.left);
    } else if (r.kind === 'project') visit(r.input);
    else throw new Error(`reference: unexpected ${r.kind}`);
  };
  visit(rel);
  const names = new Map(scan!.cols.map((c) => [c.id, c.name]));
  const reader = new RuleReader(names);
  let window: [bigint, bigint] | undefined;
  const conditions: string[] = [];
  for (const p of preds) {
    if (p.kind === 'call' && p.fn === 'between') {
      window = [(p.args[1] as { value: bigint }).value, (p.args[2] as { value: bigint }).value];
    } else conditions.push(reader.sql(p));
  }
  const out: RefRule = {
    index,
    table: scan!.table,
    condition: conditions.join(' AND ') || 'true',
    window: window!,
    columns: reader.columns,
    needles: reader.needles,
  };
  if (join) {
    out.extra = { kind: 'join', column: 'FileName', values: join.values };
    reader.columns.add('FileName');
    reader.needles.set('FileName', new Set(join.values.map((v) => v[0])));
  } else if (groups.length > 2) {
    const g = groups[2]!;
    out.extra = { kind: 'column', column: names.get((g as { id: number }).id)! };
    reader.columns.add(out.extra.column);
  }
  return out;
}

const ts = (ticks: bigint) => `TIMESTAMP_NS '${formatDatetime(ticks).replace('T', ' ').replace('Z', '')}'`;
const AGGS =
  'min("Timestamp") AS FirstSeen, max("Timestamp") AS LastSeen, list_distinct(list("ReportId")) AS Report, count(*) AS "Count"';

/** The statements for one table: the candidate scan, then the queries that split rows per rule. */
export function referenceSql(
  table: string,
  rules: RefRule[],
  stage: string,
): { stage: string; queries: { rules: number[]; sql: string }[] } {
  const cols = new Set(['Timestamp', 'DeviceId', 'DeviceName', 'ReportId']);
  const needles = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const c of r.columns) cols.add(c);
    for (const [c, ns] of r.needles) {
      if (!needles.has(c)) needles.set(c, new Set());
      for (const n of ns) needles.get(c)!.add(n);
    }
  }
  const [from, to] = rules[0]!.window;
  // Telemetry strings repeat: match the needles once per distinct value, then keep rows whose value
  // is one of the matches (a semi-join), instead of running the regex on every row.
  // RE2 slows down sharply past several hundred case-insensitive alternatives: split big lists.
  const regexes = (ns: Set<string>) => {
    const all = [...ns].sort();
    const out: string[] = [];
    for (let i = 0; i < all.length; i += 800)
      out.push(
        `regexp_matches(v, ${lit(
          `(?i)(?:${all
            .slice(i, i + 800)
            .map(reEscape)
            .join('|')})`,
        )})`,
      );
    return out.join(' OR ');
  };
  const prefilter = [...needles]
    .map(
      ([c, ns]) =>
        `${ident(c)} IN (SELECT v FROM (SELECT DISTINCT ${ident(c)} AS v FROM ${ident(table)}) WHERE ${regexes(ns)})`,
    )
    .join(' OR ');
  const stageSql = `CREATE OR REPLACE TEMP TABLE ${ident(stage)} AS SELECT ${[...cols].map(ident).join(', ')} FROM ${ident(table)}
WHERE "Timestamp" BETWEEN ${ts(from)} AND ${ts(to)} AND (${prefilter})`;
  const plain = rules.filter((r) => !r.extra);
  const queries: { rules: number[]; sql: string }[] = [];
  if (plain.length > 0) {
    const cases = plain.map((r) => `CASE WHEN ${r.condition} THEN ${r.index} END`).join(',\n  ');
    queries.push({
      rules: plain.map((r) => r.index),
      sql: `SELECT rule, "DeviceId", "DeviceName", ${AGGS} FROM (
  SELECT *, unnest(list_filter([${cases}], x -> x IS NOT NULL)) AS rule FROM ${ident(stage)}
) GROUP BY rule, "DeviceId", "DeviceName"`,
    });
  }
  for (const r of rules.filter((x) => x.extra)) {
    const e = r.extra!;
    if (e.kind === 'column') {
      queries.push({
        rules: [r.index],
        sql: `SELECT ${r.index} AS rule, "DeviceId", "DeviceName", ${ident(e.column)}, ${AGGS} FROM ${ident(stage)} WHERE ${r.condition} GROUP BY ALL`,
      });
    } else {
      const values = e.values.map(([i, t]) => `(${lit(i)}, ${lit(t)})`).join(', ');
      queries.push({
        rules: [r.index],
        sql: `SELECT ${r.index} AS rule, "DeviceId", "DeviceName", v.tool, ${AGGS} FROM ${ident(stage)}
JOIN (VALUES ${values}) AS v(indicator, tool) ON lower("FileName") = v.indicator WHERE ${r.condition} GROUP BY ALL`,
      });
    }
  }
  return { stage: stageSql, queries };
}
