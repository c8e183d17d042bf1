// `search` and `find` without a table list read every table: a few hundred KB of SQL, past
// ClickHouse's default parser limit (256 KiB). They must run on ClickHouse as on DuckDB.
import { afterAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { ChdbEngine, chdbSkipReason } from './harness.js';

const skip = chdbSkipReason('clickhouse search over every table');

describe.skipIf(skip !== undefined)('ClickHouse: search and find over every table', () => {
  let ch: ChdbEngine | undefined;
  afterAll(async () => {
    await ch?.close();
  });
  const run = async (kql: string) => {
    if (!ch) {
      ch = new ChdbEngine(defenderSchema());
      await ch.init();
    }
    return ch.run(kql, { now: new Date('2025-01-01T00:00:00Z'), source: 'q' });
  };

  it('runs find and search with no table list', async () => {
    for (const q of ['find "anydesk" | count', 'search "anydesk" | count']) {
      const r = await run(q);
      expect(r.kind === 'ok' ? (r.sql ?? '').length : r).toBeGreaterThan(256 * 1024);
      expect(r.kind === 'ok' ? r.result.rows : r).toEqual([[0]]);
    }
  }, 120_000);
});
