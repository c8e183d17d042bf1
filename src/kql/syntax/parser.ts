import { diag, type Diagnostic, type Span } from '../diagnostics.js';
import type {
  Assignment,
  CallExpr,
  ColumnDecl,
  DynamicValue,
  Expr,
  FindProject,
  FindProjectItem,
  FunctionParam,
  LiteralExpr,
  NameExpr,
  Operator,
  PartitionOperator,
  OperatorParam,
  ParsePatternPart,
  PipeExpr,
  QueryBody,
  SortKey,
  Statement,
  TabularExpr,
  TabularSource,
} from './ast.js';
import { isTabularNode } from './ast.js';
import { lex } from './lexer.js';
import type { Token } from './tokens.js';

export interface ParseResult {
  ast: QueryBody;
  diagnostics: Diagnostic[];
}

/** Thrown inside the parser to unwind to the nearest recovery point; never escapes `parse`. */
class ParseAbort extends Error {}

/** Far beyond any real query; keeps recursion well inside Node's default stack. */
const MAX_NESTING = 200;

/** Binary string operators written as words, with the text the binder sees. */
const WORD_BINARY_OPS = new Set([
  'has',
  '!has',
  'has_cs',
  '!has_cs',
  'hasprefix',
  '!hasprefix',
  'hasprefix_cs',
  '!hasprefix_cs',
  'hassuffix',
  '!hassuffix',
  'hassuffix_cs',
  '!hassuffix_cs',
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
  'like',
  'notlike',
  'likecs',
  'notlikecs',
  // legacy spellings
  'notcontains',
  'notcontainscs',
  'containscs',
  'nothas',
  'notstartswith',
  'notendswith',
  'nothas_cs',
]);
const LIST_OPS = new Set(['in', '!in', 'in~', '!in~', 'has_any', 'has_all', '!has_any', '!has_all']);
const COMPARISON_PUNCT = new Set(['==', '!=', '<>', '<', '>', '<=', '>=', '=~', '!~']);
const TYPED_LITERALS = new Set([
  'bool',
  'boolean',
  'int',
  'long',
  'real',
  'double',
  'decimal',
  'string',
  'dynamic',
]);

/** Parameters (`name=value` before the operator's arguments) each operator accepts. */
const OPERATOR_PARAMS: Record<string, RegExp> = {
  join: /^(kind|hint\..+|withsource)$/,
  lookup: /^(kind|hint\..+)$/,
  union: /^(kind|withsource|isfuzzy|hint\..+)$/,
  summarize: /^hint\..+$/,
  'mv-expand': /^(bagexpansion|with_itemindex|kind)$/,
  'mv-apply': /^(with_itemindex)$/,
  partition: /^hint\..+$/,
  parse: /^(kind|flags)$/,
  'parse-where': /^(kind|flags)$/,
  evaluate: /^hint\..+$/,
  as: /^hint\..+$/,
  'make-series': /^(kind|hint\..+)$/,
  search: /^(kind)$/,
  find: /^(withsource|kind|hint\..+)$/,
  distinct: /^hint\..+$/,
  'parse-kv': /^$/,
  render: /^$/,
};

export function parse(text: string): ParseResult {
  const p = new Parser(text);
  const ast = p.parseQueryBody();
  return { ast, diagnostics: p.diagnostics };
}

/** Parses a single scalar expression (for tests and `print`-style helpers). */
export function parseExpression(text: string): { expr?: Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(text);
  try {
    const expr = p.parseExpr();
    p.expectEof();
    return { expr, diagnostics: p.diagnostics };
  } catch (e) {
    if (e instanceof ParseAbort) return { diagnostics: p.diagnostics };
    throw e;
  }
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private depth = 0;
  private readonly tokens: Token[];
  private pos = 0;
  /** Set while parsing make-series' axis expression, which `in range(…)` follows. */
  private inRangeEndsExpr = false;
  /** Depth of `search`/`find` predicates, where `Col:"text"` is allowed. */
  private inSearch = 0;

  constructor(private readonly text: string) {
    const lexed = lex(text);
    this.tokens = lexed.tokens;
    this.diagnostics.push(...lexed.diagnostics);
  }

  // ------------------------------------------------------------ token helpers

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text === text;
  }

  private acceptPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  private acceptWord(text: string): Token | undefined {
    return this.isWord(text) ? this.next() : undefined;
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of query';
    return `'${this.text.slice(t.span.start, t.span.end)}'`;
  }

  private fail(expected: string, t: Token = this.peek()): never {
    this.diagnostics.push(diag('SF001', `expected ${expected} but found ${this.describe(t)}`, t.span));
    throw new ParseAbort();
  }

  private expectPunct(text: string): Token {
    return this.acceptPunct(text) ?? this.fail(`'${text}'`);
  }

  private expectWord(text: string): Token {
    return this.acceptWord(text) ?? this.fail(`'${text}'`);
  }

  private expectIdent(what = 'a name'): Token {
    const t = this.peek();
    if (t.kind === 'ident') return this.next();
    if (t.kind === 'bracketIdent') return this.next();
    // ['quoted name']
    if (this.isPunct('[') && this.peek(1).kind === 'string' && this.isPunct(']', 2)) {
      const open = this.next();
      const s = this.next();
      const close = this.next();
      return {
        kind: 'ident',
        text: s.text,
        span: { start: open.span.start, end: close.span.end },
        spaced: open.spaced,
      };
    }
    return this.fail(what);
  }

  expectEof(): void {
    if (this.peek().kind !== 'eof') this.fail('end of query');
  }

  private span(start: number): Span {
    const prev = this.tokens[Math.max(0, this.pos - 1)]!;
    return { start, end: Math.max(start, prev.span.end) };
  }

  /** Skips to the next `|` or `;` at bracket depth 0 (error recovery). */
  private recover(stopAtPipe: boolean): void {
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
        } else if (depth === 0 && (t.text === ';' || (stopAtPipe && t.text === '|'))) return;
      }
      this.next();
    }
  }

  // ------------------------------------------------------------ statements

  parseQueryBody(untilBrace = false): QueryBody {
    const start = this.peek().span.start;
    const statements: Statement[] = [];
    while (this.peek().kind !== 'eof' && !(untilBrace && this.isPunct('}'))) {
      if (this.acceptPunct(';')) continue;
      const before = this.pos;
      try {
        statements.push(this.parseStatement());
      } catch (e) {
        if (!(e instanceof ParseAbort)) throw e;
        this.recover(false);
      }
      if (this.peek().kind === 'eof' || (untilBrace && this.isPunct('}'))) break;
      if (!this.acceptPunct(';')) {
        // A statement must be followed by ';' unless it is the last one.
        if (this.pos === before) this.next();
        if (!this.isPunct(')') && !this.isPunct(']')) {
          const t = this.peek();
          const hint = t.kind === 'punct' && t.text === '=' ? { hint: "to compare two values use '=='" } : {};
          this.diagnostics.push(
            diag('SF001', `expected ';' or '|' but found ${this.describe(t)}`, t.span, hint),
          );
          this.recover(false);
        } else {
          const t = this.next();
          this.diagnostics.push(diag('SF001', `unexpected ${this.describe(t)}`, t.span));
        }
      }
    }
    return { span: this.span(start), statements };
  }

  private parseStatement(): Statement {
    const t = this.peek();
    if (this.isWord('let') && (this.peek(1).kind === 'ident' || this.isPunct('[', 1))) return this.parseLet();
    if (this.isWord('set') && this.peek(1).kind === 'ident' && !this.isPunct('|', 1)) {
      this.next();
      const name = this.parseDottedName();
      if (this.acceptPunct('=')) this.parseSetValue();
      return { kind: 'set', span: this.span(t.span.start), name };
    }
    if (this.isWord('declare') && this.isWord('query_parameters', 1)) {
      this.next();
      this.next();
      this.expectPunct('(');
      const params = this.parseFunctionParams(')');
      return { kind: 'declare', span: this.span(t.span.start), params };
    }
    if (this.isWord('alias') && this.isWord('database', 1)) {
      this.recover(false);
      return { kind: 'set', span: this.span(t.span.start), name: 'alias' };
    }
    const query = this.parseTabularOrExpr();
    return { kind: 'query', span: query.span, query };
  }

  private parseSetValue(): void {
    while (this.peek().kind !== 'eof' && !this.isPunct(';')) this.next();
  }

  private parseDottedName(): string {
    let name = this.expectIdent().text;
    while (this.acceptPunct('.')) name += '.' + this.expectIdent().text;
    return name;
  }

  private parseLet(): Statement {
    const start = this.next().span.start; // let
    const nameTok = this.expectIdent('a name after let');
    this.expectPunct('=');
    if (this.isFunctionDefinition()) {
      this.acceptWord('view');
      this.expectPunct('(');
      const params = this.parseFunctionParams(')');
      this.expectPunct('{');
      const body = this.parseQueryBody(true);
      this.expectPunct('}');
      return {
        kind: 'letFunction',
        span: this.span(start),
        name: nameTok.text,
        nameSpan: nameTok.span,
        params,
        body,
      };
    }
    const value = this.parseTabularOrExpr();
    return { kind: 'let', span: this.span(start), name: nameTok.text, nameSpan: nameTok.span, value };
  }

  private isFunctionDefinition(): boolean {
    let o = 0;
    if (this.isWord('view')) o = 1;
    if (!this.isPunct('(', o)) return false;
    if (this.isPunct(')', o + 1)) return this.isPunct('{', o + 2);
    return this.peek(o + 1).kind === 'ident' && this.isPunct(':', o + 2);
  }

  private parseFunctionParams(close: string): FunctionParam[] {
    const params: FunctionParam[] = [];
    if (this.acceptPunct(close)) return params;
    do {
      const nameTok = this.expectIdent('a parameter name');
      this.expectPunct(':');
      const param: FunctionParam = { name: nameTok.text, span: nameTok.span, type: 'dynamic' };
      if (this.acceptPunct('(')) {
        param.type = 'tabular';
        if (this.acceptPunct('*')) {
          param.columns = [];
          this.expectPunct(')');
        } else {
          param.columns = this.parseColumnDecls(')');
          if (this.acceptPunct(',')) this.expectPunct('*');
          this.expectPunct(')');
        }
      } else {
        param.type = this.expectIdent('a type name').text;
      }
      if (this.acceptPunct('=')) param.default = this.parseExpr();
      params.push(param);
    } while (this.acceptPunct(','));
    this.expectPunct(close);
    return params;
  }

  /** `name:type, …` up to (not including) `close`. */
  private parseColumnDecls(close: string): ColumnDecl[] {
    const cols: ColumnDecl[] = [];
    if (this.isPunct(close)) return cols;
    do {
      if (this.isPunct('*')) break;
      const n = this.expectIdent('a column name');
      this.expectPunct(':');
      const t = this.expectIdent('a type name');
      cols.push({ name: n.text, type: t.text, span: { start: n.span.start, end: t.span.end } });
    } while (this.acceptPunct(',') && !this.isPunct(close));
    return cols;
  }

  // ------------------------------------------------------------ tabular expressions

  /**
   * A tabular pipeline or a scalar expression: `let x = …` and parenthesised arguments can be
   * either, and only the binder knows whether `X` names a table or a scalar.
   */
  parseTabularOrExpr(): Expr | TabularExpr {
    return this.nested(() => this.parseTabularOrExprAt());
  }

  private parseTabularOrExprAt(): Expr | TabularExpr {
    const start = this.peek().span.start;
    let left: Expr | TabularExpr;
    const source = this.tryParseTabularSource();
    if (source) left = source;
    else left = this.parseExpr();
    if (!this.isPunct('|')) return left;
    let tab: TabularExpr = this.asTabular(left);
    while (this.acceptPunct('|')) {
      const opStart = this.peek().span.start;
      try {
        const op = this.parseOperator();
        tab = { kind: 'pipe', span: this.span(start), source: tab, op } satisfies PipeExpr;
      } catch (e) {
        if (!(e instanceof ParseAbort)) throw e;
        this.recover(true);
        tab = {
          kind: 'pipe',
          span: this.span(start),
          source: tab,
          op: { kind: 'unsupported', span: this.span(opStart), name: '<error>' },
        };
      }
    }
    return tab;
  }

  private asTabular(x: Expr | TabularExpr): TabularExpr {
    if (isTabularNode(x)) return x;
    if (x.kind === 'name') return { kind: 'tableRef', span: x.span, name: x.name, bracketed: x.bracketed };
    if (x.kind === 'call') return { kind: 'callSource', span: x.span, call: x };
    if (x.kind === 'tabular') return { kind: 'parenSource', span: x.span, query: x.query };
    // cluster('c').database('d').Table, database('d').Table, arg("").Resources
    if (x.kind === 'member') return { kind: 'tableRef', span: x.span, name: x.name, qualified: true };
    this.diagnostics.push(diag('SF205', "expected a tabular expression before '|'", x.span));
    throw new ParseAbort();
  }

  private parseTabular(): TabularExpr {
    return this.asTabular(this.parseTabularOrExpr());
  }

  private tryParseTabularSource(): TabularSource | undefined {
    const t = this.peek();
    if (t.kind !== 'ident') return undefined;
    const start = t.span.start;
    switch (t.text) {
      case 'datatable':
        if (!this.isPunct('(', 1)) return undefined;
        return this.parseDatatable();
      case 'print': {
        this.next();
        const items =
          this.isPunct('|') || this.isPunct(';') || this.peek().kind === 'eof' ? [] : this.parseAssignments();
        return { kind: 'print', span: this.span(start), items };
      }
      case 'range':
        if (this.peek(1).kind !== 'ident' || !this.isWord('from', 2)) return undefined;
        return this.parseRange();
      case 'union': {
        this.next();
        const params = this.parseParams('union');
        const tables = this.parseUnionTables();
        return { kind: 'unionSource', span: this.span(start), params, tables };
      }
      case 'externaldata':
        return this.parseExternalData();
      case 'evaluate': {
        this.next();
        const params = this.parseParams('evaluate');
        const plugin = this.parseCallOnly();
        return { kind: 'evaluateSource', span: this.span(start), params, plugin };
      }
      case 'search': {
        if (this.isPunct('=', 1) || this.isPunct('==', 1)) return undefined;
        this.next();
        const params = this.parseParams('search');
        let tables: TabularExpr[] = [];
        if (this.isWord('in') && this.isPunct('(', 1)) {
          this.next();
          this.next();
          tables = this.parseUnionTables();
          this.expectPunct(')');
        }
        this.inSearch++;
        try {
          const predicate = this.parseExpr();
          return { kind: 'searchSource', span: this.span(start), params, tables, predicate };
        } finally {
          this.inSearch--;
        }
      }
      case 'find': {
        if (this.isPunct('=', 1) || this.isPunct('(', 1)) return undefined;
        this.next();
        const params = this.parseParams('find');
        let tables: TabularExpr[] = [];
        let scoped = params.length > 0;
        if (this.acceptWord('in')) {
          scoped = true;
          this.expectPunct('(');
          tables = this.parseUnionTables();
          this.expectPunct(')');
        }
        // `find Predicate` (no withsource, no in) may leave out `where`.
        if (scoped) this.expectWord('where');
        else this.acceptWord('where');
        this.inSearch++;
        let predicate: Expr;
        try {
          predicate = this.parseExpr();
        } finally {
          this.inSearch--;
        }
        const source: Extract<TabularSource, { kind: 'findSource' }> = {
          kind: 'findSource',
          span: this.span(start),
          params,
          tables,
          predicate,
        };
        if (this.acceptWord('project-smart')) {
          /* the default */
        } else if (this.isWord('project')) source.project = this.parseFindProject();
        source.span = this.span(start);
        return source;
      }
      default:
        return undefined;
    }
  }

  /** find's `project Col[:type], …[, pack_all()]` clause. */
  private parseFindProject(): FindProject {
    const start = this.expectWord('project').span.start;
    const items: FindProjectItem[] = [];
    let packAll: Span | undefined;
    do {
      if (packAll) this.fail("nothing after 'pack_all()'");
      if (this.isWord('pack_all') && this.isPunct('(', 1)) {
        const t = this.next();
        this.next();
        packAll = { start: t.span.start, end: this.expectPunct(')').span.end };
        continue;
      }
      const n = this.expectIdent('a column name');
      const item: FindProjectItem = { name: n.text, span: n.span };
      if (this.acceptPunct(':')) {
        const t = this.expectIdent('a type name');
        item.type = t.text;
        item.span = { start: n.span.start, end: t.span.end };
      }
      items.push(item);
    } while (this.acceptPunct(','));
    return { span: this.span(start), items, ...(packAll ? { packAll } : {}) };
  }

  private parseDatatable(): TabularSource {
    const start = this.next().span.start;
    this.expectPunct('(');
    const columns = this.parseColumnDecls(')');
    this.expectPunct(')');
    this.expectPunct('[');
    const values: Expr[] = [];
    while (!this.isPunct(']')) {
      values.push(this.parseExpr());
      if (!this.acceptPunct(',')) break;
    }
    this.expectPunct(']');
    return { kind: 'datatable', span: this.span(start), columns, values };
  }

  private parseRange(): TabularSource {
    const start = this.next().span.start;
    const column = this.expectIdent('a column name').text;
    this.expectWord('from');
    const from = this.parseExpr();
    this.expectWord('to');
    const to = this.parseExpr();
    this.expectWord('step');
    const step = this.parseExpr();
    return { kind: 'range', span: this.span(start), column, from, to, step };
  }

  private parseExternalData(): TabularSource {
    const start = this.next().span.start;
    this.expectPunct('(');
    const columns = this.parseColumnDecls(')');
    this.expectPunct(')');
    this.expectPunct('[');
    const urls: string[] = [];
    while (!this.isPunct(']')) {
      const s = this.peek();
      if (s.kind !== 'string') this.fail('a URL string');
      this.next();
      urls.push(s.text);
      if (!this.acceptPunct(',')) break;
    }
    this.expectPunct(']');
    const params: OperatorParam[] = [];
    if (this.acceptWord('with')) {
      this.expectPunct('(');
      while (!this.isPunct(')')) {
        const n = this.expectIdent('a property name');
        this.expectPunct('=');
        const v = this.parseExpr();
        params.push({ name: n.text, value: v, span: { start: n.span.start, end: v.span.end } });
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct(')');
    }
    return { kind: 'externaldata', span: this.span(start), columns, urls, params };
  }

  private parseUnionTables(): TabularExpr[] {
    const tables: TabularExpr[] = [];
    do {
      const t = this.peek();
      if (t.kind === 'ident' && this.isPunct('*', 1) && !this.peek(1).spaced) {
        // wildcard table names: Device*
        this.next();
        this.next();
        let name = `${t.text}*`;
        while (this.peek().kind === 'ident' && !this.peek().spaced) name += this.next().text;
        tables.push({ kind: 'tableRef', span: this.span(t.span.start), name });
        continue;
      }
      if (this.isPunct('*')) {
        const s = this.next();
        tables.push({ kind: 'tableRef', span: s.span, name: '*' });
        continue;
      }
      if (this.isPunct('(')) {
        const open = this.next();
        const q = this.parseTabular();
        this.expectPunct(')');
        tables.push({ kind: 'parenSource', span: this.span(open.span.start), query: q });
        continue;
      }
      const e = this.parsePostfix();
      tables.push(this.asTabular(e));
    } while (this.acceptPunct(','));
    return tables;
  }

  /** `name = value` pairs the operator accepts (see OPERATOR_PARAMS), stopping at anything else. */
  private parseParams(op: string): OperatorParam[] {
    const allowed = OPERATOR_PARAMS[op];
    const params: OperatorParam[] = [];
    while (allowed) {
      const t = this.peek();
      if (t.kind !== 'ident') break;
      let o = 1;
      let name = t.text;
      while (this.isPunct('.', o) && this.peek(o + 1).kind === 'ident') {
        name += '.' + this.peek(o + 1).text;
        o += 2;
      }
      if (!this.isPunct('=', o) || !allowed.test(name)) break;
      for (let k = 0; k <= o; k++) this.next();
      const v = this.peek();
      let value: Expr | string;
      if (v.kind === 'ident') {
        this.next();
        value = v.text;
      } else value = this.parsePrimary();
      params.push({ name, value, span: this.span(t.span.start) });
    }
    return params;
  }

  private parseCallOnly(): CallExpr {
    const e = this.parsePostfix();
    if (e.kind !== 'call') {
      this.diagnostics.push(diag('SF001', 'expected a plugin call such as bag_unpack(Column)', e.span));
      throw new ParseAbort();
    }
    return e;
  }

  // ------------------------------------------------------------ pipe operators

  private parseOperator(): Operator | PartitionOperator {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail("a query operator after '|'");
    const start = t.span.start;
    const name = t.text;
    this.next();
    switch (name) {
      case 'where':
      case 'filter':
        return { kind: 'where', span: this.span(start), predicate: this.parseExpr() };
      case 'extend':
        return { kind: 'extend', span: this.span(start), items: this.parseAssignments() };
      case 'project':
        return { kind: 'project', span: this.span(start), items: this.parseAssignments() };
      case 'project-away':
      case 'project-keep':
        return { kind: name, span: this.span(start), columns: this.parseNamePatterns() };
      case 'project-by-names': {
        const names: Expr[] = [];
        do names.push(this.parseExpr());
        while (this.acceptPunct(','));
        return { kind: 'project-by-names', span: this.span(start), names };
      }
      case 'project-rename': {
        const items: { span: Span; newName: string; oldName: NameExpr }[] = [];
        do {
          const n = this.expectIdent('a new column name');
          this.expectPunct('=');
          const old = this.parseNameOnly();
          items.push({ span: this.span(n.span.start), newName: n.text, oldName: old });
        } while (this.acceptPunct(','));
        return { kind: 'project-rename', span: this.span(start), items };
      }
      case 'project-reorder': {
        const columns: { span: Span; column: NameExpr; direction?: 'asc' | 'desc' }[] = [];
        do {
          const c = this.parseNamePatterns(true)[0]!;
          const dir = this.acceptWord('asc') ? 'asc' : this.acceptWord('desc') ? 'desc' : undefined;
          columns.push(dir ? { span: c.span, column: c, direction: dir } : { span: c.span, column: c });
        } while (this.acceptPunct(','));
        return { kind: 'project-reorder', span: this.span(start), columns };
      }
      case 'summarize': {
        const params = this.parseParams('summarize');
        const aggregates = this.isWord('by') ? [] : this.parseAssignments();
        const by = this.acceptWord('by') ? this.parseAssignments() : [];
        return { kind: 'summarize', span: this.span(start), params, aggregates, by };
      }
      case 'distinct': {
        this.parseParams('distinct');
        const columns: Assignment[] = [];
        do {
          if (this.isPunct('*')) {
            const s = this.next().span;
            columns.push({ span: s, expr: { kind: 'star', span: s } });
          } else columns.push(this.parseAssignment());
        } while (this.acceptPunct(','));
        return { kind: 'distinct', span: this.span(start), columns };
      }
      case 'sort':
      case 'order':
        this.expectWord('by');
        return { kind: 'sort', span: this.span(start), keys: this.parseSortKeys() };
      case 'top': {
        const count = this.parseExpr();
        this.expectWord('by');
        return { kind: 'top', span: this.span(start), count, keys: this.parseSortKeys() };
      }
      case 'take':
      case 'limit':
        return { kind: 'take', span: this.span(start), count: this.parseExpr() };
      case 'count':
        return { kind: 'count', span: this.span(start) };
      case 'join':
      case 'lookup': {
        const params = this.parseParams(name);
        const right = this.parseJoinRight();
        this.expectWord('on');
        const on: Expr[] = [];
        do on.push(this.parseExpr());
        while (this.acceptPunct(','));
        return { kind: name, span: this.span(start), params, right, on };
      }
      case 'union': {
        const params = this.parseParams('union');
        return { kind: 'union', span: this.span(start), params, tables: this.parseUnionTables() };
      }
      case 'mv-expand':
      case 'mvexpand':
        return this.parseMvExpand(start);
      case 'mv-apply':
      case 'mvapply':
        return this.parseMvApply(start);
      case 'parse':
      case 'parse-where':
        return this.parseParse(start, name === 'parse-where');
      case 'parse-kv': {
        const expr = this.parseExpr();
        this.expectWord('as');
        this.expectPunct('(');
        const columns = this.parseColumnDecls(')');
        this.expectPunct(')');
        const params: OperatorParam[] = [];
        if (this.acceptWord('with')) {
          this.expectPunct('(');
          while (!this.isPunct(')')) {
            const n = this.expectIdent('a property name');
            this.expectPunct('=');
            const v = this.parseExpr();
            params.push({ name: n.text, value: v, span: this.span(n.span.start) });
            if (!this.acceptPunct(',')) break;
          }
          this.expectPunct(')');
        }
        return { kind: 'parse-kv', span: this.span(start), expr, columns, params };
      }
      case 'evaluate': {
        const params = this.parseParams('evaluate');
        const plugin = this.parseCallOnly();
        // optional output schema: `evaluate pivot(X): (A:string, B:long)`, `: (*, A:string)`, `: (A:string, *)`
        if (this.acceptPunct(':')) {
          this.expectPunct('(');
          const schema: { columns: ColumnDecl[]; star?: 'first' | 'last' } = { columns: [] };
          if (this.acceptPunct('*')) {
            schema.star = 'first';
            this.acceptPunct(',');
          }
          schema.columns = this.parseColumnDecls(')');
          if (this.acceptPunct('*')) schema.star = 'last';
          this.expectPunct(')');
          return { kind: 'evaluate', span: this.span(start), params, plugin, schema };
        }
        return { kind: 'evaluate', span: this.span(start), params, plugin };
      }
      case 'invoke':
        return { kind: 'invoke', span: this.span(start), call: this.parseCallOnly() };
      case 'render': {
        const chart = this.expectIdent('a chart type').text;
        const params: OperatorParam[] = [];
        if (this.acceptWord('with')) {
          this.expectPunct('(');
          while (!this.isPunct(')')) {
            const n = this.expectIdent('a property name');
            this.expectPunct('=');
            let v: Expr | string;
            if (this.isPunct('(')) {
              const ps = this.next().span.start;
              const parts: string[] = [];
              while (!this.isPunct(')') && this.peek().kind !== 'eof') parts.push(this.next().text);
              this.expectPunct(')');
              v = {
                kind: 'literal',
                span: this.span(ps),
                type: 'string',
                value: parts.filter((x) => x !== ',').join(','),
              };
            } else if (this.peek().kind === 'ident' && !this.isPunct('(', 1)) v = this.next().text;
            else v = this.parseExpr();
            params.push({ name: n.text, value: v, span: this.span(n.span.start) });
            if (!this.acceptPunct(',')) break;
          }
          this.expectPunct(')');
        }
        return { kind: 'render', span: this.span(start), chart, params };
      }
      case 'as': {
        const params = this.parseParams('as');
        const n = this.expectIdent('a name');
        return { kind: 'as', span: this.span(start), name: n.text, params };
      }
      case 'getschema':
        return { kind: 'getschema', span: this.span(start) };
      case 'serialize': {
        const items =
          this.isPunct('|') || this.isPunct(';') || this.isPunct(')') || this.peek().kind === 'eof'
            ? []
            : this.parseAssignments();
        return { kind: 'serialize', span: this.span(start), items };
      }
      case 'make-series':
        return this.parseMakeSeries(start);
      case 'top-nested':
        return this.parseTopNested(start);
      case 'search': {
        const params = this.parseParams('search');
        this.inSearch++;
        try {
          return { kind: 'search', span: this.span(start), params, predicate: this.parseExpr() };
        } finally {
          this.inSearch--;
        }
      }
      case 'sample':
        return { kind: 'sample', span: this.span(start), count: this.parseExpr() };
      case 'partition':
        return this.parsePartition(start);
      case 'sample-distinct': {
        const count = this.parseExpr();
        this.expectWord('of');
        return { kind: 'sample-distinct', span: this.span(start), count, column: this.parseExpr() };
      }
      case 'extend-if':
      default: {
        const known = new Set([
          'facet',
          'fork',
          'scan',
          'reduce',
          'consume',
          'project-smart',
          'top-hitters',
          'make-graph',
          'graph-match',
          'graph-merge',
          'graph-to-table',
          'lookup',
          'execute-and-cache',
          'assert-schema',
        ]);
        if (known.has(name)) {
          this.diagnostics.push(diag('SF301', `the '${name}' operator is not supported`, t.span));
          this.recover(true);
          return { kind: 'unsupported', span: this.span(start), name };
        }
        this.diagnostics.push(
          diag('SF001', `unknown query operator '${name}'`, t.span, {
            hint: "a query operator such as where, extend, project or summarize must follow '|'",
          }),
        );
        throw new ParseAbort();
      }
    }
  }

  private parseJoinRight(): TabularExpr {
    if (this.isPunct('(')) {
      const open = this.next();
      const q = this.parseTabular();
      this.expectPunct(')');
      return { kind: 'parenSource', span: this.span(open.span.start), query: q };
    }
    return this.asTabular(this.parsePostfix());
  }

  private parseSortKeys(): SortKey[] {
    const keys: SortKey[] = [];
    do {
      const expr = this.parseExpr();
      const key: SortKey = { span: expr.span, expr };
      if (this.acceptWord('asc')) key.direction = 'asc';
      else if (this.acceptWord('desc')) key.direction = 'desc';
      if (this.acceptWord('nulls')) {
        if (this.acceptWord('first')) key.nulls = 'first';
        else {
          this.expectWord('last');
          key.nulls = 'last';
        }
      }
      key.span = this.span(expr.span.start);
      keys.push(key);
    } while (this.acceptPunct(','));
    return keys;
  }

  /** Column names, optionally with wildcards (`Account*`), for project-away/-keep/-reorder. */
  private parseNamePatterns(single = false): NameExpr[] {
    const names: NameExpr[] = [];
    do {
      const startTok = this.peek();
      let text = '';
      let end = startTok.span.end;
      const first = this.isPunct('*') ? this.next() : this.expectIdent('a column name');
      text = first.text;
      end = first.span.end;
      while ((this.peek().kind === 'ident' || this.isPunct('*')) && !this.peek().spaced) {
        const t = this.next();
        text += t.text;
        end = t.span.end;
      }
      names.push({ kind: 'name', span: { start: startTok.span.start, end }, name: text });
      if (single) break;
    } while (this.acceptPunct(','));
    return names;
  }

  private parseNameOnly(): NameExpr {
    const t = this.expectIdent('a column name');
    return { kind: 'name', span: t.span, name: t.text };
  }

  private parseAssignments(): Assignment[] {
    const items: Assignment[] = [];
    do items.push(this.parseAssignment());
    while (this.acceptPunct(','));
    return items;
  }

  private parseAssignment(): Assignment {
    const start = this.peek().span.start;
    // (A, B) = expr
    if (
      this.isPunct('(') &&
      this.peek(1).kind === 'ident' &&
      (this.isPunct(',', 2) || this.isPunct(')', 2))
    ) {
      const save = this.pos;
      this.next();
      const names: { name: string; span: Span }[] = [];
      let ok = true;
      while (true) {
        const t = this.peek();
        if (t.kind !== 'ident') {
          ok = false;
          break;
        }
        this.next();
        names.push({ name: t.text, span: t.span });
        if (this.acceptPunct(',')) continue;
        if (this.acceptPunct(')')) break;
        ok = false;
        break;
      }
      if (ok && this.acceptPunct('=')) return { span: this.span(start), names, expr: this.parseExpr() };
      this.pos = save;
    }
    const t = this.peek();
    const isName =
      t.kind === 'ident' || (this.isPunct('[') && this.peek(1).kind === 'string' && this.isPunct(']', 2));
    if (isName) {
      const o = t.kind === 'ident' ? 1 : 3;
      if (this.isPunct('=', o)) {
        const n = this.expectIdent();
        this.next(); // =
        return { span: this.span(start), names: [{ name: n.text, span: n.span }], expr: this.parseExpr() };
      }
    }
    return { span: this.span(start), expr: this.parseExpr() };
  }

  private parseMvItems(): { span: Span; name?: string; expr: Expr; toType?: string }[] {
    const items: { span: Span; name?: string; expr: Expr; toType?: string }[] = [];
    do {
      const a = this.parseAssignment();
      const item: { span: Span; name?: string; expr: Expr; toType?: string } = { span: a.span, expr: a.expr };
      if (a.names?.[0]) item.name = a.names[0].name;
      if (this.acceptWord('to')) {
        this.expectWord('typeof');
        this.expectPunct('(');
        item.toType = this.expectIdent('a type name').text;
        this.expectPunct(')');
      }
      items.push(item);
    } while (this.acceptPunct(','));
    return items;
  }

  private parseMvExpand(start: number): Operator {
    const params = this.parseParams('mv-expand');
    const items = this.parseMvItems();
    let limit: Expr | undefined;
    if (this.acceptWord('limit')) limit = this.parseExpr();
    const idx = params.find((p) => p.name === 'with_itemindex');
    const op: Operator = { kind: 'mv-expand', span: this.span(start), params, items };
    if (idx && typeof idx.value === 'string') op.itemIndex = idx.value;
    if (limit) op.limit = limit;
    return op;
  }

  private parseMvApply(start: number): Operator {
    const params = this.parseParams('mv-apply');
    const items = this.parseMvItems();
    this.expectWord('on');
    this.expectPunct('(');
    const body = this.parseSubqueryBody();
    this.expectPunct(')');
    const idx = params.find((p) => p.name === 'with_itemindex');
    const op: Operator = { kind: 'mv-apply', span: this.span(start), params, items, body };
    if (idx && typeof idx.value === 'string') op.itemIndex = idx.value;
    return op;
  }

  /** `partition [hints] by Column ( Subquery )` or the legacy `{ SubqueryWithSource }`. */
  private parsePartition(start: number): PartitionOperator {
    const params = this.parseParams('partition');
    this.expectWord('by');
    const by = this.parseNameOnly();
    if (this.acceptPunct('{')) {
      const body = this.asTabular(this.parseTabularOrExpr());
      this.expectPunct('}');
      return { kind: 'partition', span: this.span(start), params, by, body, withSource: true };
    }
    this.expectPunct('(');
    const body = this.parseSubqueryBody();
    this.expectPunct(')');
    return { kind: 'partition', span: this.span(start), params, by, body, withSource: false };
  }

  /** A subquery that starts with an operator, as in `mv-apply … on (top 1 by x)`. */
  private parseSubqueryBody(): TabularExpr {
    const start = this.peek().span.start;
    let tab: TabularExpr = { kind: 'tableRef', span: { start, end: start }, name: '$row' };
    if (!this.isPunct(')')) {
      this.acceptPunct('|');
      tab = { kind: 'pipe', span: this.span(start), source: tab, op: this.parseOperator() };
      while (this.acceptPunct('|'))
        tab = { kind: 'pipe', span: this.span(start), source: tab, op: this.parseOperator() };
    }
    return tab;
  }

  private parseParse(start: number, where: boolean): Operator {
    const params = this.parseParams(where ? 'parse-where' : 'parse');
    const expr = this.parseExpr();
    this.expectWord('with');
    const pattern: ParsePatternPart[] = [];
    while (!this.isPunct('|') && !this.isPunct(';') && !this.isPunct(')') && this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'string') {
        this.next();
        pattern.push({ span: t.span, kind: 'literal', text: t.text });
      } else if (this.isPunct('*')) {
        this.next();
        pattern.push({ span: t.span, kind: 'wildcard' });
      } else if (t.kind === 'ident' || this.isPunct('[')) {
        const n = this.expectIdent('a column name');
        const part: ParsePatternPart = { span: n.span, kind: 'column', name: n.text };
        if (this.acceptPunct(':')) part.type = this.expectIdent('a type name').text;
        part.span = this.span(n.span.start);
        pattern.push(part);
      } else if (this.acceptPunct(',')) {
        continue;
      } else this.fail('a string, a column name or * in the parse pattern');
    }
    return { kind: 'parse', span: this.span(start), where, params, expr, pattern };
  }

  private parseMakeSeries(start: number): Operator {
    const params = this.parseParams('make-series');
    const aggregates: Assignment[] = [];
    const defaults: (Expr | undefined)[] = [];
    do {
      const a = this.parseAssignment();
      let d: Expr | undefined;
      if (this.acceptWord('default')) {
        this.expectPunct('=');
        d = this.parseExpr();
      }
      aggregates.push(a);
      defaults.push(d);
    } while (this.acceptPunct(','));
    this.expectWord('on');
    this.inRangeEndsExpr = true;
    const on = this.parseExpr();
    this.inRangeEndsExpr = false;
    let from: Expr | undefined;
    let to: Expr | undefined;
    let step: Expr;
    if (this.acceptWord('in')) {
      const r = this.parsePostfix();
      if (r.kind !== 'call' || r.name !== 'range' || r.args.length !== 3)
        this.fail('range(start, stop, step)');
      [from, to, step] = r.args as [Expr, Expr, Expr];
    } else {
      if (this.acceptWord('from')) from = this.parseExpr();
      if (this.acceptWord('to')) to = this.parseExpr();
      this.expectWord('step');
      step = this.parseExpr();
    }
    const by = this.acceptWord('by') ? this.parseAssignments() : [];
    const op: Operator = {
      kind: 'make-series',
      span: this.span(start),
      params,
      aggregates,
      defaults,
      on,
      step,
      by,
    };
    if (from) op.from = from;
    if (to) op.to = to;
    return op;
  }

  private parseTopNested(start: number): Operator {
    const levels: {
      span: Span;
      count?: Expr;
      of: Assignment;
      others?: Expr;
      by: Assignment;
      direction?: 'asc' | 'desc';
    }[] = [];
    let first = true;
    do {
      if (!first) this.expectWord('top-nested');
      first = false;
      const ls = this.peek().span.start;
      let count: Expr | undefined;
      if (!this.isWord('of')) count = this.parseExpr();
      this.expectWord('of');
      const of = this.parseAssignment();
      let others: Expr | undefined;
      if (this.acceptWord('with')) {
        this.expectWord('others');
        this.expectPunct('=');
        others = this.parseExpr();
      }
      this.expectWord('by');
      const by = this.parseAssignment();
      const level: {
        span: Span;
        count?: Expr;
        of: Assignment;
        others?: Expr;
        by: Assignment;
        direction?: 'asc' | 'desc';
      } = { span: this.span(ls), of, by };
      if (count) level.count = count;
      if (others) level.others = others;
      if (this.acceptWord('asc')) level.direction = 'asc';
      else if (this.acceptWord('desc')) level.direction = 'desc';
      levels.push(level);
    } while (this.acceptPunct(','));
    return { kind: 'top-nested', span: this.span(start), levels };
  }

  // ------------------------------------------------------------ scalar expressions (Pratt)

  parseExpr(): Expr {
    return this.nested(() => this.parseOr());
  }

  /** Bounds recursion so absurd nesting is a diagnostic, not a stack overflow. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) {
      this.diagnostics.push(
        diag('SF006', `expressions nest deeper than ${MAX_NESTING} levels`, this.peek().span),
      );
      throw new ParseAbort();
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private binary(op: string, opSpan: Span, left: Expr, right: Expr): Expr {
    return { kind: 'binary', span: { start: left.span.start, end: right.span.end }, op, opSpan, left, right };
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const t = this.next();
      left = this.binary('or', t.span, left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseComparison();
    while (this.isWord('and')) {
      const t = this.next();
      left = this.binary('and', t.span, left, this.parseComparison());
    }
    return left;
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    while (true) {
      const t = this.peek();
      // inside `search`/`find`, `Column:"text"` means Column has "text"
      if (this.inSearch > 0 && t.kind === 'punct' && t.text === ':') {
        this.next();
        left = this.binary('has', t.span, left, this.parseAdditive());
        continue;
      }
      if (t.kind === 'punct' && COMPARISON_PUNCT.has(t.text)) {
        this.next();
        left = this.binary(t.text === '<>' ? '!=' : t.text, t.span, left, this.parseAdditive());
        continue;
      }
      if (t.kind !== 'ident') break;
      if (WORD_BINARY_OPS.has(t.text)) {
        this.next();
        left = this.binary(t.text, t.span, left, this.parseAdditive());
        continue;
      }
      if (t.text === 'matches' && this.isWord('regex', 1)) {
        this.next();
        const r = this.next();
        left = this.binary(
          'matches regex',
          { start: t.span.start, end: r.span.end },
          left,
          this.parseAdditive(),
        );
        continue;
      }
      // `make-series … on T in range(a, b, s)`: that `in` belongs to the operator, not to T.
      if (t.text === 'in' && this.inRangeEndsExpr && this.isWord('range', 1)) break;
      if (LIST_OPS.has(t.text)) {
        this.next();
        const list = this.parseInList(t.text);
        left = { kind: 'in', span: this.span(left.span.start), op: t.text, opSpan: t.span, expr: left, list };
        continue;
      }
      if (t.text === 'between' || t.text === '!between') {
        this.next();
        this.expectPunct('(');
        const low = this.parseAdditive();
        this.expectPunct('..');
        const high = this.parseAdditive();
        this.expectPunct(')');
        left = {
          kind: 'between',
          span: this.span(left.span.start),
          negated: t.text === '!between',
          expr: left,
          low,
          high,
        };
        continue;
      }
      break;
    }
    return left;
  }

  /** `( a, b, … )` — scalars, dynamic arrays, or one tabular expression. */
  private parseInList(op: string): Expr[] {
    if (!this.isPunct('(')) {
      // `has_any` also accepts a bare dynamic variable: x has_any (list) is the doc's form,
      // but `x in list_var` is not KQL; demand parentheses like Kusto does.
      this.fail(`'(' after '${op}'`);
    }
    this.next();
    const list: Expr[] = [];
    while (!this.isPunct(')')) {
      const e = this.parseTabularOrExpr();
      list.push(isTabularNode(e) ? { kind: 'tabular', span: e.span, query: e } : e);
      if (!this.acceptPunct(',')) break;
      if (this.isPunct(')')) {
        const t = this.peek();
        this.diagnostics.push(
          diag('SF001', `expected an expression after ',' but found ')'`, t.span, {
            hint: 'remove the trailing comma',
          }),
        );
      }
    }
    this.expectPunct(')');
    return list;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const t = this.next();
      left = this.binary(t.text, t.span, left, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const t = this.next();
      left = this.binary(t.text, t.span, left, this.parseUnary());
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isPunct('-') || this.isPunct('+')) {
      const t = this.next();
      const operand = this.parseUnary();
      // Fold negative numeric literals so `-5` is a literal (datatable values, dynamic).
      if (
        t.text === '-' &&
        operand.kind === 'literal' &&
        (operand.type === 'long' || operand.type === 'real' || operand.type === 'timespan') &&
        !operand.nullOf
      ) {
        const v = operand.value;
        const neg =
          typeof v === 'number' ? -v : typeof v === 'string' ? (v.startsWith('-') ? v.slice(1) : '-' + v) : v;
        return { ...operand, span: { start: t.span.start, end: operand.span.end }, value: neg };
      }
      return {
        kind: 'unary',
        span: { start: t.span.start, end: operand.span.end },
        op: t.text as '-' | '+',
        operand,
      };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let e = this.parsePrimary();
    while (true) {
      // `x.[0]` is accepted by Kusto as `x[0]`
      if (this.isPunct('.') && this.isPunct('[', 1) && this.peek(2).kind !== 'string') {
        this.next();
        continue;
      }
      if (
        this.isPunct('.') &&
        (this.peek(1).kind === 'ident' || (this.isPunct('[', 1) && this.peek(2).kind === 'string'))
      ) {
        this.next();
        const n = this.expectIdent('a property name');
        e = { kind: 'member', span: { start: e.span.start, end: n.span.end }, object: e, name: n.text };
        continue;
      }
      if (this.isPunct('[') && e.kind !== 'literal') {
        this.next();
        const index = this.parseExpr();
        const close = this.expectPunct(']');
        e = { kind: 'index', span: { start: e.span.start, end: close.span.end }, object: e, index };
        continue;
      }
      break;
    }
    return e;
  }

  parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string': {
        this.next();
        let value = t.text;
        let end = t.span.end;
        // Adjacent string literals concatenate: 'a' 'b' == 'ab'.
        while (this.peek().kind === 'string') {
          const s = this.next();
          value += s.text;
          end = s.span.end;
        }
        return { kind: 'literal', span: { start: t.span.start, end }, type: 'string', value };
      }
      case 'long':
        this.next();
        return { kind: 'literal', span: t.span, type: 'long', value: String(t.value) };
      case 'real':
        this.next();
        return { kind: 'literal', span: t.span, type: 'real', value: t.value as number };
      case 'timespan':
        this.next();
        return { kind: 'literal', span: t.span, type: 'timespan', value: String(t.value) };
      case 'datetime':
        this.next();
        return { kind: 'literal', span: t.span, type: 'datetime', value: t.text };
      case 'timespanRaw':
        this.next();
        return { kind: 'literal', span: t.span, type: 'timespan', value: t.text, nullOf: 'raw' };
      case 'guid':
        this.next();
        return { kind: 'literal', span: t.span, type: 'guid', value: t.text };
      case 'punct':
        return this.parsePunctPrimary(t);
      case 'ident':
        return this.parseIdentPrimary(t);
      default:
        return this.fail('an expression');
    }
  }

  private parsePunctPrimary(t: Token): Expr {
    if (t.text === '(') {
      this.next();
      const inner = this.parseTabularOrExpr();
      const close = this.expectPunct(')');
      if (isTabularNode(inner))
        return { kind: 'tabular', span: { start: t.span.start, end: close.span.end }, query: inner };
      return inner;
    }
    if (t.text === '[' && this.peek(1).kind === 'string' && this.isPunct(']', 2)) {
      this.next();
      const s = this.next();
      const close = this.next();
      return {
        kind: 'name',
        span: { start: t.span.start, end: close.span.end },
        name: s.text,
        bracketed: true,
      };
    }
    if (t.text === '*') {
      this.next();
      return { kind: 'star', span: t.span };
    }
    return this.fail('an expression');
  }

  private parseIdentPrimary(t: Token): Expr {
    const name = t.text;
    if (name === 'true' || name === 'false') {
      this.next();
      return { kind: 'literal', span: t.span, type: 'bool', value: name === 'true' };
    }
    if (this.isPunct('(', 1)) {
      if (name === 'typeof') {
        this.next();
        this.next();
        const tn = this.expectIdent('a type name');
        const close = this.expectPunct(')');
        return { kind: 'typeof', span: { start: t.span.start, end: close.span.end }, typeName: tn.text };
      }
      if (TYPED_LITERALS.has(name)) return this.parseTypedLiteral();
      return this.parseCall();
    }
    this.next();
    return { kind: 'name', span: t.span, name };
  }

  private parseCall(): CallExpr {
    const nameTok = this.next();
    this.next(); // (
    const args: Expr[] = [];
    while (!this.isPunct(')')) {
      const argStart = this.peek();
      if (argStart.kind === 'ident' && this.isPunct('=', 1) && !this.isPunct('=', 2)) {
        this.next();
        this.next();
        const value = this.parseExpr();
        args.push({
          kind: 'namedArg',
          span: { start: argStart.span.start, end: value.span.end },
          name: argStart.text,
          value,
        });
      } else {
        const e = this.parseTabularOrExpr();
        args.push(isTabularNode(e) ? { kind: 'tabular', span: e.span, query: e } : e);
      }
      if (!this.acceptPunct(',')) break;
    }
    const close = this.expectPunct(')');
    return {
      kind: 'call',
      span: { start: nameTok.span.start, end: close.span.end },
      name: nameTok.text,
      nameSpan: nameTok.span,
      args,
    };
  }

  /** `int(null)`, `long(5)`, `real(nan)`, `bool(true)`, `dynamic([1, "a"])`, `decimal(1.5)`. */
  private parseTypedLiteral(): Expr {
    const nameTok = this.next();
    this.next(); // (
    const typeName = nameTok.text === 'boolean' ? 'bool' : nameTok.text === 'double' ? 'real' : nameTok.text;
    let lit: LiteralExpr;
    if (typeName === 'dynamic') {
      const value = this.parseDynamicValue();
      lit = { kind: 'literal', span: nameTok.span, type: 'dynamic', value: value as DynamicValue };
    } else if (this.isWord('null')) {
      this.next();
      lit = { kind: 'literal', span: nameTok.span, type: 'null', value: null, nullOf: typeName };
    } else {
      const neg = this.acceptPunct('-');
      this.acceptPunct('+');
      const v = this.peek();
      this.next();
      let value: LiteralExpr['value'];
      if (v.kind === 'ident' && (v.text === 'true' || v.text === 'false')) value = v.text === 'true';
      else if (v.kind === 'ident' && /^(nan|inf)$/i.test(v.text))
        value = v.text.toLowerCase() === 'nan' ? NaN : neg ? -Infinity : Infinity;
      else if (v.kind === 'long' || v.kind === 'real') {
        const n = v.kind === 'long' ? String(v.value) : String(v.value);
        value = neg ? '-' + n : n;
      } else if (v.kind === 'string') value = v.text;
      else this.fail(`a ${typeName} value`, v);
      const litType = typeName as LiteralExpr['type'];
      lit = { kind: 'literal', span: nameTok.span, type: litType, value, nullOf: typeName };
    }
    const close = this.expectPunct(')');
    lit.span = { start: nameTok.span.start, end: close.span.end };
    return lit;
  }

  /** The JSON-like content of `dynamic(…)`. */
  private parseDynamicValue(): unknown {
    const t = this.peek();
    if (this.acceptPunct('[')) {
      const arr: unknown[] = [];
      while (!this.isPunct(']')) {
        arr.push(this.parseDynamicValue());
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct(']');
      return arr;
    }
    if (this.acceptPunct('{')) {
      const obj: Record<string, unknown> = {};
      while (!this.isPunct('}')) {
        const k = this.next();
        if (k.kind !== 'string' && k.kind !== 'ident') this.fail('a property name', k);
        this.expectPunct(':');
        obj[k.text] = this.parseDynamicValue();
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct('}');
      return obj;
    }
    if (t.kind === 'string') {
      this.next();
      let value = t.text;
      while (this.peek().kind === 'string') value += this.next().text;
      return value;
    }
    if (this.isPunct('-') && (this.peek(1).kind === 'long' || this.peek(1).kind === 'real')) {
      this.next();
      const n = this.next();
      return -Number(n.value);
    }
    if (t.kind === 'long' || t.kind === 'real') {
      this.next();
      return Number(t.value);
    }
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false' || t.text === 'null')) {
      this.next();
      return t.text === 'null' ? null : t.text === 'true';
    }
    if (t.kind === 'datetime') {
      this.next();
      return { $kql: 'datetime', value: t.text };
    }
    // A nested `dynamic(…)` inside a dynamic literal is the value itself.
    if (t.kind === 'ident' && t.text === 'dynamic' && this.isPunct('(', 1)) {
      this.next();
      this.next();
      const inner = this.parseDynamicValue();
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'timespan') {
      this.next();
      return { $kql: 'timespan', value: String(t.value) };
    }
    if (t.kind === 'guid') {
      this.next();
      return { $kql: 'guid', value: t.text };
    }
    return this.fail('a dynamic value (JSON)');
  }
}
