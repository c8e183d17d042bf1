import type { SqlExpr, SqlFrom, SqlOrder, SqlQuery, SqlSelect } from './nodes.js';

/** What the printer needs from a dialect. Quoting and escaping happen here and nowhere else. */
export interface SqlPrinterHooks {
  quoteIdent(name: string): string;
  stringLiteral(value: string): string;
  numberLiteral(value: number | bigint): string;
  /** `a -> b` lambda syntax for list functions. */
  lambda(params: string[], body: string): string;
  /** `{'a': 1}` struct literal syntax. */
  struct(fields: [string, string][]): string;
  listLiteral(items: string[]): string;
}

const PREC: Record<string, number> = {
  OR: 1,
  AND: 2,
  '=': 4,
  '<>': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  LIKE: 4,
  ILIKE: 4,
  'NOT LIKE': 4,
  'NOT ILIKE': 4,
  'IS NOT DISTINCT FROM': 4,
  'IS DISTINCT FROM': 4,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '//': 7,
  '%': 7,
};

export class SqlPrinter {
  constructor(private readonly h: SqlPrinterHooks) {}

  query(q: SqlQuery, indent = ''): string {
    if (q.k === 'union')
      return q.parts.map((p) => this.query(p, indent)).join(`\n${indent}UNION ALL\n${indent}`);
    return this.select(q, indent);
  }

  private select(s: SqlSelect, indent: string): string {
    const inner = indent + '  ';
    const lines: string[] = [];
    let head = 'SELECT';
    if (s.distinctOn) head += ` DISTINCT ON (${s.distinctOn.map((e) => this.expr(e)).join(', ')})`;
    else if (s.distinct) head += ' DISTINCT';
    const items = s.items.map((i) =>
      i.alias !== undefined ? `${this.expr(i.e)} AS ${this.h.quoteIdent(i.alias)}` : this.expr(i.e),
    );
    lines.push(`${head} ${items.join(`,\n${inner}`)}`);
    if (s.from) lines.push(`FROM ${this.from(s.from, indent)}`);
    if (s.where) lines.push(`WHERE ${this.expr(s.where)}`);
    if (s.groupBy && s.groupBy.length)
      lines.push(`GROUP BY ${s.groupBy.map((e) => this.expr(e)).join(', ')}`);
    if (s.having) lines.push(`HAVING ${this.expr(s.having)}`);
    if (s.qualify) lines.push(`QUALIFY ${this.expr(s.qualify)}`);
    if (s.orderBy && s.orderBy.length) lines.push(`ORDER BY ${this.order(s.orderBy)}`);
    if (s.limit !== undefined) lines.push(`LIMIT ${this.h.numberLiteral(s.limit)}`);
    return lines.join(`\n${indent}`);
  }

  private order(keys: SqlOrder[]): string {
    return keys
      .map((o) => `${this.expr(o.e)} ${o.desc ? 'DESC' : 'ASC'} NULLS ${o.nullsFirst ? 'FIRST' : 'LAST'}`)
      .join(', ');
  }

  private from(f: SqlFrom, indent: string): string {
    switch (f.k) {
      case 'table':
        return this.h.quoteIdent(f.name) + (f.alias ? ` AS ${this.h.quoteIdent(f.alias)}` : '');
      case 'subquery':
        return `(\n${indent}  ${this.query(f.query, indent + '  ')}\n${indent}) AS ${this.h.quoteIdent(f.alias)}`;
      case 'join': {
        const left = this.from(f.left, indent);
        const right = this.from(f.right, indent);
        if (f.kind === 'CROSS') return `${left}\n${indent}CROSS JOIN ${right}`;
        return `${left}\n${indent}${f.kind} JOIN ${right}${f.on ? ` ON ${this.expr(f.on)}` : ' ON TRUE'}`;
      }
      case 'tableFn': {
        const cols = f.columns ? `(${f.columns.map((c) => this.h.quoteIdent(c)).join(', ')})` : '';
        return `${f.lateral ? 'LATERAL ' : ''}${this.expr(f.fn)} AS ${this.h.quoteIdent(f.alias)}${cols}`;
      }
      case 'values': {
        const rows = f.rows.map((r) => `(${r.map((e) => this.expr(e)).join(', ')})`).join(`,\n${indent}  `);
        return `(VALUES ${rows}) AS ${this.h.quoteIdent(f.alias)}(${f.columns.map((c) => this.h.quoteIdent(c)).join(', ')})`;
      }
    }
  }

  expr(e: SqlExpr, parentPrec = 0): string {
    switch (e.k) {
      case 'col':
        return (e.qualifier ? `${this.h.quoteIdent(e.qualifier)}.` : '') + this.h.quoteIdent(e.name);
      case 'str':
        return this.h.stringLiteral(e.value);
      case 'num':
        return this.h.numberLiteral(e.value);
      case 'bool':
        return e.value ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'typed':
        return `${e.type} ${this.h.stringLiteral(e.value)}`;
      case 'fn': {
        let args = e.args.map((a) => this.expr(a)).join(', ');
        if (e.distinct) args = `DISTINCT ${args}`;
        if (e.orderBy && e.orderBy.length) args += ` ORDER BY ${this.order(e.orderBy)}`;
        return `${e.name}(${args})${e.filter ? ` FILTER (WHERE ${this.expr(e.filter)})` : ''}`;
      }
      case 'op': {
        const p = PREC[e.op];
        if (p === undefined) return `(${this.expr(e.l, 99)} ${e.op} ${this.expr(e.r, 99)})`;
        // Comparisons are not associative: parenthesise a comparison operand that is itself a comparison.
        const text = `${this.expr(e.l, p)} ${e.op} ${this.expr(e.r, p + (p === 4 || e.op === '-' || e.op === '/' || e.op === '//' || e.op === '%' ? 1 : 0))}`;
        return p < parentPrec || (p === parentPrec && p === 4) ? `(${text})` : text;
      }
      case 'not':
        return parentPrec > 3 ? `(NOT ${this.expr(e.e, 3)})` : `NOT ${this.expr(e.e, 3)}`;
      case 'neg':
        // The space keeps `-(-2)` from printing as `--2`, which SQL reads as a comment.
        return `(- ${this.expr(e.e, 99)})`;
      case 'isnull': {
        const t = `${this.expr(e.e, 5)} IS ${e.negated ? 'NOT ' : ''}NULL`;
        return parentPrec >= 4 ? `(${t})` : t;
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => `WHEN ${this.expr(c)} THEN ${this.expr(v)}`).join(' ');
        return `CASE ${whens}${e.else ? ` ELSE ${this.expr(e.else)}` : ''} END`;
      }
      case 'cast':
        return `${e.try ? 'TRY_CAST' : 'CAST'}(${this.expr(e.e)} AS ${e.type})`;
      case 'in': {
        const t = `${this.expr(e.e, 5)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map((x) => this.expr(x)).join(', ')})`;
        return parentPrec >= 4 ? `(${t})` : t;
      }
      case 'inSelect': {
        const t = `${this.expr(e.e, 5)} ${e.negated ? 'NOT ' : ''}IN (${this.query(e.query, '    ')})`;
        return parentPrec >= 4 ? `(${t})` : t;
      }
      case 'exists':
        return `${e.negated ? 'NOT ' : ''}EXISTS (${this.query(e.query, '    ')})`;
      case 'scalar':
        return `(${this.query(e.query, '    ')})`;
      case 'between': {
        const t = `${this.expr(e.e, 5)} BETWEEN ${this.expr(e.lo, 5)} AND ${this.expr(e.hi, 5)}`;
        return parentPrec >= 2 ? `(${t})` : t;
      }
      case 'window': {
        const parts: string[] = [];
        if (e.partitionBy.length)
          parts.push(`PARTITION BY ${e.partitionBy.map((x) => this.expr(x)).join(', ')}`);
        if (e.orderBy.length) parts.push(`ORDER BY ${this.order(e.orderBy)}`);
        if (e.frame) parts.push(e.frame);
        return `${this.expr(e.fn)} OVER (${parts.join(' ')})`;
      }
      case 'list':
        return this.h.listLiteral(e.items.map((x) => this.expr(x)));
      case 'lambda':
        return this.h.lambda(e.params, this.expr(e.body));
      case 'index':
        return `${this.expr(e.e, 99)}[${this.expr(e.index)}]`;
      case 'star':
        return e.qualifier ? `${this.h.quoteIdent(e.qualifier)}.*` : '*';
      case 'struct':
        return this.h.struct(e.fields.map(([k, v]) => [k, this.expr(v)]));
    }
  }
}
