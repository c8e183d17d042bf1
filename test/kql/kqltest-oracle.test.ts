/**
 * Checks the hand-written expectations of every .kqltest record against Microsoft's binder (the
 * oracle), independently of our engine: a `query` must bind and produce exactly the header's
 * column names and KQL types; an `error` record must be rejected by the oracle at the matching
 * stage (SF0xx by the parser, SF1xx/SF2xx by the binder) or accepted (SF3xx: valid KQL we do not
 * support). Expected *values* are not checked here: the oracle does not execute. A record
 * headed `skipif oracle <reason>` is left out (data-dependent schemas).
 */
import { describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { oracleAnalyze, oracleParse } from '../oracle/kusto-oracle.js';
import { loadKqlTests } from './harness/discover.js';

const files = loadKqlTests(defenderSchema());

for (const file of files) {
  describe(`${file.path} (oracle)`, () => {
    for (const rec of file.records) {
      it(`${file.path}:${rec.line}`, () => {
        const where = `${file.path}:${rec.line}`;
        // `skipif oracle <reason>`: the oracle only analyses statically, so columns that depend on
        // the data (bag_unpack without a schema) cannot be checked against it.
        if (rec.conditions.some((c) => c.kind === 'skipif' && c.dialect === 'oracle')) return;
        if (rec.kind === 'query') {
          const a = oracleAnalyze(rec.kql, { aliases: false });
          expect(
            a.diagnostics.filter((d) => d.severity === 'error'),
            `${where}: oracle rejects the query`,
          ).toEqual([]);
          const cols = (a.resultColumns ?? []).map((c) => `${c.name}:${c.type}`);
          expect(cols, `${where}: header differs from the oracle's result schema`).toEqual(
            rec.columns.map((c) => `${c.name}:${c.type}`),
          );
          return;
        }
        const stage = rec.code.slice(2, 3);
        if (stage === '0') expect(oracleParse(rec.kql).ok, `${where}: oracle parses it`).toBe(false);
        else if (stage === '3') expect(oracleAnalyze(rec.kql).ok, `${where}: oracle rejects it`).toBe(true);
        else if (stage === '1' || stage === '2')
          expect(oracleAnalyze(rec.kql).ok, `${where}: oracle binds it`).toBe(false);
      });
    }
  });
}
