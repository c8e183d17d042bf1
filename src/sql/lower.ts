import type { ConstValue, IrExpr } from './ir/expr.js';
import { hasWindow } from './ir/expr.js';
import type { IrColumn, Rel } from './ir/nodes.js';
import {
  and,
  caseWhen,
  col,
  fn,
  op,
  type SqlExpr,
  type SqlFrom,
  type SqlOrder,
  type SqlQuery,
  type SqlSelect,
} from './ast/nodes.js';
import { UnsupportedFeature, type Dialect, type LowerContext } from './dialects/dialect.js';

/** Name of the hidden column that carries row order through subqueries. */
const ORDINAL = '__socfeed_ord';

/**
 * The SELECT being built for a chain of operators. Operators merge into it while SQL allows
 * (a filter into WHERE, a filter after GROUP BY into HAVING, a project into the select list);
 * otherwise the state is wrapped as a subquery and a new SELECT starts over it.
 */
interface State {
  from?: SqlFrom;
  /** Column id → SQL expression valid in this SELECT's clauses. */
  scope: Map<number, SqlExpr>;
  where: SqlExpr[];
  /** Defined once the state aggregates (possibly with no keys). */
  groupBy?: SqlExpr[];
  having: SqlExpr[];
  orderBy?: SqlOrder[];
  limit?: number;
  /** The select list contains window functions: filters and aggregates must wrap first. */
  windowed: boolean;
  /** Columns that are not KQL output columns but must survive wrapping (e.g. ingestion time). */
  hidden: IrColumn[];
}

export function lowerRel(rel: Rel, dialect: Dialect): SqlQuery {
  const q = new RelLowering(dialect).top(rel);
  return dialect.rewriteQuery ? dialect.rewriteQuery(q) : q;
}

class RelLowering {
  private aliasCounter = 0;
  /** Negative ids of helper columns (restart groups of row_number). */
  private helperIds = 0;
  /** row_number(…, restart) window → the SQL of its restart-group column. */
  private readonly restartGroup = new Map<IrExpr, SqlExpr>();
  /** Hidden columns holding window-function predicates get negative ids, never an IR column's. */
  private windowFilters = 0;

  constructor(private readonly d: Dialect) {}

  top(rel: Rel): SqlQuery {
    const s = this.rel(rel);
    return this.finish(s, rel.cols, false);
  }

  private alias(prefix = 't'): string {
    return `${prefix}${this.aliasCounter++}`;
  }

  private empty(): State {
    return { scope: new Map(), where: [], having: [], windowed: false, hidden: [] };
  }

  /** The SELECT for a state; with `ordinal`, row order is materialised as a hidden column. */
  finish(s: State, cols: IrColumn[], ordinal: boolean, keepHidden = false): SqlSelect {
    const items = cols.map((c) => ({ e: this.get(s, c.id), alias: c.name }));
    if (keepHidden)
      for (const h of s.hidden) if (s.scope.has(h.id)) items.push({ e: this.get(s, h.id), alias: h.name });
    if (items.length === 0) items.push({ e: { k: 'null' }, alias: '__socfeed_empty' });
    const sel: SqlSelect = { k: 'select', items };
    if (s.from) sel.from = s.from;
    if (s.where.length) sel.where = and(...s.where);
    if (s.groupBy) sel.groupBy = s.groupBy;
    if (s.having.length) sel.having = and(...s.having);
    if (ordinal && s.orderBy) {
      items.push({
        e: { k: 'window', fn: fn('row_number'), partitionBy: [], orderBy: s.orderBy },
        alias: ORDINAL,
      });
      if (s.limit !== undefined) sel.orderBy = s.orderBy;
    } else if (s.orderBy) sel.orderBy = s.orderBy;
    if (s.limit !== undefined) sel.limit = s.limit;
    return sel;
  }

  private get(s: State, id: number): SqlExpr {
    const e = s.scope.get(id);
    if (!e) throw new Error(`SF900: column #${id} is not in scope`);
    return e;
  }

  /** Wraps the state as a subquery; order survives as the hidden ordinal column. */
  private wrap(s: State, cols: IrColumn[]): State {
    const alias = this.alias();
    const sel = this.finish(s, cols, true, true);
    const n = this.empty();
    n.from = { k: 'subquery', query: sel, alias };
    for (const c of cols) n.scope.set(c.id, col(c.name, alias));
    for (const h of s.hidden) {
      if (!s.scope.has(h.id)) continue;
      n.scope.set(h.id, col(h.name, alias));
      n.hidden.push(h);
    }
    if (s.orderBy) n.orderBy = [{ e: col(ORDINAL, alias), desc: false, nullsFirst: false }];
    return n;
  }

  private subqueryOf(rel: Rel, alias: string): { from: SqlFrom; scope: Map<number, SqlExpr> } {
    const sel = this.finish(this.rel(rel), rel.cols, false);
    const scope = new Map<number, SqlExpr>();
    for (const c of rel.cols) scope.set(c.id, col(c.name, alias));
    return { from: { k: 'subquery', query: sel, alias }, scope };
  }

  // ------------------------------------------------------------ expressions

  context(s: State): LowerContext {
    const ctx: LowerContext = {
      expr: (e) => this.expr(e, s, ctx),
      predicate: (e) => this.predicate(e, s, ctx),
      subquery: (rel) => this.finish(this.rel(rel), rel.cols, false),
      nullable: (e) => nullable(e),
      constValue: (e) => (e.kind === 'const' ? e.value : undefined),
    };
    return ctx;
  }

  private expr(e: IrExpr, s: State, ctx: LowerContext): SqlExpr {
    switch (e.kind) {
      case 'const':
        return this.d.constant(e.type, e.value);
      case 'col':
        return this.get(s, e.id);
      case 'call':
        try {
          return this.d.call(e, ctx);
        } catch (err) {
          if (err instanceof UnsupportedFeature && !err.span && e.span) err.span = e.span;
          throw err;
        }
      case 'list':
        return { k: 'list', items: e.items.map((x) => ctx.expr(x)) };
      case 'subquery': {
        const q = ctx.subquery(e.rel);
        const first = e.rel.cols[0]!;
        const inner: SqlSelect = {
          k: 'select',
          items: [{ e: col(first.name, 'sq') }],
          from: { k: 'subquery', query: q, alias: 'sq' },
          limit: 1,
        };
        return { k: 'scalar', query: inner };
      }
      case 'window': {
        // row_number(start, restart): numbered within the groups prepared by restartGroups().
        const group = e.fn === 'row_number' && e.restart ? this.restartGroup.get(e) : undefined;
        if (!group) return this.d.window(e, ctx, s.orderBy);
        const w: SqlExpr = {
          k: 'window',
          fn: fn('row_number'),
          partitionBy: [group],
          orderBy: s.orderBy ?? [],
        };
        return e.args[0] ? op('+', w, op('-', ctx.expr(e.args[0]), { k: 'num', value: 1 })) : w;
      }
    }
  }

  /** WHERE/HAVING conjuncts: NULL and false both drop the row, so simpler SQL is allowed. */
  private predicate(e: IrExpr, s: State, ctx: LowerContext): SqlExpr {
    if (e.kind === 'call' && (e.fn === 'and' || e.fn === 'or')) {
      return op(
        e.fn === 'and' ? 'AND' : 'OR',
        this.predicate(e.args[0]!, s, ctx),
        this.predicate(e.args[1]!, s, ctx),
      );
    }
    if (e.kind === 'call' && e.fn === 'eq') return op('=', ctx.expr(e.args[0]!), ctx.expr(e.args[1]!));
    return ctx.expr(e);
  }

  // ------------------------------------------------------------ relations

  rel(r: Rel): State {
    switch (r.kind) {
      case 'scan': {
        const s = this.empty();
        s.from = { k: 'table', name: r.table };
        r.cols.forEach((c, i) => s.scope.set(c.id, col(r.sourceNames[i]!)));
        if (r.hidden) {
          for (const h of r.hidden) {
            s.scope.set(h.id, col(h.source));
            s.hidden.push({ id: h.id, name: `__socfeed_h${h.id}`, type: h.type });
          }
        }
        return s;
      }
      case 'values':
        return this.values(r);
      case 'range': {
        const s = this.empty();
        const ctx = this.context(s);
        const alias = this.alias('r');
        const c = r.cols[0]!;
        s.from = {
          k: 'subquery',
          query: this.d.rangeSource(ctx.expr(r.from), ctx.expr(r.to), ctx.expr(r.step), c.type, c.name),
          alias,
        };
        s.scope.set(c.id, col(c.name, alias));
        s.orderBy = [{ e: col(c.name, alias), desc: false, nullsFirst: false }];
        return s;
      }
      case 'filter': {
        let s = this.rel(r.input);
        if (s.limit !== undefined || s.windowed) s = this.wrap(s, r.input.cols);
        if (hasWindow(r.predicate)) {
          // SQL cannot filter on a window function (row_number(), prev()…) in WHERE: compute the
          // predicate as a hidden column, wrap, and filter on that column outside.
          const h: IrColumn = {
            id: -++this.windowFilters,
            name: `__socfeed_wf${this.windowFilters}`,
            type: 'bool',
          };
          s.scope.set(h.id, this.predicate(r.predicate, s, this.context(s)));
          s.hidden.push(h);
          s.windowed = true;
          s = this.wrap(s, r.input.cols);
          s.where.push(this.get(s, h.id));
          return s;
        }
        const pred = this.predicate(r.predicate, s, this.context(s));
        if (s.groupBy) s.having.push(pred);
        else s.where.push(pred);
        return s;
      }
      case 'project': {
        let s = this.rel(r.input);
        s = this.restartGroups(r.exprs, s, r.input.cols);
        const windowed = r.exprs.some(hasWindow);
        if (windowed && (s.windowed || (s.groupBy && s.limit !== undefined))) s = this.wrap(s, r.input.cols);
        const ctx = this.context(s);
        const lowered = r.exprs.map((e) => ctx.expr(e));
        r.cols.forEach((c, i) => s.scope.set(c.id, lowered[i]!));
        s.windowed ||= windowed;
        return s;
      }
      case 'aggregate': {
        let s = this.rel(r.input);
        if (s.groupBy || s.limit !== undefined || s.windowed) s = this.wrap(s, r.input.cols);
        const ctx = this.context(s);
        const groups = r.groups.map((g) => ctx.expr(g));
        const aggs = r.aggs.map((a) => this.d.aggregate(a, ctx));
        const n: State = { ...s, scope: new Map(), groupBy: groups, having: [], hidden: [], windowed: false };
        delete n.orderBy;
        r.cols.forEach((c, i) =>
          n.scope.set(c.id, i < groups.length ? groups[i]! : aggs[i - groups.length]!),
        );
        return n;
      }
      case 'sort': {
        let s = this.rel(r.input);
        if (s.limit !== undefined) s = this.wrap(s, r.input.cols);
        const ctx = this.context(s);
        s.orderBy = r.keys.map((k) => ({ e: ctx.expr(k.expr), desc: k.desc, nullsFirst: k.nullsFirst }));
        return s;
      }
      case 'limit': {
        if (r.partitionBy) return this.limitPerKey(r, r.partitionBy);
        const s = this.rel(r.input);
        s.limit = s.limit === undefined ? r.count : Math.min(s.limit, r.count);
        return s;
      }
      case 'serialize':
        return this.rel(r.input);
      case 'join':
        return this.join(r);
      case 'union': {
        // A part's ORDER BY cannot stand inside UNION ALL (and union order is unspecified anyway);
        // a part that limits (take, top) keeps its LIMIT, and ORDER BY if any, inside a subquery.
        const parts = r.inputs.map((i): SqlQuery => {
          const sel = this.finish(this.rel(i), i.cols, false);
          if (!sel.orderBy && sel.limit === undefined) return sel;
          if (sel.limit === undefined) {
            const unordered: SqlSelect = { ...sel };
            delete unordered.orderBy;
            return unordered;
          }
          return {
            k: 'select',
            items: i.cols.map((c) => ({ e: col(c.name, 'p'), alias: c.name })),
            from: { k: 'subquery', query: sel, alias: 'p' },
          };
        });
        const alias = this.alias('u');
        const s = this.empty();
        s.from = { k: 'subquery', query: { k: 'union', parts }, alias };
        for (const c of r.cols) s.scope.set(c.id, col(c.name, alias));
        return s;
      }
      case 'expand':
        return this.expand(r);
    }
  }

  private values(r: Extract<Rel, { kind: 'values' }>): State {
    if (r.external) {
      // The engine replaces externaldata by the rows of a local copy; reaching here means none was given.
      const err = new UnsupportedFeature('SF304', `externaldata needs a local copy of ${r.external.urls[0]}`);
      err.span = r.external.span;
      throw err;
    }
    const s = this.empty();
    const ctx = this.context(s);
    if (r.rows.length === 1) {
      r.cols.forEach((c, i) => s.scope.set(c.id, ctx.expr(r.rows[0]![i]!)));
      return s;
    }
    const alias = this.alias('v');
    const names = r.cols.map((_, i) => `c${i}`);
    if (r.rows.length === 0) {
      const items = r.cols.map((c, i) => ({ e: this.d.constant(c.type, null), alias: names[i]! }));
      if (items.length === 0) items.push({ e: { k: 'null' }, alias: '__socfeed_empty' });
      const sel: SqlSelect = {
        k: 'select',
        items,
        where: { k: 'bool', value: false },
      };
      s.from = { k: 'subquery', query: sel, alias };
    } else {
      // Every cell is cast to its column type so NULLs and mixed literals keep the declared type.
      const rows = r.rows.map((row) =>
        row.map((v, i) => ({ k: 'cast' as const, e: ctx.expr(v), type: this.d.typeName(r.cols[i]!.type) })),
      );
      s.from = { k: 'values', rows, alias, columns: names };
      // VALUES keeps the written order, which Kusto's datatable also promises.
    }
    r.cols.forEach((c, i) => s.scope.set(c.id, col(names[i]!, alias)));
    return s;
  }

  private join(r: Extract<Rel, { kind: 'join' }>): State {
    const kind = r.joinKind;
    const swap = kind === 'rightsemi' || kind === 'rightanti';
    const leftRel = swap ? r.right : r.left;
    const rightRel = swap ? r.left : r.right;
    const pairs = swap ? r.on.map(([a, b]) => [b, a] as [IrExpr, IrExpr]) : r.on;
    const la = this.alias('l');
    const ra = this.alias('r');
    let left = this.subqueryOf(leftRel, la);
    const right = this.subqueryOf(rightRel, ra);
    if (kind === 'innerunique') {
      // Kusto's default join keeps one arbitrary left row per key before joining.
      const lctx = this.contextForScope(left.scope);
      const keys = pairs.map(([a]) => lctx.expr(a));
      const deduped = this.d.dedupe({ k: 'select', items: [{ e: { k: 'star' } }], from: left.from }, keys);
      const da = this.alias('l');
      const scope = new Map<number, SqlExpr>();
      for (const c of leftRel.cols) scope.set(c.id, col(c.name, da));
      left = { from: { k: 'subquery', query: deduped, alias: da }, scope };
    }
    const lctx = this.contextForScope(left.scope);
    const rctx = this.contextForScope(right.scope);
    const cond = and(...pairs.map(([a, b]) => op('=', lctx.expr(a), rctx.expr(b))));
    const s = this.empty();
    if (kind === 'leftsemi' || kind === 'leftanti' || kind === 'rightsemi' || kind === 'rightanti') {
      s.from = left.from;
      s.scope = left.scope;
      const exists: SqlSelect = {
        k: 'select',
        items: [{ e: { k: 'num', value: 1 } }],
        from: right.from,
        where: cond,
      };
      s.where.push({ k: 'exists', query: exists, negated: kind.endsWith('anti') });
      return s;
    }
    const sqlKind =
      kind === 'leftouter'
        ? 'LEFT'
        : kind === 'rightouter'
          ? 'RIGHT'
          : kind === 'fullouter'
            ? 'FULL'
            : 'INNER';
    s.from = { k: 'join', kind: sqlKind, left: left.from, right: right.from, on: cond };
    // The unmatched side of an outer join is null; strings in Kusto are "" instead.
    const leftNullable = kind === 'rightouter' || kind === 'fullouter';
    const rightNullable = kind === 'leftouter' || kind === 'fullouter';
    const put = (cols: IrColumn[], scope: Map<number, SqlExpr>, nullableSide: boolean) => {
      for (const c of cols) {
        const e = scope.get(c.id)!;
        s.scope.set(
          c.id,
          nullableSide && c.type === 'string' ? fn('coalesce', e, { k: 'str', value: '' }) : e,
        );
      }
    };
    put(leftRel.cols, left.scope, leftNullable);
    put(rightRel.cols, right.scope, rightNullable);
    return s;
  }

  private contextForScope(scope: Map<number, SqlExpr>): LowerContext {
    const s = this.empty();
    s.scope = scope;
    return this.context(s);
  }

  private expand(r: Extract<Rel, { kind: 'expand' }>): State {
    let s = this.rel(r.input);
    s = this.wrap(s, r.input.cols);
    const ctx = this.context(s);
    const names = r.expansions.map((_, i) => `e${i}`);
    const xa = this.alias('x');
    const arrays = r.expansions.map((x) => ctx.expr(x.expr));
    const lateral = this.d.expandArrays(arrays, names, 'idx', r.bagExpansion);
    if (this.d.expandInline && lateral.k === 'select') return this.expandInline(r, s, lateral, names, xa);
    s.from = { k: 'join', kind: 'CROSS', left: s.from!, right: { k: 'subquery', query: lateral, alias: xa } };
    const inputIds = new Set(r.input.cols.map((c) => c.id));
    for (const c of r.cols) {
      const i = r.expansions.findIndex((x) => x.id === c.id);
      if (i >= 0) s.scope.set(c.id, this.d.fromJsonElement(col(names[i]!, xa), c.type));
      else if (c.id === r.itemIndex) s.scope.set(c.id, col('idx', xa));
      else if (!inputIds.has(c.id)) throw new Error(`SF900: mv-expand column #${c.id} has no source`);
    }
    if (r.limit !== undefined) s.where.push(op('<', col('idx', xa), { k: 'num', value: r.limit }));
    if (s.orderBy) s.orderBy = [...s.orderBy, { e: col('idx', xa), desc: false, nullsFirst: false }];
    return s;
  }

  /** `count` rows per key, in the input's order: a row number per key, filtered in a wrapping SELECT. */
  private limitPerKey(r: Extract<Rel, { kind: 'limit' }>, keys: IrExpr[]): State {
    let s = this.rel(r.input);
    if (s.limit !== undefined || s.windowed || s.groupBy) s = this.wrap(s, r.input.cols);
    const ctx = this.context(s);
    const inner = this.finish(s, r.input.cols, true, true);
    const rn = '__socfeed_rn';
    inner.items.push({
      e: {
        k: 'window',
        fn: fn('row_number'),
        partitionBy: keys.map((k) => ctx.expr(k)),
        orderBy: s.orderBy ?? [],
      },
      alias: rn,
    });
    delete inner.orderBy;
    delete inner.limit;
    const alias = this.alias('k');
    const n = this.empty();
    n.from = { k: 'subquery', query: inner, alias };
    for (const c of r.input.cols) n.scope.set(c.id, col(c.name, alias));
    for (const h of s.hidden) {
      if (!s.scope.has(h.id)) continue;
      n.scope.set(h.id, col(h.name, alias));
      n.hidden.push(h);
    }
    n.where.push(op('<=', col(rn, alias), { k: 'num', value: r.count }));
    if (s.orderBy) n.orderBy = [{ e: col(ORDINAL, alias), desc: false, nullsFirst: false }];
    return n;
  }

  /**
   * For each row_number(start, restart) in `exprs`: the restart flag (which may itself use prev())
   * is computed in one SELECT, its running count in the next (a window cannot contain a window),
   * and that count becomes the partition of the row number. Helper columns travel as hidden
   * columns under negative ids, which no IR column uses.
   */
  private restartGroups(exprs: IrExpr[], s: State, cols: IrColumn[]): State {
    const found: Extract<IrExpr, { kind: 'window' }>[] = [];
    const visit = (e: IrExpr): void => {
      if (e.kind === 'window' && e.fn === 'row_number' && e.restart) found.push(e);
      if (e.kind === 'call') e.args.forEach(visit);
    };
    exprs.forEach(visit);
    if (found.length === 0) return s;
    if (s.windowed || s.groupBy || s.limit !== undefined) s = this.wrap(s, cols);
    const flags = found.map((w) => {
      const ctx = this.context(s);
      const id = -++this.helperIds;
      s.scope.set(id, caseWhen([[ctx.expr(w.restart!), { k: 'num', value: 1 }]], { k: 'num', value: 0 }));
      s.hidden.push({ id, name: `__socfeed_h${-id}`, type: 'long' });
      return id;
    });
    s = this.wrap(s, cols);
    const order = s.orderBy ?? [];
    const groups = flags.map((flag) => {
      const id = -++this.helperIds;
      s.scope.set(id, {
        k: 'window',
        fn: fn('sum', this.get(s, flag)),
        partitionBy: [],
        orderBy: order,
        frame: 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
      });
      s.hidden.push({ id, name: `__socfeed_h${-id}`, type: 'long' });
      return id;
    });
    s.windowed = true;
    s = this.wrap(s, cols);
    found.forEach((w, i) => this.restartGroup.set(w, this.get(s, groups[i]!)));
    return s;
  }

  /** mv-expand as one SELECT: the (wrapped) input's columns beside the dialect's expanding items. */
  private expandInline(
    r: Extract<Rel, { kind: 'expand' }>,
    s: State,
    lateral: SqlSelect,
    names: string[],
    xa: string,
  ): State {
    const items = r.input.cols.map((c) => ({ e: this.get(s, c.id), alias: c.name }));
    for (const h of s.hidden) if (s.scope.has(h.id)) items.push({ e: this.get(s, h.id), alias: h.name });
    if (s.orderBy) items.push({ e: s.orderBy[0]!.e, alias: ORDINAL });
    const inner: SqlSelect = { k: 'select', items: [...items, ...lateral.items], from: s.from! };
    const n = this.empty();
    n.from = { k: 'subquery', query: inner, alias: xa };
    for (const c of r.input.cols) n.scope.set(c.id, col(c.name, xa));
    for (const h of s.hidden) {
      if (!s.scope.has(h.id)) continue;
      n.scope.set(h.id, col(h.name, xa));
      n.hidden.push(h);
    }
    const inputIds = new Set(r.input.cols.map((c) => c.id));
    for (const c of r.cols) {
      const i = r.expansions.findIndex((x) => x.id === c.id);
      if (i >= 0) n.scope.set(c.id, this.d.fromJsonElement(col(names[i]!, xa), c.type));
      else if (c.id === r.itemIndex) n.scope.set(c.id, col('idx', xa));
      else if (!inputIds.has(c.id)) throw new Error(`SF900: mv-expand column #${c.id} has no source`);
    }
    if (r.limit !== undefined) n.where.push(op('<', col('idx', xa), { k: 'num', value: r.limit }));
    if (s.orderBy)
      n.orderBy = [
        { e: col(ORDINAL, xa), desc: false, nullsFirst: false },
        { e: col('idx', xa), desc: false, nullsFirst: false },
      ];
    return n;
  }
}

/** Whether an IR expression may be null. Strings never are (Kusto has no null string). */
export function nullable(e: IrExpr): boolean {
  if (e.type === 'string') return false;
  switch (e.kind) {
    case 'const':
      return e.value === null;
    case 'col':
      return true;
    case 'call':
      if (e.fn === 'isnull' || e.fn === 'isnotnull' || e.fn === 'isempty' || e.fn === 'isnotempty')
        return false;
      if (
        [
          'has',
          'has_cs',
          'contains',
          'contains_cs',
          'startswith',
          'startswith_cs',
          'endswith',
          'endswith_cs',
          'hasprefix',
          'hassuffix',
          'has_any',
          'has_all',
          'eq_ci',
          'ne_ci',
          'in_ci',
        ].includes(e.fn)
      )
        return false;
      return Boolean(e.nullable) || e.args.some(nullable);
    default:
      return true;
  }
}

export type { ConstValue };
