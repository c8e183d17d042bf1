// The ClickHouse dialect without an engine: literals are escaped for ClickHouse's backslash rules,
// identifiers are quoted, unsupported features are diagnostics, and the DDL is ordered and
// partitioned for hunting. With chdb present, hostile literals also round-trip through the engine.
import { describe, expect, it } from 'vitest';
import { compileKql } from '../../src/sql/compile.js';
import { defenderSchema } from '../../src/schema/index.js';
import { clickhouseDialect } from '../../src/sql/dialects/clickhouse/dialect.js';
import {
  createDistributedTableSql,
  createTableSqlClickhouse,
} from '../../src/sql/dialects/clickhouse/ddl.js';
import { ChdbEngine, chdbSkipReason } from './harness.js';

const schema = defenderSchema();
const sql = (kql: string) => {
  const r = compileKql(kql, { schema, dialect: 'clickhouse', now: new Date('2025-01-01T00:00:00Z') });
  return { sql: r.sql ?? '', errors: r.diagnostics.filter((d) => d.severity === 'error') };
};
const HOSTILE = `a'b\\\\c\\' OR 1=1 --\u0000`;

describe('ClickHouse dialect', () => {
  it('escapes backslashes, quotes and NUL in string literals', () => {
    expect(clickhouseDialect.stringLiteral(`it's a \\ path`)).toBe(`'it\\'s a \\\\ path'`);
    expect(clickhouseDialect.stringLiteral('nul\0')).toBe(`'nul\\0'`);
    expect(clickhouseDialect.quoteIdent('we`ird')).toBe('`we\\`ird`');
  });

  it('keeps user text inside escaped literals only', () => {
    const { sql: text, errors } = sql(
      `DeviceProcessEvents | where FileName == ${JSON.stringify(HOSTILE)} | project FileName`,
    );
    expect(errors).toEqual([]);
    expect(text).toContain(clickhouseDialect.stringLiteral(HOSTILE));
    expect(text).not.toContain("a'b");
  });

  it('compiles has to a whole-term RE2 match behind a substring prefilter', () => {
    const { sql: text } = sql(`DeviceProcessEvents | where ProcessCommandLine has "server-eye"`);
    expect(text).toMatch(
      /positionCaseInsensitive\(`ProcessCommandLine`, 'server-eye'\) > 0 AND match\(`ProcessCommandLine`, '\(\?:\^\|\[\^0-9A-Za-z\]\)/,
    );
  });

  it('reports a function without a ClickHouse lowering as SF302, not invalid SQL', () => {
    // parse_xml is a JavaScript function registered in DuckDB only.
    const { sql: text, errors } = sql(`print x = parse_xml("<a>1</a>")`);
    expect(errors.map((e) => e.code)).toEqual(['SF302']);
    expect(errors[0]!.message).toMatch(/parse_xml\(\) is not supported on ClickHouse/);
    expect(text).toBe('');
  });

  it('creates MergeTree tables ordered by (DeviceId, Timestamp) and partitioned by day', () => {
    const ddl = createTableSqlClickhouse(schema.table('DeviceProcessEvents')!);
    expect(ddl).toMatch(
      /ENGINE = MergeTree\nPARTITION BY toDate\(`Timestamp`\)\nORDER BY \(`DeviceId`, `Timestamp`\)/,
    );
    expect(ddl).toMatch(/`Timestamp` DateTime64\(7, 'UTC'\),/);
    expect(ddl).toMatch(/`FileName` String DEFAULT '',/);
    expect(ddl).toMatch(/`ProcessId` Nullable\(Int64\),/);
    const dist = createDistributedTableSql(schema.table('DeviceProcessEvents')!, 'socfeed', 'hunt');
    expect(dist).toContain(
      "ENGINE = Distributed('socfeed', 'hunt', 'DeviceProcessEvents_local', cityHash64(`DeviceId`))",
    );
  });

  it.skipIf(chdbSkipReason('clickhouse dialect round-trip') !== undefined)(
    'round-trips hostile text through chdb unchanged',
    async () => {
      const ch = new ChdbEngine(schema);
      try {
        const r = await ch.run(
          `print s = ${JSON.stringify(HOSTILE)}, n = strlen(${JSON.stringify(HOSTILE)})`,
          { now: new Date(), source: 'q' },
        );
        expect(r.kind === 'ok' ? r.result.rows : r).toEqual([[HOSTILE, [...HOSTILE].length]]);
      } finally {
        await ch.close();
      }
    },
  );

  it.skipIf(chdbSkipReason('clickhouse avg over no values') !== undefined)(
    'gives NaN for avg over no rows and over only nulls, as DuckDB does (summarize-operator.md)',
    async () => {
      const ch = new ChdbEngine(schema);
      try {
        const r = await ch.run(
          `datatable(k:string, x:long) ["a", long(null)] | summarize a = avg(x), b = avgif(x, k == "z")`,
          { now: new Date(), source: 'q' },
        );
        // The harness writes non-finite reals as their Kusto text.
        expect(r.kind === 'ok' ? r.result.rows : r).toEqual([['NaN', 'NaN']]);
      } finally {
        await ch.close();
      }
    },
  );
});
