// The three seed rules and the whole RMM pack, run over the same demo estate on DuckDB and on
// ClickHouse (chdb): every rule must give identical findings (sets compared without order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { generateDemo } from '../../src/store/demo/generate.js';
import { loadRules } from '../../src/rules/load.js';
import { runKql } from '../../src/engine/run.js';
import { copyStoreToClickhouse } from '../../src/engine/clickhouse/tables.js';
import { REPO_ROOT, SHARED_DIR, missingData } from '../conformance/shared-data.js';
import { NOW, NOW_ISO, tempDir } from '../demo/helpers.js';
import { writeReport } from '../conformance/report.js';
import { ChdbEngine, chdbSkipReason, diffResults, isOrdered } from './harness.js';

const SEED_PAGES = join(SHARED_DIR, 'seeds');
const SEED_FILES = ['000_c7e6b978a14b830d.txt', '002_85ec6671a8263494.txt', '004_af0687848f795552.txt'];
const skip = chdbSkipReason('clickhouse rules differential') ?? missingData(SEED_PAGES);

function seedQuery(file: string): string {
  const page = readFileSync(join(SEED_PAGES, file), 'utf8');
  const m = /\nKQL Query\n\n([\s\S]*?)\n\nAnalytic Rule Definition\n/.exec(page);
  if (!m) throw new Error(`${file}: no KQL Query section`);
  return m[1]!;
}

describe.skipIf(skip !== undefined)(
  'seed rules and RMM pack: DuckDB vs ClickHouse on the demo estate',
  () => {
    let store: Store;
    let ch: ChdbEngine;
    const now = new Date(NOW_ISO);

    beforeAll(async () => {
      store = await Store.open(join(tempDir(), 'demo.duckdb'));
      await generateDemo(store, { devices: 25, days: 7, seed: 1, now: NOW });
      ch = new ChdbEngine(store.schema);
      await copyStoreToClickhouse(store, ch.exec);
    });
    afterAll(async () => {
      store?.close();
      await ch?.close();
    });

    it('the demo estate arrives whole on ClickHouse', async () => {
      for (const table of ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileCertificateInfo']) {
        const duck = await runKql(store, `${table} | count`);
        const click = await ch.run(`${table} | count`, { now, source: table });
        expect(click.kind === 'ok' ? click.result.rows : click).toEqual(duck.rows);
        expect(Number(duck.rows[0]![0])).toBeGreaterThan(0);
      }
    });

    it('identical findings for the three seeds and every RMM pack rule', async () => {
      const cases = SEED_FILES.map((f) => ({ id: `seed ${f}`, query: seedQuery(f) }));
      for (const r of loadRules(join(REPO_ROOT, 'data', 'rules', 'rmm-pack'), { now }).rules)
        cases.push({ id: r.name, query: r.query });
      const differences: string[] = [];
      let rowsCompared = 0;
      for (const c of cases) {
        const duck = await runKql(store, c.query, { now, source: c.id });
        const click = await ch.run(c.query, { now, source: c.id });
        if (click.kind !== 'ok') {
          differences.push(`${c.id}: clickhouse ${click.kind}: ${click.message.split('\n')[0]}`);
          continue;
        }
        rowsCompared += duck.rows.length;
        const diff = diffResults(duck, click.result, isOrdered(c.query), true);
        if (diff) differences.push(`${c.id}: ${diff}`);
      }
      const summary = `clickhouse-rules-diff: ${cases.length - differences.length}/${cases.length} rules identical on DuckDB and ClickHouse (${rowsCompared} finding rows compared)`;
      const path = writeReport('clickhouse-rules-diff', [summary, '', ...differences]);
      console.log(summary);
      expect(differences, `see ${path}`).toEqual([]);
      expect(rowsCompared, 'the planted RMM activity is found').toBeGreaterThan(0);
    });
  },
);
