import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { defenderSchema } from '../../src/schema/index.js';
import { createTableSql } from '../../src/sql/dialects/duckdb/ddl.js';
import { buildFastInsertSql, type FastSpec } from '../../src/store/ingest/sql/fast-insert-sql.js';
import { buildPassSql } from '../../src/store/ingest/sql/pass-sql.js';
import { jsonl, sandbox, streamRecord } from './helpers.js';

/*
 * The bulk SQL is only fast if DuckDB parses each record once. Its optimizer may push a filter
 * through the projection that parses, and then parse again inside the filter; these plans pin
 * down that the typed parse (json_transform_strict) never ends up in a FILTER.
 */

const schema = defenderSchema();
const table = schema.table('DeviceProcessEvents')!;
const record = streamRecord('DeviceProcessEvents', {
  Timestamp: '2024-05-01T10:00:00Z',
  DeviceName: 'ws',
  ProcessId: 1,
});
const keys = Object.keys(record['properties'] as object);
let instance: DuckDBInstance;
let c: DuckDBConnection;
const sb = sandbox();
const jsonlFile = sb.file('records.json', jsonl([record]));

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
  await c.run(createTableSql(table));
  await c.run(
    'CREATE TEMP TABLE _stage (rec BIGINT, line BIGINT, tbl VARCHAR, doc BLOB, raw BLOB, err VARCHAR)',
  );
  for (const tbl of [null, 'DeviceProcessEvents']) {
    await c.run('INSERT INTO _stage VALUES (1, 1, ?, encode(?), NULL, NULL)', [tbl, JSON.stringify(record)]);
  }
});
afterAll(() => {
  c.closeSync();
  instance.closeSync();
  sb.cleanup();
});

interface PlanNode {
  name: string;
  extra_info?: unknown;
  children?: PlanNode[];
}

/**
 * What the plan's filters evaluate: the fast-path test must be there (json_keys), the typed parse
 * must not (it belongs to the projection below, evaluated once per record).
 */
async function inFilters(
  sql: string,
  params: Record<string, string | null>,
): Promise<{ parses: number; keyChecks: number }> {
  const reader = await c.runAndReadAll(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const plan = JSON.parse(String(reader.getRows()[0]![1])) as PlanNode[];
  const out = { parses: 0, keyChecks: 0 };
  const walk = (n: PlanNode) => {
    if (n.name.includes('FILTER')) {
      const text = JSON.stringify(n.extra_info ?? '');
      out.parses += text.split('json_transform_strict').length - 1;
      out.keyChecks += text.split('json_keys').length - 1;
    }
    for (const child of n.children ?? []) walk(child);
  };
  plan.forEach(walk);
  return out;
}

describe('each record is parsed once', () => {
  const fast = (shape: FastSpec['shape'], filter: 'unrouted' | 'routed'): FastSpec => ({
    table,
    shape,
    keys: shape === 'envelope' ? keys : keys.filter((k) => k !== 'MachineGroup'),
    extras: shape === 'envelope' ? ['MachineGroup'] : [],
    source: { stage: '_stage', filter: { kind: filter } },
  });

  test.each([
    ['streaming records from a stage table', fast('envelope', 'unrouted')],
    ['JS-routed rows from a stage table', fast('routed', 'routed')],
    ['a JSON-lines file read by DuckDB', { ...fast('envelope', 'unrouted'), source: { file: '' } }],
  ])('fast insert: %s', async (_name, spec) => {
    const source = 'file' in spec.source ? { file: jsonlFile } : spec.source;
    const { sql, params } = buildFastInsertSql({ ...spec, source }, '2024-05-01T00:00:00Z');
    expect(await inFilters(sql, params)).toEqual({ parses: 0, keyChecks: 1 });
  });

  test('general pass that skips the fast-path records', async () => {
    const spec = {
      table,
      shape: 'envelope' as const,
      knownTables: schema.tableNames(),
      variants: new Map<string, string[]>(),
      captured: ['MachineGroup'],
      filter: { kind: 'unrouted' as const },
      stage: '_stage',
    };
    const { sql, params } = buildPassSql(spec, undefined, fast('envelope', 'unrouted'));
    expect(await inFilters(sql.replace(/^CREATE OR REPLACE TEMP TABLE \S+ AS /, ''), params)).toEqual({
      parses: 0,
      keyChecks: 1,
    });
  });
});
