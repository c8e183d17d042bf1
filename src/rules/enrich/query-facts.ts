import { hasErrors, type Diagnostic } from '../../kql/diagnostics.js';
import { lex } from '../../kql/syntax/lexer.js';
import { STRING_OPERATORS, type Token } from '../../kql/syntax/tokens.js';
import type { SchemaCatalog } from '../../schema/index.js';
import { analyzeKql } from '../../sql/compile.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { Rel } from '../../sql/ir/nodes.js';
import { forEachExpr, mapRel } from '../../sql/ir/walk.js';
import { queryTables } from '../query-tables.js';
import type { QueryCondition } from './types.js';

/**
 * What a rule's query reads and compares, taken from the bound relational IR when the query binds,
 * and estimated from its tokens when it does not (a broken rule still has indicators worth judging).
 */
export interface QueryFacts {
  /** The query parsed and bound without errors. */
  bound: boolean;
  diagnostics: Diagnostic[];
  /** Every table read, sorted. */
  tables: string[];
  /** The table the final result is built from (the leftmost source of the last statement). */
  primaryTable?: string;
  /** Columns read, per table. */
  columns: Record<string, string[]>;
  /** String comparisons with constant values (indicators); the time window is not one. */
  conditions: QueryCondition[];
  /**
   * The ways a row can match, each a set of conditions (indices into `conditions`) that must all
   * hold: `(a and b) or c` → [[a, b], [c]]. Empty when the query has no indicator condition.
   */
  alternatives: number[][];
  /**
   * The fewest indicator conditions any matching row must satisfy (`a and b` → 2, `a or b` → 1):
   * how much a single coincidence can produce a hit.
   */
  requiredConditions: number;
  /** The result is summarised per device (DeviceId or DeviceName among the group keys). */
  perDevice: boolean;
  /** `ir` when taken from the bound query, `tokens` when estimated from the text. */
  basis: 'ir' | 'tokens';
}

/** Catalog ids of string comparisons whose constant operands are indicators. */
const STRING_MATCH = new Set<string>([
  ...STRING_OPERATORS,
  'has_any',
  'has_all',
  'in',
  'in_ci',
  'eq',
  'eq_ci',
  'matches_regex',
  'like',
  'like_cs',
]);

export function queryFacts(query: string, schema: SchemaCatalog, now?: Date): QueryFacts {
  const analysis = analyzeKql(query, now ? { schema, now } : { schema });
  if (analysis.rel && !hasErrors(analysis.diagnostics)) return irFacts(analysis.rel, analysis.diagnostics);
  return tokenFacts(query, schema, analysis.diagnostics);
}

// ───────────────────────── from the IR ─────────────────────────

interface ColumnOrigin {
  table?: string;
  name: string;
}

function irFacts(root: Rel, diagnostics: Diagnostic[]): QueryFacts {
  const origins = new Map<number, ColumnOrigin>();
  const tables = new Set<string>();
  const filters: IrExpr[] = [];
  const joins: { on: [IrExpr, IrExpr][]; right: Rel }[] = [];
  // Visits every node, subqueries included (mapRel walks into them); bottom-up, so a column's
  // origin is known before a node above reads it.
  mapRel(root, {
    rel(r) {
      if (r.kind === 'scan') {
        tables.add(r.table);
        for (const c of r.cols) origins.set(c.id, { table: r.table, name: c.name });
      } else if (r.kind === 'project') {
        r.cols.forEach((c, i) => {
          if (origins.has(c.id)) return;
          // A computed column over one column (`tolower(FileName)`) still names that column.
          const base = singleColumn(r.exprs[i]!);
          const o = base === undefined ? undefined : origins.get(base);
          origins.set(c.id, o ? { ...o } : { name: c.name });
        });
      } else if (r.kind === 'filter') {
        filters.push(r.predicate);
      } else if (r.kind === 'join') {
        joins.push({ on: r.on, right: r.right });
      }
      for (const c of r.cols) if (!origins.has(c.id)) origins.set(c.id, { name: c.name });
      return undefined;
    },
  });

  const columns = new Map<string, Set<string>>();
  forEachExpr(root, (e) => {
    if (e.kind !== 'col') return;
    const o = origins.get(e.id);
    if (!o?.table) return;
    if (!columns.has(o.table)) columns.set(o.table, new Set());
    columns.get(o.table)!.add(o.name);
  });

  const conditions: QueryCondition[] = [];
  // Filters (and join keys) all apply: their alternatives multiply.
  let alternatives: number[][] = [[]];
  for (const p of filters) alternatives = product(alternatives, collect(p, false, origins, conditions));
  for (const j of joins) {
    for (const [l, r] of j.on) {
      const values = listValues(j.right, r);
      const col = singleColumn(l);
      const o = col === undefined ? undefined : origins.get(col);
      if (o && values.length > 0) {
        conditions.push({
          ...(o.table ? { table: o.table } : {}),
          column: o.name,
          op: 'join',
          values,
          negated: false,
        });
        alternatives = product(alternatives, [[conditions.length - 1]]);
      }
    }
  }
  alternatives = normalize(alternatives);
  const primary = primarySource(root);
  const facts: QueryFacts = {
    bound: true,
    diagnostics,
    tables: [...tables].sort(),
    columns: Object.fromEntries([...columns].map(([t, s]) => [t, [...s].sort()])),
    conditions,
    alternatives,
    requiredConditions: alternatives.length ? Math.min(...alternatives.map((a) => new Set(a).size)) : 0,
    perDevice: perDevice(root, origins),
    basis: 'ir',
  };
  if (primary) facts.primaryTable = primary;
  return facts;
}

/** Past this many alternatives the and/or structure is summarised as "any one condition". */
const MAX_ALTERNATIVES = 32;

/**
 * Adds the indicator conditions of a predicate and returns its alternatives: the sets of
 * conditions (indices) of which one must hold entirely. Negated comparisons (exclusions) are
 * recorded but never required; a predicate with no indicator gives `[[]]` (no requirement).
 */
function collect(
  e: IrExpr,
  negated: boolean,
  origins: Map<number, ColumnOrigin>,
  out: QueryCondition[],
): number[][] {
  const none = [[]];
  if (e.kind !== 'call') return none;
  if (e.fn === 'and' || e.fn === 'or') {
    const a = collect(e.args[0]!, negated, origins, out);
    const b = collect(e.args[1]!, negated, origins, out);
    if (negated) return none;
    return e.fn === 'and' ? product(a, b) : [...a, ...b];
  }
  if (e.fn === 'not') {
    collect(e.args[0]!, !negated, origins, out);
    return none;
  }
  if (!STRING_MATCH.has(e.fn)) return none;
  const col = singleColumn(e.args[0]!);
  const o = col === undefined ? undefined : origins.get(col);
  if (!o) return none;
  const values = constStrings(e.args[1]);
  if (values.length === 0 || values.every(isExtension)) return none;
  out.push({ ...(o.table ? { table: o.table } : {}), column: o.name, op: e.fn, values, negated });
  return negated ? none : [[out.length - 1]];
}

/** Every way to satisfy both `a` and `b`; collapses to the union when it would grow too large. */
function product(a: number[][], b: number[][]): number[][] {
  if (a.length * b.length > MAX_ALTERNATIVES) return [...a, ...b];
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

/** An empty alternative means a row can match with no indicator at all: then none is required. */
function normalize(alts: number[][]): number[][] {
  const nonEmpty = alts.filter((a) => a.length > 0);
  return nonEmpty.length === alts.length ? alts : [];
}

/** `.exe`: a file-type filter next to a real indicator (`startswith 'x' and endswith '.exe'`), not one itself. */
export function isExtension(value: string): boolean {
  return /^\.[a-z0-9]{1,5}$/i.test(value);
}

/** The column an expression reads when it is that column, or one function of it (tolower, tostring). */
function singleColumn(e: IrExpr): number | undefined {
  if (e.kind === 'col') return e.id;
  if (e.kind === 'call' && e.args.length === 1) return singleColumn(e.args[0]!);
  return undefined;
}

function constStrings(e: IrExpr | undefined): string[] {
  if (!e) return [];
  if (e.kind === 'const' && typeof e.value === 'string') return [e.value];
  if (e.kind === 'list') return e.items.flatMap((i) => constStrings(i));
  if (e.kind === 'call' && e.fn === 'tostring') return constStrings(e.args[0]);
  if (e.kind === 'subquery') {
    const first = e.rel.cols[0];
    return first ? columnValues(e.rel, first.id) : [];
  }
  return [];
}

/** The values of a join key on the right side, when that side is a `datatable`. */
function listValues(right: Rel, key: IrExpr): string[] {
  const col = singleColumn(key);
  return col === undefined ? [] : columnValues(right, col);
}

/** Constant strings of column `id`, followed down to a `datatable` through pass-through nodes. */
function columnValues(r: Rel, id: number): string[] {
  switch (r.kind) {
    case 'values': {
      const i = r.cols.findIndex((c) => c.id === id);
      if (i < 0) return [];
      return r.rows.flatMap((row) => constStrings(row[i]));
    }
    case 'project': {
      const i = r.cols.findIndex((c) => c.id === id);
      const base = i < 0 ? undefined : singleColumn(r.exprs[i]!);
      return base === undefined ? [] : columnValues(r.input, base);
    }
    case 'aggregate': {
      const i = r.cols.findIndex((c) => c.id === id);
      const g = i >= 0 && i < r.groups.length ? singleColumn(r.groups[i]!) : undefined;
      return g === undefined ? [] : columnValues(r.input, g);
    }
    case 'filter':
    case 'sort':
    case 'limit':
    case 'serialize':
      return columnValues(r.input, id);
    default:
      return [];
  }
}

/** The table the final result comes from: follow the first input down to a scan. */
function primarySource(r: Rel): string | undefined {
  switch (r.kind) {
    case 'scan':
      return r.table;
    case 'join':
      return primarySource(r.left);
    case 'union':
      return r.inputs.length ? primarySource(r.inputs[0]!) : undefined;
    case 'values':
    case 'range':
      return undefined;
    default:
      return primarySource(r.input);
  }
}

function perDevice(root: Rel, origins: Map<number, ColumnOrigin>): boolean {
  let r: Rel = root;
  // The last aggregate on the main path decides (a sort or limit above it does not change that).
  while (r.kind === 'sort' || r.kind === 'limit' || r.kind === 'project' || r.kind === 'filter') r = r.input;
  if (r.kind !== 'aggregate') return false;
  return r.groups.some((g) => {
    const c = singleColumn(g);
    const name = c === undefined ? undefined : origins.get(c)?.name;
    return name === 'DeviceId' || name === 'DeviceName';
  });
}

// ───────────────────────── from the tokens ─────────────────────────

/** Operator spellings → catalog ids, for the text-based estimate. */
const TOKEN_OPS: Record<string, string> = {
  has: 'has',
  has_cs: 'has_cs',
  hasprefix: 'hasprefix',
  hassuffix: 'hassuffix',
  contains: 'contains',
  contains_cs: 'contains_cs',
  startswith: 'startswith',
  endswith: 'endswith',
  has_any: 'has_any',
  has_all: 'has_all',
  in: 'in',
  'in~': 'in_ci',
  '==': 'eq',
  '=~': 'eq_ci',
};

/** Words that can stand before an operator without being a column (`has_all has_any (…)`). */
const NOT_COLUMNS = new Set([...Object.keys(TOKEN_OPS), 'and', 'or', 'not', 'where', 'by', 'on']);

function tokenFacts(query: string, schema: SchemaCatalog, diagnostics: Diagnostic[]): QueryFacts {
  const tokens = lex(query).tokens;
  const tables = queryTables(query, schema);
  const conditions: QueryCondition[] = [];
  let sawOr = false;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && t.text === 'or') sawOr = true;
    const opTok = tokens[i + 1]!;
    if (t.kind !== 'ident' || !/^[A-Za-z_]\w*$/.test(t.text) || NOT_COLUMNS.has(t.text)) continue;
    if (opTok.kind !== 'ident' && opTok.kind !== 'punct') continue;
    const negated = opTok.text.startsWith('!');
    const op = TOKEN_OPS[negated ? opTok.text.slice(1) : opTok.text];
    if (!op) continue;
    const values = stringOperand(tokens, i + 2);
    if (values.length === 0 || values.every(isExtension)) continue;
    const table = tables.find((tb) => schema.table(tb)?.columns.some((c) => c.name === t.text));
    conditions.push({ ...(table ? { table } : {}), column: t.text, op, values, negated });
  }
  const positive = conditions.flatMap((c, i) => (c.negated ? [] : [i]));
  const columns: Record<string, string[]> = {};
  for (const c of conditions)
    if (c.table) columns[c.table] = [...new Set([...(columns[c.table] ?? []), c.column])].sort();
  const facts: QueryFacts = {
    bound: false,
    diagnostics,
    tables,
    columns,
    conditions,
    // Without a bound predicate the and/or structure is unknown: any `or` makes one condition enough.
    alternatives: sawOr ? positive.map((i) => [i]) : positive.length ? [positive] : [],
    requiredConditions: sawOr ? Math.min(1, positive.length) : positive.length,
    perDevice: /\bby\b[^|]*\bDevice(Id|Name)\b/.test(query),
    basis: 'tokens',
  };
  const primary = lastStatementTable(tokens, tables);
  if (primary) facts.primaryTable = primary;
  return facts;
}

/** `'x'` or `('x', 'y', …)` starting at token i. */
function stringOperand(tokens: Token[], i: number): string[] {
  const t = tokens[i];
  if (t?.kind === 'string') return [t.text];
  if (t?.kind !== 'punct' || t.text !== '(') return [];
  const out: string[] = [];
  for (let j = i + 1; j < tokens.length; j++) {
    const x = tokens[j]!;
    if (x.kind === 'string') out.push(x.text);
    else if (x.kind === 'punct' && x.text === ',') continue;
    else break;
  }
  return out;
}

function lastStatementTable(tokens: Token[], tables: string[]): string | undefined {
  let lastSemi = -1;
  tokens.forEach((t, i) => {
    if (t.kind === 'punct' && t.text === ';') lastSemi = i;
  });
  for (let i = lastSemi + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && tables.includes(t.text)) return t.text;
  }
  return undefined;
}
