import type { Span } from '../diagnostics.js';
import type { CallExpr, Expr, QueryBody, Statement, TabularExpr, TabularSource } from '../syntax/ast.js';
import { isTabularNode } from '../syntax/ast.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { IrColumn, Rel } from '../../sql/ir/nodes.js';
import { INGESTION_TIME_COLUMN, type SchemaCatalog } from '../../schema/index.js';

/** Row-scope name under which a table's ingestion time is reachable (not a valid KQL identifier). */
export const INGESTION_TIME_ALIAS = '$ingestion_time';
import { closestMatch } from '../../util/suggest.js';
import { ExprBinder, type BinderApi } from './bind-expr.js';
import { bindOperator } from './bind-operators.js';
import { bindPartition } from './bind-partition.js';
import { carryOpenBag } from './bind-evaluate.js';
import { bindExternalData } from './bind-externaldata.js';
import { bindFindSource } from './bind-find.js';
import { bindSearchSource } from './bind-search.js';
import { colRef } from './naming.js';
import { BindAbort, BindContext, Env, type BagKeyRequest, type ChartHint, type RowScope } from './scope.js';
import { parseTypeName } from './types.js';
import { checkRangeSize } from './limits.js';
import type { Diagnostic } from '../diagnostics.js';

export interface BindOptions {
  schema: SchemaCatalog;
  /** `now()` in 100 ns ticks since the Unix epoch. */
  nowTicks: bigint;
  /** bag_unpack keys the engine found in the data on an earlier attempt (see BindResult.bagKeyRequests). */
  bagKeys?: Record<number, string[]>;
}

export interface BindResult {
  rel?: Rel;
  diagnostics: Diagnostic[];
  chart?: ChartHint;
  /** bag_unpack calls that need their keys from the data before the query can bind. */
  bagKeyRequests?: BagKeyRequest[];
}

/** Binds a parsed query: resolves names against the schema and let scopes, types every expression, and builds the relational IR. */
export function bind(ast: QueryBody, opts: BindOptions): BindResult {
  const b = new Binder(new BindContext(opts.schema, opts.nowTicks));
  if (opts.bagKeys) b.ctx.bagKeys = opts.bagKeys;
  const rel = b.bindQueryBody(ast, new Env());
  const result: BindResult = { diagnostics: b.ctx.diagnostics };
  if (b.ctx.bagKeyRequests.length) result.bagKeyRequests = b.ctx.bagKeyRequests;
  if (rel) result.rel = rel;
  if (b.ctx.chart) result.chart = b.ctx.chart;
  return result;
}

export class Binder implements BinderApi {
  readonly exprs: ExprBinder;

  constructor(readonly ctx: BindContext) {
    this.exprs = new ExprBinder(this);
  }

  fail(code: Parameters<BindContext['error']>[0], message: string, span: Span, hint?: string): never {
    this.ctx.error(code, message, span, hint);
    throw new BindAbort();
  }

  /** Binds statements in order; returns the Rel of the last query statement. */
  bindQueryBody(body: QueryBody, env: Env): Rel | undefined {
    let result: Rel | undefined;
    let sawQuery = false;
    for (const st of body.statements) {
      try {
        const r = this.bindStatement(st, env);
        if (st.kind === 'query') {
          sawQuery = true;
          if (r) result = r;
        }
      } catch (e) {
        if (!(e instanceof BindAbort)) throw e;
        if (st.kind === 'query') sawQuery = true;
      }
    }
    if (!sawQuery && body.statements.length > 0) {
      // Kusto runs such a query and returns no table; say so rather than fail.
      const last = body.statements[body.statements.length - 1]!;
      this.ctx.warn(
        'SF205',
        'the query has only let statements: there is nothing to run',
        last.span,
        'end the query with a table or pipeline, e.g. `T | take 10`',
      );
      return { kind: 'values', cols: [], rows: [] };
    }
    return result;
  }

  private bindStatement(st: Statement, env: Env): Rel | undefined {
    switch (st.kind) {
      case 'let': {
        if (isTabularNode(st.value)) {
          env.set(st.name, { kind: 'tabular', ast: st.value, env: env.snapshot() });
          return undefined;
        }
        const v = st.value;
        if (this.denotesTable(v, env)) {
          env.set(st.name, { kind: 'tabular', ast: this.asTabularAst(v), env: env.snapshot() });
          return undefined;
        }
        if (v.kind === 'call' && env.get(v.name)?.kind === 'function') {
          const r = this.callUserFunction(v, { cols: [] }, env);
          if (r && 'cols' in r) env.set(st.name, { kind: 'rel', rel: r });
          else if (r) env.set(st.name, { kind: 'scalar', expr: r });
          return undefined;
        }
        const expr = this.exprs.bind(v, { cols: [] }, env);
        env.set(st.name, { kind: 'scalar', expr });
        return undefined;
      }
      case 'letFunction':
        env.set(st.name, {
          kind: 'function',
          params: st.params,
          body: st.body,
          env: env.snapshot(),
          name: st.name,
        });
        return undefined;
      case 'set':
      case 'declare':
        return undefined;
      case 'query': {
        const q = st.query;
        if (isTabularNode(q)) return this.bindTabular(q, env);
        if (q.kind === 'name' || q.kind === 'call' || q.kind === 'tabular' || q.kind === 'member')
          return this.bindTabular(this.asTabularAst(q), env);
        return this.fail(
          'SF205',
          'expected a tabular expression (a table, a let name, or a pipeline)',
          q.span,
        );
      }
    }
  }

  /** Whether a let value written as a plain expression is in fact a table (`let T = DeviceEvents;`). */
  private denotesTable(v: Expr, env: Env): boolean {
    if (v.kind === 'tabular') return true;
    if (v.kind === 'name') {
      const b = env.get(v.name);
      if (b) return b.kind === 'tabular' || b.kind === 'rel';
      return this.ctx.schema.table(v.name) !== undefined;
    }
    if (v.kind === 'call') return v.name === 'materialize' || v.name === 'view';
    return false;
  }

  private asTabularAst(v: Expr): TabularExpr {
    switch (v.kind) {
      case 'name':
        return { kind: 'tableRef', span: v.span, name: v.name };
      case 'call':
        return { kind: 'callSource', span: v.span, call: v };
      case 'tabular':
        return v.query;
      case 'member':
        return { kind: 'tableRef', span: v.span, name: v.name, qualified: true };
      default:
        return this.fail('SF205', 'expected a tabular expression', v.span);
    }
  }

  // ------------------------------------------------------------ tabular

  bindTabular(ast: TabularExpr, env: Env): Rel {
    if (ast.kind === 'pipe') {
      const input = this.bindTabular(ast.source, env);
      if (ast.op.kind === 'partition') return bindPartition(this, ast.op, input, env);
      return carryOpenBag(this, ast.op, input, bindOperator(this, ast.op, input, env));
    }
    return this.bindSource(ast, env);
  }

  private bindSource(src: TabularSource, env: Env): Rel {
    switch (src.kind) {
      case 'tableRef':
        return this.tableRef(src.name, src.span, env, src.qualified);
      case 'parenSource':
        return this.bindTabular(src.query, env);
      case 'datatable':
        return this.datatable(src, env);
      case 'print': {
        const names = new Set<string>();
        const cols: IrColumn[] = [];
        const exprs: IrExpr[] = [];
        let unnamed = 0;
        for (const item of src.items) {
          const e = this.exprs.bind(item.expr, { cols: [] }, env);
          let name = item.names?.[0]?.name;
          if (!name) name = `print_${unnamed++}`;
          if (names.has(name)) this.fail('SF105', `duplicate column name '${name}'`, item.span);
          names.add(name);
          cols.push(this.ctx.column(name, e.type));
          exprs.push(e);
        }
        return { kind: 'values', cols, rows: [exprs] };
      }
      case 'range': {
        const from = this.exprs.bind(src.from, { cols: [] }, env);
        const to = this.exprs.bind(src.to, { cols: [] }, env);
        const step = this.exprs.bind(src.step, { cols: [] }, env);
        checkRangeSize(this, from, to, step, src.span);
        const col = this.ctx.column(src.column, from.type === 'int' ? 'long' : from.type);
        return { kind: 'range', cols: [col], from, to, step };
      }
      case 'unionSource':
        return bindOperator(
          this,
          { kind: 'union', span: src.span, params: src.params, tables: src.tables },
          undefined,
          env,
        );
      case 'callSource':
        return this.tabularCall(src.call, env);
      case 'externaldata':
        return bindExternalData(this, src);
      case 'searchSource':
        return bindSearchSource(this, src, env);
      case 'findSource':
        return bindFindSource(this, src, env);
      case 'evaluateSource':
        return this.fail(
          'SF301',
          `evaluate ${src.plugin.name}() as a data source is not supported`,
          src.span,
        );
      case 'unsupportedSource':
        return this.fail('SF301', `the '${src.name}' operator is not supported`, src.span);
    }
  }

  tableRef(name: string, span: Span, env: Env, qualified = false): Rel {
    if (!qualified) {
      const b = env.get(name);
      if (b?.kind === 'tabular') return this.bindTabular(b.ast, b.env);
      if (b?.kind === 'rel') return freshIds(this.ctx, b.rel);
      if (b?.kind === 'function' && b.params.length === 0) {
        const r = this.callUserFunction(
          { kind: 'call', span, name, nameSpan: span, args: [] },
          { cols: [] },
          env,
        );
        if (r && 'cols' in r) return r;
      }
      if (b?.kind === 'scalar') this.fail('SF205', `'${name}' is a scalar value, not a table`, span);
    }
    const table = this.ctx.schema.table(name);
    if (!table) {
      const candidates = [...this.ctx.schema.tableNames(), ...env.names()];
      const near = closestMatch(name, candidates);
      return this.fail(
        'SF101',
        `unknown table '${name}'${near ? `; did you mean '${near}'?` : ''}`,
        span,
        near ? undefined : 'run `socfeed tables` to list the tables of the store',
      );
    }
    const cols = table.columns.map((c) => this.ctx.column(c.name, c.type));
    return {
      kind: 'scan',
      cols,
      table: table.name,
      sourceNames: table.columns.map((c) => c.name),
      hidden: [
        { id: this.ctx.newId(), source: INGESTION_TIME_COLUMN, type: 'datetime', role: 'ingestion_time' },
      ],
    };
  }

  /**
   * Names that resolve without being output columns: Sentinel's TimeGenerated (→ Timestamp) and
   * the ingestion time. They stay visible through row-preserving operators (where, sort, take,
   * extend, project) as long as the column they point at is still there.
   */
  aliasesFor(rel: Rel): Map<string, IrColumn> | undefined {
    let scan: Rel = rel;
    while (scan.kind !== 'scan') {
      if (
        scan.kind === 'filter' ||
        scan.kind === 'sort' ||
        scan.kind === 'limit' ||
        scan.kind === 'serialize' ||
        scan.kind === 'project'
      )
        scan = scan.input;
      else return timeGeneratedAlias(rel);
    }
    const table = this.ctx.schema.table(scan.table);
    if (!table) return timeGeneratedAlias(rel);
    const present = new Set(rel.cols.map((c) => c.id));
    const m = new Map<string, IrColumn>();
    // ingestion_time() reads a storage column that only a scan (and filters over it) can see.
    let direct: Rel = rel;
    while (
      direct.kind === 'filter' ||
      direct.kind === 'sort' ||
      direct.kind === 'limit' ||
      direct.kind === 'serialize'
    )
      direct = direct.input;
    if (direct.kind === 'scan')
      for (const h of direct.hidden ?? [])
        m.set(INGESTION_TIME_ALIAS, { id: h.id, name: INGESTION_TIME_ALIAS, type: h.type });
    for (const [alias, target] of Object.entries(table.aliases)) {
      if (rel.cols.some((c) => c.name === alias)) continue;
      const source = scan.cols.find((x) => x.name === target);
      const c = source && present.has(source.id) ? rel.cols.find((x) => x.id === source.id) : undefined;
      if (c) m.set(alias, c);
    }
    for (const [k, v] of timeGeneratedAlias(rel) ?? []) if (!m.has(k)) m.set(k, v);
    return m.size ? m : undefined;
  }

  private datatable(src: Extract<TabularSource, { kind: 'datatable' }>, env: Env): Rel {
    const cols: IrColumn[] = [];
    for (const c of src.columns) {
      const t = parseTypeName(c.type);
      if (!t) this.fail('SF201', `unknown type '${c.type}'`, c.span);
      cols.push(this.ctx.column(c.name, t));
    }
    if (cols.length === 0) this.fail('SF201', 'datatable needs at least one column', src.span);
    if (src.values.length % cols.length !== 0) {
      this.fail(
        'SF202',
        `datatable has ${src.values.length} values for ${cols.length} columns; the count must be a multiple of the number of columns`,
        src.span,
      );
    }
    const rows: IrExpr[][] = [];
    for (let i = 0; i < src.values.length; i += cols.length) {
      const row: IrExpr[] = [];
      for (let j = 0; j < cols.length; j++) {
        const ast = src.values[i + j]!;
        const v = this.exprs.bind(ast, { cols: [] }, env);
        const want = cols[j]!.type;
        const conv = this.exprs.convert(v, want);
        if (conv.type !== want && !(conv.kind === 'const' && conv.value === null)) {
          this.fail(
            'SF201',
            `value of type ${v.type} does not fit column '${cols[j]!.name}' of type ${want}`,
            ast.span,
          );
        }
        row.push(
          conv.kind === 'const' && conv.value === null
            ? { kind: 'const', type: want, value: want === 'string' ? '' : null }
            : conv,
        );
      }
      rows.push(row);
    }
    return { kind: 'values', cols, rows };
  }

  private tabularCall(call: CallExpr, env: Env): Rel {
    const b = env.get(call.name);
    if (b?.kind === 'function') {
      const r = this.callUserFunction(call, { cols: [] }, env);
      if (r && 'cols' in r) return r;
      return this.fail('SF205', `function '${call.name}' returns a scalar value, not a table`, call.span);
    }
    if (call.name === 'materialize' || call.name === 'view') {
      const arg = call.args[0];
      if (!arg || call.args.length !== 1)
        this.fail('SF202', `${call.name}() takes one tabular argument`, call.span);
      const tab = this.exprs.tabularItem(arg, env);
      if (!tab) this.fail('SF205', `${call.name}() needs a tabular argument`, arg.span);
      return tab;
    }
    if (
      call.name === 'cluster' ||
      call.name === 'database' ||
      call.name === 'workspace' ||
      call.name === 'app' ||
      call.name === 'arg' ||
      call.name === 'adx'
    ) {
      return this.fail(
        'SF303',
        `cross-cluster and cross-workspace references (${call.name}()) are not supported`,
        call.span,
      );
    }
    if (call.name === 'table') {
      const arg = call.args[0];
      if (arg?.kind === 'literal' && typeof arg.value === 'string')
        return this.tableRef(arg.value, arg.span, env);
      // A let or function parameter holding a constant (`let f = (t:string) { table(t) }; f("X")`).
      const bound = arg?.kind === 'name' ? env.get(arg.name) : undefined;
      if (bound?.kind === 'scalar' && bound.expr.kind === 'const' && typeof bound.expr.value === 'string')
        return this.tableRef(bound.expr.value, arg!.span, env);
      return this.fail('SF204', 'table() needs a constant table name', call.span);
    }
    const near = closestMatch(call.name, env.names());
    return this.fail(
      'SF103',
      `unknown tabular function '${call.name}'${near ? `; did you mean '${near}'?` : ''}`,
      call.nameSpan,
    );
  }

  /** Inlines a call of a `let` function: binds its body with parameters bound to the arguments. */
  callUserFunction(call: CallExpr, row: RowScope, env: Env, input?: Rel): IrExpr | Rel | undefined {
    const f = env.get(call.name);
    if (f?.kind !== 'function') return undefined;
    if (this.ctx.depth > 32)
      this.fail(
        'SF303',
        `function '${call.name}' calls itself too deeply (recursion is not supported)`,
        call.span,
      );
    const inner = new Env(f.env);
    const args = [...call.args];
    let inputUsed = false;
    for (let i = 0; i < f.params.length; i++) {
      const p = f.params[i]!;
      if (p.type === 'tabular' && input && !inputUsed) {
        inner.set(p.name, { kind: 'rel', rel: input });
        inputUsed = true;
        continue;
      }
      const a = args.shift();
      if (!a) {
        if (p.default) {
          inner.set(p.name, { kind: 'scalar', expr: this.exprs.bind(p.default, { cols: [] }, f.env) });
          continue;
        }
        this.fail('SF202', `${call.name}() is missing argument '${p.name}'`, call.span);
      }
      if (p.type === 'tabular') {
        const tab = this.exprs.tabularItem(a, env);
        if (!tab) this.fail('SF205', `argument '${p.name}' of ${call.name}() must be a table`, a.span);
        inner.set(p.name, { kind: 'rel', rel: tab });
      } else {
        const v = this.exprs.bind(a, row, env);
        const t = parseTypeName(p.type);
        inner.set(p.name, { kind: 'scalar', expr: t ? this.exprs.convert(v, t) : v });
      }
    }
    if (args.length > 0)
      this.fail(
        'SF202',
        `${call.name}() takes ${f.params.length} argument(s), got ${call.args.length}`,
        call.span,
      );
    this.ctx.depth++;
    try {
      const stmts = f.body.statements;
      const last = stmts[stmts.length - 1];
      if (!last) this.fail('SF205', `function '${call.name}' has an empty body`, call.span);
      for (const st of stmts.slice(0, -1)) this.bindStatement(st, inner);
      if (last.kind === 'query' && !isTabularNode(last.query)) {
        const q = last.query;
        const isTable =
          this.denotesTable(q, inner) ||
          (q.kind === 'call' && inner.get(q.name)?.kind === 'function' && false);
        if (!isTable) return this.exprs.bind(q, { cols: [] }, inner);
      }
      return this.bindStatement(last, inner);
    } finally {
      this.ctx.depth--;
    }
  }

  /** The row scope operators see for `rel`'s output. */
  rowOf(rel: Rel): RowScope {
    const row: RowScope = { cols: rel.cols };
    const aliases = this.aliasesFor(rel);
    if (aliases) row.aliases = aliases;
    if (isSerialized(rel)) row.serialized = true;
    const openBag = this.ctx.openBags.get(rel);
    if (openBag) row.openBag = openBag;
    return row;
  }
}

/**
 * Any result with a Timestamp column also answers to Sentinel's TimeGenerated; after a join the
 * numbered copies pair up too (Timestamp1 ↔ TimeGenerated1), as Kusto's collision renaming of
 * Sentinel's real TimeGenerated columns would name them.
 */
function timeGeneratedAlias(rel: Rel): Map<string, IrColumn> | undefined {
  const m = new Map<string, IrColumn>();
  for (const c of rel.cols) {
    const n = /^Timestamp(\d*)$/.exec(c.name);
    if (!n) continue;
    const alias = `TimeGenerated${n[1]}`;
    if (!rel.cols.some((x) => x.name === alias)) m.set(alias, c);
  }
  return m.size ? m : undefined;
}

/**
 * A bound table (`as` name, tabular function parameter) used again: its columns get new ids, so a
 * self-join or a union of two uses never has two columns with one id.
 */
function freshIds(ctx: BindContext, rel: Rel): Rel {
  return {
    kind: 'project',
    cols: rel.cols.map((c) => ({ ...c, id: ctx.newId() })),
    input: rel,
    exprs: rel.cols.map(colRef),
  };
}

/** Whether a Rel's rows have a defined order (after sort, top, serialize, range). */
export function isSerialized(rel: Rel): boolean {
  switch (rel.kind) {
    case 'sort':
    case 'serialize':
    case 'range':
      return true;
    case 'filter':
    case 'project':
    case 'limit':
      return isSerialized(rel.input);
    default:
      return false;
  }
}

export { colRef };
