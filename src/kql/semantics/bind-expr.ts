import type { Span } from '../diagnostics.js';
import { CLOUD_SERVICE_FUNCTIONS } from './catalog/cloud-services.js';
import type { CallExpr, Expr, InExpr, LiteralExpr, TabularExpr } from '../syntax/ast.js';
import { STRING_OPERATORS } from '../syntax/tokens.js';
import type { ConstValue, IrExpr, JsonLike } from '../../sql/ir/expr.js';
import type { Rel } from '../../sql/ir/nodes.js';
import { closestMatch } from '../../util/suggest.js';
import { aggregateFunction } from './catalog/aggregate.js';
import { resolveReturn, scalarFunction, scalarFunctionNames, type ScalarFunction } from './catalog/scalar.js';
import { foldCall } from './fold.js';
import { parseDatetimeText, parseTimeOfDayText, parseTimespanText, TICKS_PER_DAY } from './literals.js';
import { BindAbort, type BindContext, type Env, type RowScope, lookupColumn } from './scope.js';
import {
  commonType,
  CONVERSION_FUNCTION,
  isNumeric,
  parseTypeName,
  promoteNumeric,
  type KqlScalarType,
} from './types.js';

/** What the expression binder needs from the tabular binder (subqueries, user functions). */
export interface BinderApi {
  ctx: BindContext;
  bindTabular(ast: TabularExpr, env: Env): Rel;
  /** Inlines a user-defined function call; returns a scalar IR expression or a Rel. */
  callUserFunction(call: CallExpr, row: RowScope, env: Env, input?: Rel): IrExpr | Rel | undefined;
}

const call = (fn: string, type: KqlScalarType, args: IrExpr[]): IrExpr => ({ kind: 'call', fn, type, args });
const konst = (type: KqlScalarType, value: ConstValue): IrExpr => ({ kind: 'const', type, value });

/** String-operator spelling → catalog id and whether it is negated. */
const STRING_OPS: Record<string, [string, boolean]> = {};
for (const base of STRING_OPERATORS) {
  STRING_OPS[base] = [base, false];
  STRING_OPS[`!${base}`] = [base, true];
}
Object.assign(STRING_OPS, {
  notcontains: ['contains', true],
  notcontainscs: ['contains_cs', true],
  containscs: ['contains_cs', false],
  nothas: ['has', true],
  nothas_cs: ['has_cs', true],
  notstartswith: ['startswith', true],
  notendswith: ['endswith', true],
  'matches regex': ['matches_regex', false],
  like: ['like', false],
  notlike: ['like', true],
  likecs: ['like_cs', false],
  notlikecs: ['like_cs', true],
});

/** Positions of string parameters: a dynamic argument there is converted with tostring() first. */
const STRING_PARAMS: Record<string, number[]> = {
  tolower: [0],
  toupper: [0],
  strlen: [0],
  substring: [0],
  split: [0, 1],
  replace_string: [0, 1, 2],
  replace_regex: [0, 2],
  trim: [1],
  trim_start: [1],
  trim_end: [1],
  indexof: [0, 1],
  countof: [0, 1],
  extract: [2],
  reverse: [0],
  url_decode: [0],
  url_encode: [0],
  url_encode_component: [0],
  base64_decode_tostring: [0],
  base64_encode_tostring: [0],
  hash_sha256: [0],
  hash_sha1: [0],
  hash_md5: [0],
  parse_url: [0],
  parse_path: [0],
  parse_command_line: [0],
  parse_ipv4: [0],
  ipv4_is_private: [0],
  ipv4_is_in_range: [0, 1],
  ipv4_is_match: [0, 1],
  has_ipv4: [0, 1],
  has_ipv4_prefix: [0, 1],
  extractjson: [1],
  parse_xml: [0],
  format_datetime: [1],
  isascii: [0],
  strcat_delim: [0],
  parse_csv: [0],
  translate: [0, 1, 2],
  string_size: [0],
  parse_version: [0],
  parse_user_agent: [0],
};

export class ExprBinder {
  constructor(private readonly api: BinderApi) {}

  private get ctx(): BindContext {
    return this.api.ctx;
  }

  private fail(code: Parameters<BindContext['error']>[0], message: string, span: Span, hint?: string): never {
    this.ctx.error(code, message, span, hint);
    throw new BindAbort();
  }

  bind(e: Expr, row: RowScope, env: Env): IrExpr {
    const r = this.bindNode(e, row, env);
    if (r.kind === 'call' && !r.span) r.span = e.span;
    return r;
  }

  private bindNode(e: Expr, row: RowScope, env: Env): IrExpr {
    switch (e.kind) {
      case 'literal':
        return this.literal(e);
      case 'name':
        return this.name(e.name, e.span, row, env);
      case 'call':
        return this.call(e, row, env);
      case 'binary':
        return this.binary(e.op, e.left, e.right, e.span, e.opSpan, row, env);
      case 'unary': {
        const operand = this.bind(e.operand, row, env);
        if (e.op === '+') return operand;
        const t = operand.type === 'dynamic' ? 'real' : operand.type;
        if (!isNumeric(t) && t !== 'timespan')
          this.fail('SF203', `cannot negate a value of type ${operand.type}`, e.span);
        return this.fold('neg', t, [this.convert(operand, t)]);
      }
      case 'between': {
        const x = this.bind(e.expr, row, env);
        const lo = this.bind(e.low, row, env);
        let hi = this.bind(e.high, row, env);
        // For datetimes the upper bound may be a timespan: dt between (start .. 1d).
        if ((x.type === 'datetime' || lo.type === 'datetime') && hi.type === 'timespan')
          hi = this.fold('add', 'datetime', [lo, hi]);
        const t = this.comparisonType(x, lo, e.span);
        const b = call('between', 'bool', [this.convert(x, t), this.convert(lo, t), this.convert(hi, t)]);
        return e.negated ? call('not', 'bool', [b]) : b;
      }
      case 'in':
        return this.inList(e, row, env);
      case 'member':
        return this.member(e.object, e.name, e.span, row, env);
      case 'index': {
        let obj = this.bind(e.object, row, env);
        const idx = this.bind(e.index, row, env);
        if (obj.type === 'string') obj = call('todynamic', 'dynamic', [obj]);
        if (obj.type !== 'dynamic')
          this.fail(
            'SF203',
            `cannot index a value of type ${obj.type}`,
            e.span,
            'only dynamic values (arrays, property bags) can be indexed',
          );
        if (idx.type === 'string') return call('dyn_get', 'dynamic', [obj, idx]);
        return call('dyn_index', 'dynamic', [obj, this.convert(idx, 'long')]);
      }
      case 'tabular':
        return this.fail(
          'SF206',
          'a tabular expression cannot be used as a scalar value',
          e.span,
          'wrap it in toscalar(…) to use its first value',
        );
      case 'star':
        return this.fail('SF001', "'*' is not valid here", e.span);
      case 'typeof':
        return this.fail('SF001', 'typeof(…) is not valid here', e.span);
      case 'namedArg':
        return this.fail('SF001', `named argument '${e.name}' is not valid here`, e.span);
    }
  }

  // ------------------------------------------------------------ leaves

  literal(e: LiteralExpr): IrExpr {
    switch (e.type) {
      case 'string':
        return konst('string', e.value as string);
      case 'bool':
        return konst('bool', e.nullOf ? parseBool(e.value) : (e.value as boolean));
      case 'long':
      case 'int': {
        const t: KqlScalarType = e.nullOf === 'int' ? 'int' : 'long';
        const raw = e.value;
        if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return konst(t, BigInt(raw));
        const n = Number(raw);
        if (Number.isNaN(n)) this.fail('SF004', `invalid ${t} literal`, e.span);
        return konst(t, BigInt(Math.trunc(n)));
      }
      case 'real':
      case 'decimal': {
        const t: KqlScalarType = e.type === 'decimal' || e.nullOf === 'decimal' ? 'decimal' : 'real';
        return konst(t, typeof e.value === 'number' ? e.value : Number(e.value));
      }
      case 'datetime': {
        const text = String(e.value);
        if (text === 'null') return konst('datetime', null);
        const timeOfDay = parseTimeOfDayText(text);
        if (timeOfDay !== undefined) {
          const midnight =
            this.ctx.nowTicks - (((this.ctx.nowTicks % TICKS_PER_DAY) + TICKS_PER_DAY) % TICKS_PER_DAY);
          return konst('datetime', midnight + timeOfDay);
        }
        const ticks = parseDatetimeText(text);
        if (ticks === undefined)
          this.fail(
            'SF004',
            `invalid datetime literal '${text}'`,
            e.span,
            'use ISO 8601, e.g. datetime(2024-01-31 13:45:00)',
          );
        return konst('datetime', ticks);
      }
      case 'timespan': {
        if (e.nullOf !== 'raw') return konst('timespan', BigInt(e.value as string));
        const text = String(e.value);
        if (text === 'null') return konst('timespan', null);
        const ticks = parseTimespanText(text);
        if (ticks === undefined)
          this.fail('SF004', `invalid timespan literal '${text}'`, e.span, 'e.g. timespan(1.02:03:04) or 5d');
        return konst('timespan', ticks);
      }
      case 'guid': {
        const text = String(e.value);
        if (text === 'null') return konst('guid', null);
        if (!/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(text))
          this.fail('SF004', `invalid guid literal '${text}'`, e.span);
        return konst('guid', text.toLowerCase());
      }
      case 'dynamic':
        return konst('dynamic', toJson(e.value));
      case 'null': {
        const t = parseTypeName(e.nullOf ?? '') ?? 'dynamic';
        // string(null) is "" in Kusto: strings are never null.
        return t === 'string' ? konst('string', '') : konst(t, null);
      }
    }
  }

  name(name: string, span: Span, row: RowScope, env: Env): IrExpr {
    const col = lookupColumn(row, name);
    if (col) return { kind: 'col', type: col.type, id: col.id };
    const b = env.get(name);
    if (b?.kind === 'scalar') return b.expr;
    if (b?.kind === 'tabular' || b?.kind === 'rel')
      this.fail(
        'SF206',
        `'${name}' is a tabular expression and cannot be used as a scalar value`,
        span,
        `use toscalar(${name}) or '${name}' in a list context`,
      );
    if (b?.kind === 'function') this.fail('SF206', `'${name}' is a function; call it as ${name}(…)`, span);
    const empty = this.ctx.openBagColumn(row, name, span);
    if (empty) return empty;
    const candidates = [
      ...row.cols.map((c) => c.name),
      ...(row.aliases ? [...row.aliases.keys()] : []),
      ...env.names(),
    ];
    const near = closestMatch(name, candidates);
    const tables = this.ctx.schema.tableNames();
    if (!near && tables.includes(name))
      this.fail('SF206', `'${name}' is a table and cannot be used as a scalar value`, span);
    return this.fail(
      'SF102',
      `unknown column '${name}'${near ? `; did you mean '${near}'?` : ''}`,
      span,
      near ? undefined : 'check the column names of the table (socfeed schema)',
    );
  }

  private member(objectAst: Expr, prop: string, span: Span, row: RowScope, env: Env): IrExpr {
    if (objectAst.kind === 'name' && (objectAst.name === '$left' || objectAst.name === '$right')) {
      const side = objectAst.name === '$left' ? row.left : row.right;
      if (!side) this.fail('SF104', `${objectAst.name} can only be used in a join condition`, objectAst.span);
      return this.name(prop, span, side, env);
    }
    let obj = this.bind(objectAst, row, env);
    // Defender stores AdditionalFields-style JSON in string columns that Sentinel types as
    // dynamic; queries written for Sentinel access them directly, so parse them implicitly.
    if (obj.type === 'string') obj = call('todynamic', 'dynamic', [obj]);
    if (obj.type !== 'dynamic')
      this.fail(
        'SF203',
        `cannot access property '${prop}' of a value of type ${obj.type}`,
        span,
        'property access needs a dynamic value: parse it with parse_json() first',
      );
    return call('dyn_get', 'dynamic', [obj, konst('string', prop)]);
  }

  // ------------------------------------------------------------ conversions

  /** Implicit conversion used by comparisons and typed parameters (dynamic → the wanted type). */
  convert(e: IrExpr, to: KqlScalarType): IrExpr {
    if (e.type === to) return e;
    if (e.kind === 'const' && e.value === null) return konst(to, null);
    if (e.type === 'dynamic') return call(CONVERSION_FUNCTION[to], to, [e]);
    if (e.type === 'bool' && isNumeric(to)) return call('cast', to, [e]);
    if (e.type === 'string' && e.kind === 'const' && (isNumeric(to) || to === 'bool')) {
      const text = String(e.value).trim();
      if (to === 'bool')
        return konst('bool', /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : null);
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) return konst(to, null);
      return konst(to, to === 'real' || to === 'decimal' ? n : BigInt(Math.trunc(n)));
    }
    if (isNumeric(e.type) && isNumeric(to)) {
      if (e.kind === 'const') {
        if (to === 'real' || to === 'decimal') return konst(to, Number(e.value));
        if (typeof e.value === 'number') return konst(to, BigInt(Math.trunc(e.value)));
        return konst(to, e.value);
      }
      return call('cast', to, [e]);
    }
    if (e.type === 'string' && isNumeric(to))
      return { kind: 'call', fn: CONVERSION_FUNCTION[to], type: to, args: [e], nullable: true };
    if (to === 'dynamic') return call('todynamic', 'dynamic', [e]);
    return e;
  }

  private comparisonType(a: IrExpr, b: IrExpr, span: Span, equality = false): KqlScalarType {
    if (a.type === b.type) return a.type;
    if (a.type === 'dynamic') return b.type;
    if (b.type === 'dynamic') return a.type;
    const n = promoteNumeric(a.type, b.type);
    if (n) return n;
    // Kusto compares bools with numbers (IsSigned == 1) as 0/1.
    if ((a.type === 'bool' && isNumeric(b.type)) || (b.type === 'bool' && isNumeric(a.type))) return 'long';
    // A string constant compared with a number or bool is converted when it parses (Port == "3389").
    if (a.type === 'string' && a.kind === 'const' && (isNumeric(b.type) || b.type === 'bool')) return b.type;
    if (b.type === 'string' && b.kind === 'const' && (isNumeric(a.type) || a.type === 'bool')) return a.type;
    // Equality (not order) of any string with a number is allowed too (Kusto.Language binds
    // extract(…) == ProcessId); the string is converted, and one that does not parse equals nothing.
    if (equality && a.type === 'string' && isNumeric(b.type)) return b.type;
    if (equality && b.type === 'string' && isNumeric(a.type)) return a.type;
    // Kusto compares a guid with its string form, and datetimes with strings that parse.
    if ((a.type === 'guid' && b.type === 'string') || (a.type === 'string' && b.type === 'guid'))
      return 'string';
    return this.fail('SF203', `cannot compare ${a.type} with ${b.type}`, span);
  }

  private fold(fn: string, type: KqlScalarType, args: IrExpr[]): IrExpr {
    return foldCall(fn, args, type) ?? call(fn, type, args);
  }

  // ------------------------------------------------------------ operators

  private binary(op: string, l: Expr, r: Expr, _span: Span, opSpan: Span, row: RowScope, env: Env): IrExpr {
    if (op === 'and' || op === 'or') {
      const a = this.asBool(this.bind(l, row, env), l.span);
      const b = this.asBool(this.bind(r, row, env), r.span);
      return call(op, 'bool', [a, b]);
    }
    const left = this.bind(l, row, env);
    const right = this.bind(r, row, env);
    switch (op) {
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const t = this.comparisonType(left, right, opSpan, op === '==' || op === '!=');
        const ids: Record<string, string> = {
          '==': 'eq',
          '!=': 'ne',
          '<': 'lt',
          '<=': 'le',
          '>': 'gt',
          '>=': 'ge',
        };
        return call(ids[op]!, 'bool', [this.convert(left, t), this.convert(right, t)]);
      }
      case '=~':
      case '!~':
        return call(op === '=~' ? 'eq_ci' : 'ne_ci', 'bool', [this.asString(left), this.asString(right)]);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(op, left, right, opSpan);
    }
    const sop = STRING_OPS[op];
    if (sop) {
      const [fn, negated] = sop;
      const b = call(fn, 'bool', [this.asString(left), this.asString(right)]);
      return negated ? call('not', 'bool', [b]) : b;
    }
    return this.fail('SF301', `operator '${op}' is not supported`, opSpan);
  }

  asBool(e: IrExpr, span: Span): IrExpr {
    if (e.type === 'bool') return e;
    if (e.type === 'dynamic') return call('tobool', 'bool', [e]);
    return this.fail('SF201', `expected a bool (true/false) expression, found ${e.type}`, span);
  }

  asString(e: IrExpr): IrExpr {
    if (e.type === 'string') return e;
    return call('tostring', 'string', [e]);
  }

  private arithmetic(op: string, a: IrExpr, b: IrExpr, span: Span): IrExpr {
    const ids: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' };
    const fn = ids[op]!;
    let at = a.type === 'dynamic' ? 'real' : a.type;
    let bt = b.type === 'dynamic' ? 'real' : b.type;
    if (a.type === 'dynamic' && b.type !== 'dynamic' && isNumeric(b.type)) at = b.type;
    if (b.type === 'dynamic' && a.type !== 'dynamic' && isNumeric(a.type)) bt = a.type;
    const A = this.convert(a, at);
    const B = this.convert(b, bt);
    const bad = () =>
      this.fail('SF203', `operator '${op}' cannot be applied to ${a.type} and ${b.type}`, span);
    if (isNumeric(at) && isNumeric(bt)) return this.fold(fn, promoteNumeric(at, bt)!, [A, B]);
    if (at === 'datetime' && bt === 'datetime' && fn === 'sub') return this.fold('sub', 'timespan', [A, B]);
    if (at === 'datetime' && bt === 'timespan' && (fn === 'add' || fn === 'sub'))
      return this.fold(fn, 'datetime', [A, B]);
    if (at === 'timespan' && bt === 'datetime' && fn === 'add') return this.fold('add', 'datetime', [B, A]);
    if (at === 'timespan' && bt === 'timespan') {
      if (fn === 'add' || fn === 'sub' || fn === 'mod') return this.fold(fn, 'timespan', [A, B]);
      if (fn === 'div') return call('div', 'real', [A, B]);
      return bad();
    }
    if (at === 'timespan' && isNumeric(bt) && (fn === 'mul' || fn === 'div'))
      return this.fold(fn, 'timespan', [A, B]);
    if (isNumeric(at) && bt === 'timespan' && fn === 'mul') return this.fold('mul', 'timespan', [B, A]);
    return bad();
  }

  // ------------------------------------------------------------ in / has_any

  private inList(e: InExpr, row: RowScope, env: Env): IrExpr {
    const negated = e.op.startsWith('!');
    const base = negated ? e.op.slice(1) : e.op;
    const lhs0 = this.bind(e.expr, row, env);
    const isHas = base === 'has_any' || base === 'has_all';
    const lhs = isHas || base === 'in~' ? this.asString(lhs0) : lhs0;
    const items: IrExpr[] = [];
    let sub: IrExpr | undefined;
    for (const item of e.list) {
      const tab = this.tabularItem(item, env);
      if (tab) {
        if (e.list.length > 1)
          this.fail('SF201', 'a tabular expression must be the only element of the list', item.span);
        const first = tab.cols[0];
        if (!first) this.fail('SF205', 'the tabular expression has no columns', item.span);
        if (lhs.type === 'string' && first.type !== 'string') {
          // A string tested against a column of another type compares with that column's text.
          const text = { id: this.ctx.newId(), name: first.name, type: 'string' as const };
          const rel: Rel = {
            kind: 'project',
            cols: [text],
            input: tab,
            exprs: [this.asString({ kind: 'col', type: first.type, id: first.id })],
          };
          sub = { kind: 'subquery', type: 'string', rel, mode: 'list' };
          continue;
        }
        sub = { kind: 'subquery', type: first.type, rel: tab, mode: 'list' };
        continue;
      }
      const v = this.bind(item, row, env);
      if (v.kind === 'const' && v.type === 'dynamic') {
        for (const x of flattenJson(v.value as JsonLike)) items.push(jsonToConst(x));
      } else items.push(v);
    }
    const fn = base === 'in' ? 'in' : base === 'in~' ? 'in_ci' : base;
    let rhs: IrExpr;
    if (sub) rhs = sub;
    else {
      const wanted = isHas || base === 'in~' ? 'string' : lhs.type;
      rhs = {
        kind: 'list',
        type: wanted,
        items: items.map((x) => (isHas || base === 'in~' ? this.asString(x) : this.convertForIn(x, wanted))),
      };
    }
    const b = call(fn, 'bool', [lhs, rhs]);
    return negated ? call('not', 'bool', [b]) : b;
  }

  private convertForIn(x: IrExpr, wanted: KqlScalarType): IrExpr {
    if (x.type === wanted) return x;
    if (isNumeric(x.type) && isNumeric(wanted)) return this.convert(x, wanted);
    if (wanted === 'dynamic') return x;
    if (x.type === 'dynamic' || x.kind === 'const') return this.convert(x, wanted);
    return x;
  }

  /** A list element that denotes a table: `(T | …)`, a tabular let name, or a table name. */
  tabularItem(item: Expr, env: Env): Rel | undefined {
    if (item.kind === 'tabular') return this.api.bindTabular(item.query, env);
    if (item.kind === 'name') {
      const b = env.get(item.name);
      if (b?.kind === 'tabular' || b?.kind === 'rel')
        return this.api.bindTabular({ kind: 'tableRef', span: item.span, name: item.name }, env);
      if (!b && this.ctx.schema.table(item.name))
        return this.api.bindTabular({ kind: 'tableRef', span: item.span, name: item.name }, env);
    }
    if (item.kind === 'call') {
      const b = env.get(item.name);
      if (b?.kind === 'function') {
        const r = this.api.callUserFunction(item, { cols: [] }, env);
        if (r && 'cols' in r) return r;
      }
      if (item.name === 'materialize')
        return this.api.bindTabular({ kind: 'callSource', span: item.span, call: item }, env);
    }
    return undefined;
  }

  // ------------------------------------------------------------ calls

  private call(e: CallExpr, row: RowScope, env: Env): IrExpr {
    const user = env.get(e.name);
    if (user?.kind === 'function') {
      const r = this.api.callUserFunction(e, row, env);
      if (!r || 'cols' in r)
        this.fail('SF206', `function '${e.name}' returns a table, not a scalar value`, e.span);
      return r;
    }
    switch (e.name) {
      case 'now': {
        const offset = e.args[0] ? this.bind(e.args[0], row, env) : undefined;
        return this.timeFromNow(offset, 1n, e.span);
      }
      case 'ago': {
        if (e.args.length !== 1) this.fail('SF202', 'ago() takes one timespan argument', e.span);
        return this.timeFromNow(this.bind(e.args[0]!, row, env), -1n, e.span);
      }
      case 'toscalar': {
        const arg = e.args[0];
        if (!arg || e.args.length !== 1) this.fail('SF202', 'toscalar() takes one argument', e.span);
        const tab = this.tabularItem(arg, env);
        if (!tab) return this.bind(arg, row, env);
        const first = tab.cols[0];
        if (!first) this.fail('SF205', 'the tabular expression has no columns', arg.span);
        return { kind: 'subquery', type: first.type, rel: tab, mode: 'scalar' };
      }
      case 'row_number':
      case 'prev':
      case 'next':
        return this.windowCall(e, row, env);
      case 'column_ifexists': {
        const [nameArg, dflt] = e.args;
        if (!nameArg || !dflt || e.args.length !== 2)
          this.fail('SF202', 'column_ifexists() takes a column name and a default value', e.span);
        // The name may come from a let or a function parameter bound to a constant string.
        const named = this.bind(nameArg, { cols: [] }, env);
        if (named.kind !== 'const' || typeof named.value !== 'string')
          this.fail('SF204', 'column_ifexists() needs a constant column name', nameArg.span);
        const c = lookupColumn(row, named.value);
        return c ? { kind: 'col', type: c.type, id: c.id } : this.bind(dflt, row, env);
      }
      case 'ingestion_time': {
        const c = row.aliases?.get('$ingestion_time');
        if (!c)
          this.fail(
            'SF201',
            'ingestion_time() is only available directly on table rows',
            e.span,
            'call it before summarize, project or join',
          );
        return { kind: 'col', type: 'datetime', id: c.id };
      }
      case 'column_names_of': {
        // The column names of a tabular argument, known when binding: a constant array.
        const arg = e.args[0];
        if (!arg || e.args.length !== 1)
          this.fail('SF202', 'column_names_of() takes one tabular argument', e.span);
        const tab = this.tabularItem(arg, env);
        if (!tab)
          this.fail(
            'SF205',
            'column_names_of() needs a table, a tabular let name or a function call returning a table',
            arg.span,
          );
        return konst(
          'dynamic',
          tab.cols.map((c) => c.name),
        );
      }
      case 'bag_pack_columns': {
        // bag_pack_columns(A, B) is bag_pack("A", A, "B", B): arguments must be columns.
        const args: IrExpr[] = [];
        for (const a of e.args) {
          if (a.kind !== 'name') this.fail('SF201', 'bag_pack_columns() takes column names only', a.span);
          args.push(konst('string', a.name), this.bind(a, row, env));
        }
        return { kind: 'call', fn: 'bag_pack', type: 'dynamic', args };
      }
      case 'pack_all': {
        // pack_all() is a property bag of every input column (not those made earlier in the same
        // extend); pack_all(true) leaves out null and empty values.
        const args: IrExpr[] = [];
        for (const c of row.inputCols ?? row.cols)
          args.push(konst('string', c.name), { kind: 'col', type: c.type, id: c.id });
        const skipEmpty = e.args[0] ? this.bind(e.args[0], row, env) : undefined;
        if (skipEmpty && (skipEmpty.kind !== 'const' || typeof skipEmpty.value !== 'boolean'))
          this.fail('SF204', 'pack_all() takes a constant bool', e.args[0]!.span);
        const dropEmpty = skipEmpty?.kind === 'const' && skipEmpty.value === true;
        return { kind: 'call', fn: dropEmpty ? 'bag_pack_nonempty' : 'bag_pack', type: 'dynamic', args };
      }
    }
    const aggDef = aggregateFunction(e.name);
    if (aggDef && row.aggregate) return row.aggregate(e, aggDef);
    if (aggDef && !scalarFunction(e.name)) {
      this.fail(
        'SF201',
        `aggregation function '${e.name}' can only be used in summarize (or make-series)`,
        e.nameSpan,
      );
    }
    const f = scalarFunction(e.name);
    if (!f) {
      const near = closestMatch(e.name, [...scalarFunctionNames(), ...env.names()]);
      this.fail(
        'SF103',
        `unknown function '${e.name}'${near ? `; did you mean '${near}'?` : ''}`,
        e.nameSpan,
      );
    }
    if (e.args.length < f.minArgs || e.args.length > f.maxArgs) {
      const expect =
        f.minArgs === f.maxArgs
          ? `${f.minArgs}`
          : f.maxArgs >= 64
            ? `at least ${f.minArgs}`
            : `${f.minArgs} to ${f.maxArgs}`;
      this.fail(
        'SF202',
        `${e.name}() takes ${expect} argument${f.maxArgs === 1 ? '' : 's'}, got ${e.args.length}`,
        e.span,
      );
    }
    const written = e.args.map((a, i) => this.argument(f, a, i, e.args.length, row, env));
    const args = f.argOrder ? f.argOrder.map((i) => written[i]!) : written;
    const cloud = CLOUD_SERVICE_FUNCTIONS.get(f.id);
    if (cloud) {
      this.ctx.warn('SF303', cloud.warning, e.span, cloud.hint);
      return konst('dynamic', cloud.result);
    }
    return this.finishCall(f, args, e);
  }

  private argument(f: ScalarFunction, a: Expr, i: number, count: number, row: RowScope, env: Env): IrExpr {
    if (a.kind === 'typeof') {
      const t = parseTypeName(a.typeName);
      if (!t) this.fail('SF201', `unknown type '${a.typeName}'`, a.span);
      return konst('string', `typeof:${t}`);
    }
    if (a.kind === 'star' && f.id === 'pack_all') return konst('string', '*');
    let v = this.bind(a, row, env);
    // extract_all's text is its last argument (a captureGroups array may come before it).
    const textAt = f.id === 'extract_all' ? [count - 1] : STRING_PARAMS[f.id];
    if (v.type === 'dynamic' && textAt?.includes(i)) v = this.asString(v);
    // bag_pack keys (every other argument) are strings; a dynamic key is used as its text.
    if (v.type === 'dynamic' && f.id === 'bag_pack' && i % 2 === 0) v = this.asString(v);
    if (f.constArgs?.includes(i) && v.kind !== 'const')
      this.fail('SF204', `argument ${i + 1} of ${f.id}() must be a constant`, a.span);
    return v;
  }

  private finishCall(f: ScalarFunction, args: IrExpr[], e: CallExpr): IrExpr {
    let types = args.map((a) => a.type);
    if (f.id === 'extract' || f.id === 'extractjson' || f.id === 'percentile_tdigest') {
      const t =
        args.length === (f.id === 'extract' ? 4 : 3)
          ? String((args[args.length - 1] as { value: ConstValue }).value).replace('typeof:', '')
          : f.id === 'percentile_tdigest'
            ? 'dynamic'
            : 'string';
      return { kind: 'call', fn: f.id, type: t as KqlScalarType, args, nullable: true };
    }
    if (f.id === 'iff' || f.id === 'case' || f.id === 'coalesce' || f.id === 'min_of' || f.id === 'max_of') {
      return this.branching(f, args, e);
    }
    const rt = resolveReturn(f, types);
    if (!rt) this.fail('SF201', `${e.name}() cannot be applied to (${types.join(', ')})`, e.span);
    if (f.id === 'bin' && rt === 'datetime' && args[1]?.type !== 'timespan')
      this.fail('SF201', 'bin() of a datetime needs a timespan bin size', e.span);
    types = [];
    const folded = foldCall(f.id, args, rt);
    return folded ?? { kind: 'call', fn: f.id, type: rt, args, ...(f.mayBeNull ? { nullable: true } : {}) };
  }

  private branching(f: ScalarFunction, args: IrExpr[], e: CallExpr): IrExpr {
    const valueIdx =
      f.id === 'iff'
        ? [1, 2]
        : f.id === 'case'
          ? args.map((_, i) => i).filter((i) => i % 2 === 1 || i === args.length - 1)
          : args.map((_, i) => i);
    if (f.id === 'case' && args.length % 2 === 0)
      this.fail('SF202', 'case() needs condition/value pairs and a final else value', e.span);
    let t: KqlScalarType | undefined;
    const isNullAt = (i: number): boolean =>
      args[i]!.kind === 'const' && (args[i] as { value: ConstValue }).value === null;
    // iff/case: dynamic branches take the other branches' type (Kusto types iff(c, dyn, "x") as string).
    const skipDynamic =
      (f.id === 'iff' || f.id === 'case') &&
      valueIdx.some((i) => !isNullAt(i) && args[i]!.type !== 'dynamic');
    for (const i of valueIdx) {
      const at = args[i]!.type;
      if (isNullAt(i) || (skipDynamic && at === 'dynamic')) continue;
      t = t === undefined ? at : commonType(t, at);
      if (t === undefined)
        this.fail(
          'SF201',
          `${e.name}() branches have different types (${valueIdx.map((j) => args[j]!.type).join(', ')})`,
          e.span,
        );
    }
    t ??= args[valueIdx[0]!]!.type;
    const out = args.map((a, i) => {
      if (valueIdx.includes(i)) return this.convert(a, t!);
      return this.asBool(a, e.args[i]!.span);
    });
    return { kind: 'call', fn: f.id, type: t, args: out };
  }

  private timeFromNow(offset: IrExpr | undefined, sign: bigint, span: Span): IrExpr {
    if (!offset) return konst('datetime', this.ctx.nowTicks);
    const ts =
      offset.type === 'timespan'
        ? offset
        : offset.type === 'dynamic'
          ? this.convert(offset, 'timespan')
          : undefined;
    if (!ts) this.fail('SF201', `expected a timespan such as 5d, found ${offset.type}`, span);
    if (ts.kind === 'const')
      return konst('datetime', ts.value === null ? null : this.ctx.nowTicks + sign * (ts.value as bigint));
    return call(sign > 0n ? 'add' : 'sub', 'datetime', [konst('datetime', this.ctx.nowTicks), ts]);
  }

  private windowCall(e: CallExpr, row: RowScope, env: Env): IrExpr {
    if (!row.serialized) {
      this.fail(
        'SF201',
        `${e.name}() needs serialized input`,
        e.nameSpan,
        'add `| serialize` or `| sort by …` before this operator',
      );
    }
    const args = e.args.map((a) => this.bind(a, row, env));
    if (e.name === 'row_number') {
      const w: IrExpr = { kind: 'window', type: 'long', fn: 'row_number', args: args.slice(0, 1) };
      if (args[1]) w.restart = this.asBool(args[1], e.args[1]!.span);
      return w;
    }
    if (args.length < 1 || args.length > 3) this.fail('SF202', `${e.name}() takes 1 to 3 arguments`, e.span);
    const offset = args[1] ?? konst('long', 1n);
    if (offset.kind !== 'const') this.fail('SF204', `the offset of ${e.name}() must be a constant`, e.span);
    const t = args[0]!.type;
    const dflt = args[2] ? this.convert(args[2], t) : undefined;
    return {
      kind: 'window',
      type: t,
      fn: e.name as 'prev' | 'next',
      args: dflt ? [args[0]!, offset, dflt] : [args[0]!, offset],
    };
  }
}

function parseBool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return /^(true|1)$/i.test(v) ? true : /^(false|0)$/i.test(v) ? false : null;
  return null;
}

/** AST dynamic values → plain JSON; Kusto-typed scalars inside dynamic become their string forms. */
function toJson(v: unknown): JsonLike {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toJson);
  const o = v as Record<string, unknown>;
  if (typeof o['$kql'] === 'string') {
    if (o['$kql'] === 'datetime') {
      const ticks = parseDatetimeText(String(o['value']));
      return ticks === undefined ? null : new Date(Number(ticks / 10_000n)).toISOString();
    }
    return String(o['value']);
  }
  const out: Record<string, JsonLike> = {};
  for (const [k, x] of Object.entries(o)) out[k] = toJson(x);
  return out;
}

/** `x in (dynamic([1, [2, 3]]))` is `x in (1, 2, 3)`: nested arrays are flattened. */
function flattenJson(v: JsonLike): JsonLike[] {
  if (Array.isArray(v)) return v.flatMap(flattenJson);
  return [v];
}

function jsonToConst(v: JsonLike): IrExpr {
  if (typeof v === 'string') return konst('string', v);
  if (typeof v === 'boolean') return konst('bool', v);
  if (typeof v === 'number') return Number.isInteger(v) ? konst('long', BigInt(v)) : konst('real', v);
  if (v === null) return konst('dynamic', null);
  return konst('dynamic', v);
}
