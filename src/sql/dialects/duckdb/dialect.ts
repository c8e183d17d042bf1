import { cast, col, fn, type SqlExpr, type SqlQuery, type SqlSelect } from '../../ast/nodes.js';
import type { ConstValue, IrExpr, IrType, JsonLike } from '../../ir/expr.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type Dialect, type LowerContext } from '../dialect.js';
import { DUCKDB_STORAGE_TYPE, quoteIdentDuckdb } from './ddl.js';
import { lowerAggregate } from './aggregates.js';
import { SCALAR_LOWERINGS } from './scalar.js';
import { formatDatetime } from '../../../kql/semantics/literals.js';

/** DuckDB: the embedded default engine. */
export class DuckDbDialect implements Dialect {
  readonly name = 'duckdb';
  readonly expandInline = true;

  quoteIdent(name: string): string {
    return quoteIdentDuckdb(name);
  }

  stringLiteral(value: string): string {
    // Standard SQL strings: only the quote is special. NUL cannot appear in SQL text, so it is
    // spliced in with chr(0).
    const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
    if (!value.includes('\0')) return quoted(value);
    return `(${value.split('\0').map(quoted).join(' || chr(0) || ')})`;
  }

  numberLiteral(value: number | bigint): string {
    if (typeof value === 'bigint') return value.toString();
    if (!Number.isFinite(value))
      return `CAST('${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}' AS DOUBLE)`;
    return String(value);
  }

  lambda(params: string[], body: string): string {
    return `(${params.map((p) => quoteIdentDuckdb(p)).join(', ')}) -> ${body}`;
  }

  struct(fields: [string, string][]): string {
    return `{${fields.map(([k, v]) => `${this.stringLiteral(k)}: ${v}`).join(', ')}}`;
  }

  listLiteral(items: string[]): string {
    return `[${items.join(', ')}]`;
  }

  typeName(t: IrType): string {
    return DUCKDB_STORAGE_TYPE[t];
  }

  constant(type: IrType, value: ConstValue): SqlExpr {
    if (value === null) return cast({ k: 'null' }, this.typeName(type));
    switch (type) {
      case 'string':
        return { k: 'str', value: String(value) };
      case 'bool':
        return { k: 'bool', value: Boolean(value) };
      case 'int':
      case 'long':
      case 'timespan':
        return { k: 'num', value: typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))) };
      case 'real':
      case 'decimal':
        return cast({ k: 'num', value: Number(value) }, 'DOUBLE');
      case 'datetime': {
        const iso = formatDatetime(value as bigint);
        return { k: 'typed', type: 'TIMESTAMP_NS', value: iso.replace('T', ' ').replace('Z', '') };
      }
      case 'guid':
        return cast({ k: 'str', value: String(value) }, 'UUID');
      case 'dynamic':
        return cast({ k: 'str', value: JSON.stringify(value as JsonLike) }, 'JSON');
    }
  }

  call(e: Extract<IrExpr, { kind: 'call' }>, ctx: LowerContext): SqlExpr {
    const lower = SCALAR_LOWERINGS[e.fn];
    if (!lower) throw new UnsupportedFeature('SF302', `function ${e.fn}() is not supported on DuckDB yet`);
    return lower(e.args, ctx, e);
  }

  aggregate(a: AggCall, ctx: LowerContext): SqlExpr {
    return lowerAggregate(a, ctx);
  }

  window(e: Extract<IrExpr, { kind: 'window' }>, ctx: LowerContext, order: SqlSelect['orderBy']): SqlExpr {
    const orderBy = order ?? [];
    if (e.fn === 'row_number') {
      // A restart condition is planned by the generic lowering (partitions by restart groups).
      if (e.restart)
        throw new UnsupportedFeature('SF303', 'row_number() with a restart condition here is not supported');
      const w: SqlExpr = { k: 'window', fn: fn('row_number'), partitionBy: [], orderBy };
      const start = e.args[0];
      return start
        ? { k: 'op', op: '+', l: w, r: { k: 'op', op: '-', l: ctx.expr(start), r: { k: 'num', value: 1 } } }
        : w;
    }
    const args = e.args.map((a) => ctx.expr(a));
    return { k: 'window', fn: fn(e.fn === 'prev' ? 'lag' : 'lead', ...args), partitionBy: [], orderBy };
  }

  dedupe(select: SqlSelect, keys: SqlExpr[]): SqlSelect {
    return { ...select, distinctOn: keys };
  }

  expandArrays(
    arrays: SqlExpr[],
    elementNames: string[],
    indexName: string,
    bagExpansion: 'bag' | 'array',
  ): SqlQuery {
    // Each array (or property bag) becomes a list of JSON elements; null expands to one null row,
    // an empty array to no rows. Lists are zipped by position like Kusto's parallel mv-expand.
    const lists = arrays.map((a) => fn('socfeed_json_elements', a, { k: 'str', value: bagExpansion }));
    const maxLen =
      lists.length === 1 ? fn('len', lists[0]!) : fn('greatest', ...lists.map((l) => fn('len', l)));
    // unnest() calls in one select list run in parallel (shorter lists padded with NULL), and each
    // list is built once per input row: indexing it per element would rebuild it for every element.
    const items = [
      ...lists.map((l, j) => ({ e: fn('unnest', l), alias: elementNames[j]! })),
      { e: fn('unnest', fn('range', maxLen)), alias: indexName },
    ];
    return { k: 'select', items };
  }

  fromJsonElement(e: SqlExpr, t: IrType): SqlExpr {
    return jsonTo(e, t);
  }

  rangeSource(from: SqlExpr, to: SqlExpr, step: SqlExpr, type: IrType, column: string): SqlQuery {
    if (type === 'datetime') {
      const ns = (x: SqlExpr) => fn('epoch_ns', x);
      const g = fn('generate_series', ns(from), ns(to), {
        k: 'op',
        op: '*',
        l: step,
        r: { k: 'num', value: 100 },
      });
      return {
        k: 'select',
        items: [{ e: fn('make_timestamp_ns', col('v')), alias: column }],
        from: { k: 'tableFn', fn: g, alias: 'g', columns: ['v'] },
      };
    }
    // The table function streams its rows; unnest(generate_series(…)) would build the whole list first.
    const g = fn('generate_series', from, to, step);
    return {
      k: 'select',
      items: [{ e: col('v'), alias: column }],
      from: { k: 'tableFn', fn: g, alias: 'g', columns: ['v'] },
    };
  }

  rowField(packed: SqlExpr, index: number): SqlExpr {
    return fn('struct_extract', packed, { k: 'str', value: `f${index}` });
  }
}

/** A JSON value converted to a KQL type (cast only; non-conforming values become null). */
export function jsonTo(e: SqlExpr, t: IrType): SqlExpr {
  switch (t) {
    case 'dynamic':
      return e;
    case 'string':
      return fn('coalesce', fn('json_extract_string', e, { k: 'str', value: '$' }), { k: 'str', value: '' });
    case 'datetime':
      return cast(fn('json_extract_string', e, { k: 'str', value: '$' }), 'TIMESTAMP_NS', true);
    case 'timespan':
      return fn('socfeed_parse_timespan', fn('json_extract_string', e, { k: 'str', value: '$' }));
    default:
      return cast(fn('json_extract_string', e, { k: 'str', value: '$' }), DUCKDB_STORAGE_TYPE[t], true);
  }
}

export const duckdbDialect = new DuckDbDialect();
