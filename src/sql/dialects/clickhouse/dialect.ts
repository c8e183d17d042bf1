import { cast, col, fn, num, op, str, type SqlExpr, type SqlQuery, type SqlSelect } from '../../ast/nodes.js';
import type { ConstValue, IrExpr, IrType, JsonLike } from '../../ir/expr.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type Dialect, type LowerContext } from '../dialect.js';
import { formatDatetime } from '../../../kql/semantics/literals.js';
import { chType, quoteIdentClickhouse } from './ddl.js';
import { lowerAggregate } from './aggregates.js';
import { SCALAR_LOWERINGS } from './scalar.js';
import { jsonTo } from './convert.js';
import { fromTicks, ticks } from './text.js';
import { DEDUPE_ROW_NUMBER, mvExpandPlaceholder, rewriteForClickhouse } from './rewrite.js';

/**
 * Settings every compiled query needs for KQL semantics (sent with each query, never spliced):
 * outer joins yield NULL (not 0/'') on the unmatched side; a SELECT alias never shadows a source
 * column in WHERE/GROUP BY (KQL `extend X = f(X)` then `where X …` reads the new X through the
 * lowering's own scoping, never ClickHouse's alias substitution); JSON output keeps inf/nan and
 * 64-bit integers exact; a long compiled query still parses.
 */
export const CLICKHOUSE_QUERY_SETTINGS: Record<string, string | number> = {
  join_use_nulls: 1,
  prefer_column_name_to_alias: 1,
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 1,
  output_format_json_escape_forward_slashes: 0,
  session_timezone: 'UTC',
  // `search`/`find` over every table compile to a few hundred KB of SQL, past the parser's
  // defaults (256 KiB of text, 50,000 syntax nodes).
  max_query_size: 16_777_216,
  max_ast_elements: 2_000_000,
  max_expanded_ast_elements: 8_000_000,
};

/** The settings above that limit parsing: a SETTINGS clause comes too late for them. */
export const CLICKHOUSE_PARSER_SETTINGS = ['max_query_size', 'max_ast_elements', 'max_expanded_ast_elements'];

/** ClickHouse: the scale-out engine (and chdb, the same engine embedded, for tests). */
export class ClickhouseDialect implements Dialect {
  readonly name = 'clickhouse';

  quoteIdent(name: string): string {
    return quoteIdentClickhouse(name);
  }

  stringLiteral(value: string): string {
    // ClickHouse reads backslash escapes in string literals, so backslash and quote are both escaped.
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
  }

  numberLiteral(value: number | bigint): string {
    if (typeof value === 'bigint') return value.toString();
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }

  lambda(params: string[], body: string): string {
    return `${params.length === 1 ? quoteIdentClickhouse(params[0]!) : `(${params.map(quoteIdentClickhouse).join(', ')})`} -> ${body}`;
  }

  struct(fields: [string, string][]): string {
    return `tuple(${fields.map(([, v]) => v).join(', ')})`;
  }

  listLiteral(items: string[]): string {
    return `[${items.join(', ')}]`;
  }

  typeName(t: IrType): string {
    return chType(t);
  }

  constant(type: IrType, value: ConstValue): SqlExpr {
    if (value === null) return type === 'string' ? str('') : cast({ k: 'null' }, chType(type));
    switch (type) {
      case 'string':
        return str(String(value));
      case 'bool':
        return { k: 'bool', value: Boolean(value) };
      case 'int':
      case 'long':
      case 'timespan':
        return fn('toInt64', num(typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)))));
      case 'real':
      case 'decimal':
        return fn('toFloat64', num(Number(value)));
      case 'datetime': {
        const iso = formatDatetime(value as bigint);
        return fn('toDateTime64', str(iso.replace('T', ' ').replace('Z', '')), num(7), str('UTC'));
      }
      case 'guid':
        return fn('toUUID', str(String(value)));
      case 'dynamic':
        return str(JSON.stringify(value as JsonLike));
    }
  }

  call(e: Extract<IrExpr, { kind: 'call' }>, ctx: LowerContext): SqlExpr {
    const lower = SCALAR_LOWERINGS[e.fn];
    if (!lower)
      throw new UnsupportedFeature('SF302', `function ${e.fn}() is not supported on ClickHouse yet`);
    return lower(e.args, ctx, e);
  }

  aggregate(a: AggCall, ctx: LowerContext): SqlExpr {
    return lowerAggregate(a, ctx);
  }

  window(e: Extract<IrExpr, { kind: 'window' }>, ctx: LowerContext, order: SqlSelect['orderBy']): SqlExpr {
    const orderBy = order ?? [];
    if (e.fn === 'row_number') {
      if (e.restart)
        throw new UnsupportedFeature('SF303', 'row_number() with a restart condition is not supported yet');
      const w: SqlExpr = { k: 'window', fn: fn('row_number'), partitionBy: [], orderBy };
      const start = e.args[0];
      return fn('toInt64', start ? op('+', w, op('-', ctx.expr(start), num(1))) : w);
    }
    // lagInFrame/leadInFrame see the whole partition only with an explicit full frame.
    const [value, offset, dflt] = e.args;
    const args = [fn('toNullable', ctx.expr(value!)), offset ? ctx.expr(offset) : num(1)];
    if (dflt) args.push(ctx.expr(dflt));
    const frame = 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING';
    const w: SqlExpr = {
      k: 'window',
      fn: fn(e.fn === 'prev' ? 'lagInFrame' : 'leadInFrame', ...args),
      partitionBy: [],
      orderBy,
      frame,
    };
    return value!.type === 'string' ? fn('ifNull', w, str('')) : w;
  }

  dedupe(select: SqlSelect, keys: SqlExpr[]): SqlSelect {
    // No DISTINCT ON: number the rows per key and keep the first.
    const rn = DEDUPE_ROW_NUMBER;
    const inner: SqlSelect = {
      ...select,
      items: [
        ...select.items,
        { e: { k: 'window', fn: fn('row_number'), partitionBy: keys, orderBy: [] }, alias: rn },
      ],
    };
    return {
      k: 'select',
      items: [{ e: { k: 'star' } }],
      from: { k: 'subquery', query: inner, alias: 'dd' },
      where: op('=', col(rn, 'dd'), num(1)),
    };
  }

  expandArrays(
    arrays: SqlExpr[],
    elementNames: string[],
    indexName: string,
    bagExpansion: 'bag' | 'array',
  ): SqlQuery {
    // ClickHouse cannot join a correlated subquery; this placeholder is turned into an arrayJoin
    // over the left side by rewriteForClickhouse (see rewrite.ts), which fails loudly if it is missed.
    return mvExpandPlaceholder(arrays, elementNames, indexName, bagExpansion);
  }

  fromJsonElement(e: SqlExpr, t: IrType): SqlExpr {
    return jsonTo(e, t);
  }

  rangeSource(from: SqlExpr, to: SqlExpr, step: SqlExpr, type: IrType, column: string): SqlQuery {
    const g = col('number', 'g');
    if (type === 'datetime') {
      const count = fn(
        'greatest',
        op('+', fn('intDiv', op('-', ticks(to), ticks(from)), step), num(1)),
        num(0),
      );
      const v = fromTicks(op('+', ticks(from), op('*', fn('toInt64', g), step)));
      return {
        k: 'select',
        items: [{ e: v, alias: column }],
        from: { k: 'tableFn', fn: fn('numbers', fn('toUInt64', fn('ifNull', count, num(0)))), alias: 'g' },
      };
    }
    const real = type === 'real' || type === 'decimal';
    const span = real ? fn('floor', op('/', op('-', to, from), step)) : fn('intDiv', op('-', to, from), step);
    const count = fn('greatest', op('+', span, num(1)), num(0));
    const v = op('+', from, op('*', real ? fn('toFloat64', g) : fn('toInt64', g), step));
    return {
      k: 'select',
      items: [{ e: real ? v : fn('toInt64', v), alias: column }],
      from: { k: 'tableFn', fn: fn('numbers', fn('toUInt64', fn('ifNull', count, num(0)))), alias: 'g' },
    };
  }

  rowField(packed: SqlExpr, index: number): SqlExpr {
    return fn('tupleElement', packed, num(index + 1));
  }

  /** ClickHouse-only rewrites of the finished SQL tree (VALUES lists). */
  rewriteQuery(q: SqlQuery): SqlQuery {
    return rewriteForClickhouse(q);
  }
}

export const clickhouseDialect = new ClickhouseDialect();
