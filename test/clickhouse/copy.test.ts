// Copying a DuckDB store to ClickHouse keeps every value exact (100 ns datetimes, dynamic JSON,
// 64-bit integers, strings with quotes and backslashes), on both paths: JSONEachRow batches (the
// HTTP server path) and Parquet (the embedded path).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runKql } from '../../src/engine/run.js';
import { copyStoreToClickhouse } from '../../src/engine/clickhouse/tables.js';
import type { ClickhouseExecutor } from '../../src/engine/clickhouse/executor.js';
import { ChdbEngine, chdbSkipReason } from './harness.js';

const skip = chdbSkipReason('clickhouse copy');
const NOW = new Date('2026-06-01T12:00:00Z');
const QUERY = `DeviceProcessEvents | project Timestamp, DeviceId, FileName, ProcessId, AdditionalFields, ProcessCreationTime | order by Timestamp asc`;

describe.skipIf(skip !== undefined)('DuckDB store → ClickHouse', () => {
  let store: Store;
  let ch: ChdbEngine;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await store.run(`INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, FileName, ProcessId, AdditionalFields, ProcessCreationTime)
      VALUES (TIMESTAMP_NS '2026-05-30 10:00:00.1234567', 'dev-1', 'a''b\\c "d".exe', 9007199254740993, '{"k":[1,"x"],"n":null}', NULL),
             (TIMESTAMP_NS '2026-05-30 10:00:00.0000001', 'dev-2', '', NULL, '', TIMESTAMP_NS '1999-12-31 23:59:59.9999999')`);
    ch = new ChdbEngine(store.schema);
  });
  afterAll(async () => {
    store?.close();
    await ch?.close();
  });

  const paths: [string, (e: ClickhouseExecutor) => ClickhouseExecutor][] = [
    ['JSONEachRow batches', (e) => ({ ...bind(e), insertParquetFile: undefined })],
    ['Parquet file', (e) => e],
  ];
  for (const [label, wrap] of paths) {
    it(`${label}: the same rows, exactly`, async () => {
      await ch.exec.command('DROP TABLE IF EXISTS `DeviceProcessEvents`');
      const copied = await copyStoreToClickhouse(store, wrap(ch.exec), {
        tables: ['DeviceProcessEvents'],
        batchRows: 1,
      });
      expect(copied).toEqual([{ table: 'DeviceProcessEvents', rows: 2 }]);
      const duck = await runKql(store, QUERY, { now: NOW });
      const click = await ch.run(QUERY, { now: NOW, source: 'q' });
      expect(click.kind === 'ok' ? click.result.rows : click).toEqual(duck.rows);
      expect(duck.rows[1]![0]).toBe('2026-05-30T10:00:00.1234567Z');
    });
  }
});

/** The executor's methods bound to it, so a copy of it without the Parquet path still works. */
function bind(e: ClickhouseExecutor): ClickhouseExecutor {
  return {
    target: e.target,
    query: e.query.bind(e),
    command: e.command.bind(e),
    insertJsonEachRow: e.insertJsonEachRow.bind(e),
    close: e.close.bind(e),
  };
}
