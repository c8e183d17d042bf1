import type { IrExpr } from '../sql/ir/expr.js';
import { STRING_OPERATORS } from '../kql/syntax/tokens.js';

/**
 * Necessary conditions for a rule's row predicate, used to build one cheap scan filter shared by
 * every rule on a table. An atom "column C contains needle N, ignoring case" must hold for every
 * row the rule's predicate accepts; a rule's condition is a disjunction of atoms. A row failing the
 * shared filter fails every rule, so dropping it cannot change any rule's result.
 *
 * Ignoring case is deliberately broader than any operator below (RE2's Unicode folding includes
 * the ASCII folding the has-family uses), so the condition is always implied, never stricter.
 */
export interface Atom {
  /** Column id in the rule's own scan. */
  col: number;
  needle: string;
}

/** Operators whose match implies that the column contains each needle it matches. */
const CONTAINS_IMPLIED = new Set<string>([...STRING_OPERATORS, 'eq', 'eq_ci']);
/** Operators true when any one of the listed needles matches. */
const ANY_OF = new Set(['has_any', 'in', 'in_ci']);

function stringConsts(e: IrExpr): string[] | undefined {
  if (e.kind === 'const' && typeof e.value === 'string') return [e.value];
  if (e.kind === 'list') {
    const out: string[] = [];
    for (const i of e.items) {
      if (i.kind !== 'const' || typeof i.value !== 'string') return undefined;
      out.push(i.value);
    }
    return out;
  }
  return undefined;
}

/** A column read directly (string typed), the only shape whose contents we can reason about. */
function stringColumn(e: IrExpr | undefined, scanCols: ReadonlySet<number>): number | undefined {
  return e?.kind === 'col' && e.type === 'string' && scanCols.has(e.id) ? e.id : undefined;
}

function atomsFor(col: number, needles: string[]): Atom[] | undefined {
  // An empty needle is contained in everything: no condition at all.
  if (needles.length === 0 || needles.some((n) => n.length === 0)) return undefined;
  return needles.map((needle) => ({ col, needle }));
}

/** Shorter needles and longer lists prune less; prefer the side that prunes most. */
function selectivity(atoms: Atom[]): number {
  return Math.min(...atoms.map((a) => a.needle.length)) * 100 - atoms.length;
}

/**
 * The atoms implied by `e`, or undefined when nothing useful is implied (the predicate may hold on
 * a row that contains none of the needles we could name).
 */
export function necessaryAtoms(e: IrExpr, scanCols: ReadonlySet<number>): Atom[] | undefined {
  if (e.kind !== 'call') return undefined;
  if (e.fn === 'and') {
    const sides = e.args.map((a) => necessaryAtoms(a, scanCols)).filter((x): x is Atom[] => x !== undefined);
    if (sides.length === 0) return undefined;
    return sides.reduce((best, s) => (selectivity(s) > selectivity(best) ? s : best));
  }
  if (e.fn === 'or') {
    const out: Atom[] = [];
    for (const a of e.args) {
      const side = necessaryAtoms(a, scanCols);
      if (!side) return undefined;
      out.push(...side);
    }
    return out;
  }
  const col = stringColumn(e.args[0], scanCols);
  const values = e.args[1] ? stringConsts(e.args[1]) : undefined;
  if (col === undefined || values === undefined) return undefined;
  if (CONTAINS_IMPLIED.has(e.fn) && values.length === 1) return atomsFor(col, values);
  if (ANY_OF.has(e.fn)) return atomsFor(col, values);
  if (e.fn === 'has_all' && values.length > 0) {
    // Every needle must be there; naming the longest one is enough.
    const longest = values.reduce((a, b) => (b.length > a.length ? b : a));
    return atomsFor(col, [longest]);
  }
  return undefined;
}

/** RE2 syntax characters escaped, so a needle is matched literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** One case-insensitive alternation per column: RE2 runs it as one automaton per row. */
export function alternation(needles: Iterable<string>): string {
  const unique = [...new Set(needles)].sort();
  return `(?i)(?:${unique.map(escapeRegex).join('|')})`;
}
