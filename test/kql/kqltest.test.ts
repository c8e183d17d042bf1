/**
 * Runs every test/kql/**\/*.kqltest file: one vitest test per record (and dialect), named
 * `file:line`; a malformed header or record is a failing test at its line. Each file gets its own
 * in-memory store (all Defender tables, empty until a fixture fills them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS } from '../conformance/engine-adapter.js';
import { loadKqlTests } from './harness/discover.js';
import { runRecord, runsOn, type FileContext } from './harness/runner.js';

const schema = defenderSchema();
const files = loadKqlTests(schema);

it('finds .kqltest files', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  describe(file.path, () => {
    let ctx: FileContext | undefined;
    beforeAll(async () => {
      if (file.records.length > 0)
        ctx = { path: file.path, store: await Store.open(':memory:'), schema, loaded: new Map() };
    });
    afterAll(() => ctx?.store.close());

    for (const p of file.problems) {
      it(`${file.path}:${p.line}`, () => {
        throw new Error(`${file.path}:${p.line}: ${p.message}`);
      });
    }
    for (const rec of file.records) {
      for (const dialect of DIALECTS) {
        const name =
          DIALECTS.length > 1 ? `${file.path}:${rec.line} [${dialect}]` : `${file.path}:${rec.line}`;
        it.skipIf(!runsOn(rec, dialect))(name, async () => {
          const failure = await runRecord(ctx!, rec, dialect);
          if (failure !== undefined) throw new Error(failure);
        });
      }
    }
  });
}
