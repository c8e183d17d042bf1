// evaluate bag_unpack and evaluate pivot take their output columns from the data: on ClickHouse the
// runner finds them with discovery queries lowered for ClickHouse (src/engine/bag-keys.ts), then
// binds again, as runKql does on DuckDB. Each query runs on both engines and must give the same
// columns, types and rows (the expected rows are the Kusto docs' or test/kql's, written by hand).
import { afterAll, describe, expect, it } from 'vitest';
import { defenderSchema } from '../../src/schema/index.js';
import { Store } from '../../src/store/store.js';
import { runKql, KqlCompileError } from '../../src/engine/run.js';
import type { KqlResult } from '../../src/engine/types.js';
import { ChdbEngine, chdbSkipReason, diffResults } from './harness.js';

const skip = chdbSkipReason('clickhouse bag_unpack/pivot');
const NOW = new Date('2025-01-01T00:00:00Z');

describe.skipIf(skip !== undefined)('ClickHouse: bag_unpack and pivot with columns from the data', () => {
  let ch: ChdbEngine | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await ch?.close();
    store?.close();
  });

  /** The query's result on both engines after checking they agree. */
  const both = async (kql: string): Promise<KqlResult> => {
    ch ??= new ChdbEngine(defenderSchema());
    store ??= await Store.open(':memory:');
    const duck = await runKql(store, kql, { now: NOW, source: 'q' });
    const out = await ch.run(kql, { now: NOW, source: 'q' });
    if (out.kind !== 'ok') throw new Error(`ClickHouse: ${out.message}`);
    expect(diffResults(duck, out.result, false)).toBeUndefined();
    return out.result;
  };
  const header = (r: KqlResult) => r.columns.map((c) => `${c.name}:${c.type}`);
  const sorted = (r: KqlResult) =>
    [...r.rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

  it('unpacks keys found in the data, with a prefix (bag-unpack-plugin.md)', async () => {
    const r =
      await both(`datatable(d:dynamic) [dynamic({"Name": "John", "Age":20}), dynamic({"Name": "Dave"})]
      | evaluate bag_unpack(d, 'P_')`);
    expect(header(r)).toEqual(['P_Age:dynamic', 'P_Name:dynamic']);
    expect(sorted(r)).toEqual([
      [20, 'John'],
      [null, 'Dave'],
    ]);
  });

  it('unpacks a bag made by make_bag (make-bag-aggregation-function.md)', async () => {
    const r =
      await both(`let T = datatable(prop:string, value:string) ["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"];
      T | extend p = bag_pack(prop, value) | summarize dict = make_bag(p) | evaluate bag_unpack(dict)`);
    expect(header(r)).toEqual(['prop01:dynamic', 'prop02:dynamic', 'prop03:dynamic']);
    expect(r.rows).toEqual([['val_a', 'val_b', 'val_c']]);
  });

  it('unpacks a bag found by an earlier bag_unpack (a second discovery round)', async () => {
    const r = await both(`datatable(d:dynamic) [dynamic({"outer": {"x": 1, "y": "s"}})]
      | evaluate bag_unpack(d) | evaluate bag_unpack(outer, 'in_')`);
    expect(header(r)).toEqual(['in_x:dynamic', 'in_y:dynamic']);
    expect(r.rows).toEqual([[1, 's']]);
  });

  it('adds no columns when no bag has a key; later names read as null (the open result)', async () => {
    const r = await both(`datatable(N:long, d:dynamic) [1, dynamic({}), 2, dynamic(null)]
      | evaluate bag_unpack(d, 'P_') | extend Port = toint(P_Port) | project N, P_Ip, Port`);
    expect(header(r)).toEqual(['N:long', 'P_Ip:dynamic', 'Port:int']);
    expect(sorted(r)).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
  });

  it('pivots on the values found in the data, counting by default (pivot-plugin.md)', async () => {
    const r = await both(`datatable(State:string, EventType:string) [
        "ALABAMA", "Thunderstorm Wind", "ALABAMA", "Thunderstorm Wind", "ALASKA", "Thunderstorm Wind",
        "ALASKA", "High Wind", "ALABAMA", "Strong Wind"]
      | evaluate pivot(State)`);
    expect(header(r)).toEqual(['EventType:string', 'ALABAMA:long', 'ALASKA:long']);
    expect(sorted(r)).toEqual([
      ['High Wind', 0, 1],
      ['Strong Wind', 1, 0],
      ['Thunderstorm Wind', 2, 1],
    ]);
  });

  it('pivots with an aggregate and explicit by-columns', async () => {
    const r = await both(`datatable(State:string, EventType:string, Lat:long, Other:string) [
        "AL", "Wind", 3, "x", "AL", "Wind", 4, "y", "AK", "Wind", 5, "x", "AK", "Snow", 6, "x"]
      | evaluate pivot(State, sum(Lat), EventType)`);
    expect(header(r)).toEqual(['EventType:string', 'AK:long', 'AL:long']);
    expect(sorted(r)).toEqual([
      ['Snow', 6, 0],
      ['Wind', 5, 7],
    ]);
  });

  it('refuses the same queries with the same code on both engines', async () => {
    ch ??= new ChdbEngine(defenderSchema());
    store ??= await Store.open(':memory:');
    for (const [kql, code] of [
      [`datatable(Device:string, Level:string) ["d1", "High", "d2", ""] | evaluate pivot(Level)`, 'SF303'],
      [
        `datatable(Name:string, d:dynamic) ['James', dynamic({"Name": "John"})] | evaluate bag_unpack(d)`,
        'SF105',
      ],
    ] as const) {
      const duck = await runKql(store, kql, { now: NOW }).then(
        () => 'ok',
        (e: unknown) => (e instanceof KqlCompileError ? e.code : String(e)),
      );
      const out = await ch.run(kql, { now: NOW, source: 'q' });
      expect(duck).toBe(code);
      expect(
        out.kind === 'compile-error' ? out.diagnostics.find((d) => d.severity === 'error')?.code : out.kind,
      ).toBe(code);
    }
  });
});
