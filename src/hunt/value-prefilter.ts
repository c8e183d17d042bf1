import type { IrExpr } from '../sql/ir/expr.js';
import type { Rel } from '../sql/ir/nodes.js';
import { mapExpr } from '../sql/ir/walk.js';
import type { Store } from '../store/store.js';

/**
 * Telemetry columns the rules look at (file names, companies, signers, domains) repeat a few
 * thousand values over millions of rows. Running the shared scan's needle regexes once per
 * distinct value instead of once per row is what makes one pass over a large table cheap: each
 * `matches_regex(col, alternation)` of the stage filter becomes `col IN (the values that match)`.
 *
 * The values are read from the store and go back into SQL only as IR constants, which the
 * compiler's dialect prints as escaped literals. A column whose sampled values look mostly unique
 * (e.g. URLs in a large real estate) keeps its regex: listing its values would cost more than it
 * saves and could hold too much in memory.
 */
const SAMPLE_ROWS = 20_000;
/** Sampled distinct / sampled rows above which a column is treated as high-cardinality. */
const MAX_DISTINCT_RATIO = 0.2;
/** Upper bound on values kept per column (beyond it the regex stays). */
const MAX_VALUES = 50_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function lowCardinality(store: Store, table: string, column: string): Promise<boolean> {
  const r = await store.query(
    `SELECT count(*), count(DISTINCT ${quote(column)}) FROM (SELECT ${quote(column)} FROM ${quote(table)} USING SAMPLE ${SAMPLE_ROWS} ROWS)`,
  );
  const [rows, distinct] = r.rows[0]!.map(Number) as [number, number];
  return rows < SAMPLE_ROWS || distinct / rows <= MAX_DISTINCT_RATIO;
}

/** The column's distinct values the regex matches (bound as a parameter), or undefined past the cap. */
async function matchingValues(
  store: Store,
  table: string,
  column: string,
  regex: string,
): Promise<string[] | undefined> {
  const r = await store.query(
    `SELECT count(*), list(v) FILTER (WHERE regexp_matches(v, ?)) FROM (SELECT DISTINCT ${quote(column)} AS v FROM ${quote(table)} WHERE ${quote(column)} IS NOT NULL)`,
    [regex],
  );
  const [count, values] = r.rows[0]!;
  if (Number(count) > MAX_VALUES * 20) return undefined;
  const list = (values as { items?: unknown[] } | null)?.items ?? [];
  return list.length > MAX_VALUES ? undefined : list.map(String);
}

/** Rewrites the stage filter's regexes into value lists where that is cheap; the rest stays. */
export async function narrowByValues(store: Store, stage: Extract<Rel, { kind: 'filter' }>): Promise<Rel> {
  const scan = stage.input;
  if (scan.kind !== 'scan') return stage;
  const names = new Map(scan.cols.map((c, i) => [c.id, scan.sourceNames[i]!]));
  const lists = new Map<string, IrExpr>();
  const checked = new Map<string, boolean>();
  const pending: { key: string; column: string; regex: string }[] = [];
  mapExpr(stage.predicate, {
    expr(e) {
      if (
        e.kind === 'call' &&
        e.fn === 'matches_regex' &&
        e.args[0]?.kind === 'col' &&
        e.args[1]?.kind === 'const'
      ) {
        const column = names.get(e.args[0].id);
        if (column)
          pending.push({
            key: `${e.args[0].id}\u0000${String(e.args[1].value)}`,
            column,
            regex: String(e.args[1].value),
          });
      }
      return undefined;
    },
  });
  for (const p of pending) {
    if (!checked.has(p.column)) checked.set(p.column, await lowCardinality(store, scan.table, p.column));
    if (!checked.get(p.column)) continue;
    const values = await matchingValues(store, scan.table, p.column, p.regex);
    if (!values) continue;
    lists.set(
      p.key,
      values.length === 0
        ? { kind: 'const', type: 'bool', value: false }
        : {
            kind: 'call',
            type: 'bool',
            fn: 'in',
            args: [
              { kind: 'col', type: 'string', id: [...names.entries()].find(([, n]) => n === p.column)![0] },
              {
                kind: 'list',
                type: 'string',
                items: values.map((v) => ({ kind: 'const', type: 'string', value: v })),
              },
            ],
          },
    );
  }
  if (lists.size === 0) return stage;
  const predicate = mapExpr(stage.predicate, {
    expr(e) {
      if (
        e.kind === 'call' &&
        e.fn === 'matches_regex' &&
        e.args[0]?.kind === 'col' &&
        e.args[1]?.kind === 'const'
      ) {
        return lists.get(`${e.args[0].id}\u0000${String(e.args[1].value)}`);
      }
      return undefined;
    },
  });
  return { ...stage, predicate };
}
