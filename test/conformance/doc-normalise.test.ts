// The documented-cell normaliser: presentation is removed, values are never made equal. Each
// "must match" case comes from a real spelling in doc-examples.jsonl; each "must not match" case
// is a wrong answer that a too-loose normaliser would let through.
import { describe, expect, it } from 'vitest';
import type { KqlCell, KqlResult } from '../../src/engine/types.js';
import type { KqlScalarType } from '../../src/schema/index.js';
import { compareDocExample, type DocExample } from './doc-normalise.js';

function result(columns: [string, KqlScalarType][], rows: KqlCell[][]): KqlResult {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows, warnings: [] };
}

function example(
  columns: string[],
  rows: string[][],
  ordered = true,
  alternatives?: string[][][],
): DocExample {
  const ex: DocExample = {
    id: 't',
    doc_path: 't.md',
    query: 'print 1',
    expected: { columns, rows },
    ordered,
  };
  if (alternatives) ex.expected_alternatives = alternatives.map((r) => ({ columns, rows: r }));
  return ex;
}

/** Does the documented cell `doc` accept our `cell` in a column of `type`? */
function accepts(doc: string, type: KqlScalarType, cell: KqlCell): boolean {
  return compareDocExample(example(['c'], [[doc]]), result([['c', type]], [[cell]])) === undefined;
}

describe('documented cells: must match', () => {
  it.each<[string, KqlScalarType, KqlCell]>([
    ['1,750', 'long', 1750],
    ['1,234,567', 'long', 1234567],
    ['2', 'real', 2],
    ['5', 'real', 5.0],
    ['1.6666666666666667', 'real', 5 / 3],
    ['NaN', 'real', 'NaN'],
    ['true', 'bool', true],
    ['True', 'bool', true],
    ['False', 'bool', false],
    ['true<br>', 'bool', true],
    ['2016-02-17 08:40:00.0000000', 'datetime', '2016-02-17T08:40:00Z'],
    ['2017-05-14T12:00:00Z', 'datetime', '2017-05-14T12:00:00Z'],
    ['2016-12-31 23:59:59.9999999', 'datetime', '2016-12-31T23:59:59.9999999Z'],
    ['1.12:30:55.1230000', 'timespan', '1.12:30:55.123'],
    ['14:00:00:00', 'timespan', '14.00:00:00'],
    ['-12:00:00', 'timespan', '-12:00:00'],
    ['`Wow!`', 'string', 'Wow!'],
    ['`["01:00:00","02:00:00"]`:', 'dynamic', ['01:00:00', '02:00:00']],
    ['PipelineScheduler<br>', 'string', 'PipelineScheduler'],
    ['public class P { void M() { } }', 'string', '\n  public class P {\n    void M() { }\n  }'],
    ['"kusto"', 'string', 'kusto'],
    ['""', 'string', ''],
    ['[<br>  "ls",<br>  "mkdir"<br>]', 'dynamic', ['ls', 'mkdir']],
    ['{ "prop01": "val_a", "prop02": "val_b" }', 'dynamic', { prop02: 'val_b', prop01: 'val_a' }],
    ['{<br>  "key3": 42.0<br>}', 'dynamic', { key3: 42 }],
    ['value4', 'dynamic', 'value4'],
    ["['a',8,'b']", 'dynamic', ['a', 8, 'b']],
    ['[yes, no, yes]', 'dynamic', ['yes', 'no', 'yes']],
    ["{'a': 1,'b': '2','c': null}", 'dynamic', { a: 1, b: '2', c: null }],
    ["{'it''s': 'x'}".replace("''", "\\'"), 'dynamic', { "it's": 'x' }],
    ['', 'long', null],
    ['', 'string', ''],
    ['', 'dynamic', null],
    ['null', 'int', null],
    ['null', 'dynamic', null],
    ['NULL'.toLowerCase(), 'datetime', null],
    ['4FE5C8A1-0000-4000-8000-000000000001', 'guid', '4fe5c8a1-0000-4000-8000-000000000001'],
  ])('%j as %s accepts %j', (doc, type, cell) => {
    expect(accepts(doc, type, cell)).toBe(true);
  });
});

describe('documented cells: must NOT match', () => {
  it.each<[string, KqlScalarType, KqlCell]>([
    ['1,75', 'long', 175],
    ['1,750', 'long', 175],
    ['12,3456', 'long', 123456],
    ['12', 'long', 13],
    ['1,750', 'string', '1750'],
    ['2.988', 'real', 2.98765],
    ['2.2', 'real', 2.1],
    ['2', 'real', 2.0000001],
    ['2', 'long', '2'],
    ['NaN', 'real', 0],
    ['true', 'bool', false],
    ['yes', 'bool', true],
    ['1', 'bool', true],
    ['TRUE', 'bool', true],
    ['2017-05-14T12:00:00Z', 'datetime', '2017-05-14T12:00:00.001Z'],
    ['2016-02-17 08:40:00.0000000', 'datetime', '2016-02-17T08:40:01Z'],
    ['2016-02-17 08:40:00', 'datetime', '2016-02-18T08:40:00Z'],
    ['1.00:00:00', 'timespan', '01:00:00'],
    ['00:00:30', 'timespan', '00:00:03'],
    ['Wow!', 'string', 'Wow'],
    ['abc', 'string', 'ABC'],
    ['a  b', 'string', 'a b'],
    ['a b', 'string', 'a\tb'],
    ['public class P { }', 'string', 'public class P {\n  x }'],
    ['"kusto"', 'string', 'Kusto'],
    ['', 'string', 'x'],
    ['', 'long', 0],
    ['', 'bool', false],
    ['', 'string', null],
    ['null', 'long', 0],
    ['null', 'string', ''],
    ['[1,2]', 'dynamic', [2, 1]],
    ['[1,2]', 'dynamic', [1, 2, 3]],
    ['{"a":1}', 'dynamic', { a: '1' }],
    ['{"a":1}', 'dynamic', { a: 1, b: 2 }],
    ['["a"]', 'dynamic', '["a"]'],
    [
      '["2007-01-01T00:00:00.0000000Z",.....,"2007-12-31T00:00:00.0000000Z"]',
      'dynamic',
      ['2007-01-01T00:00:00.0000000Z', '2007-12-31T00:00:00.0000000Z'],
    ],
    ['123', 'dynamic', '123'],
    ["['a','b']", 'dynamic', ['a', 'c']],
    ['[yes, no]', 'dynamic', ['yes', 'yes']],
    ['[true, false]', 'dynamic', ['true', 'false']],
    ["['a','b']", 'dynamic', "['a','b']"],
    ["{'a': '1'}", 'dynamic', { a: 1 }],
    ['4fe5c8a1-0000-4000-8000-000000000001', 'guid', '4fe5c8a1-0000-4000-8000-000000000002'],
  ])('%j as %s rejects %j', (doc, type, cell) => {
    expect(accepts(doc, type, cell)).toBe(false);
  });
});

describe('documented tables', () => {
  it('compares column names after stripping backticks, and requires them', () => {
    const r = result([['Packed', 'string']], [['x']]);
    expect(compareDocExample(example(['`Packed`'], [['x']]), r)).toBeUndefined();
    expect(compareDocExample(example(['packed'], [['x']]), r)).toMatch(/columns differ/);
    expect(compareDocExample(example(['Packed', 'Other'], [['x', 'y']]), r)).toMatch(/columns differ/);
  });

  it('compares unordered examples as multisets, ordered ones by position', () => {
    const r = result([['x', 'long']], [[2], [1], [2]]);
    expect(compareDocExample(example(['x'], [['1'], ['2'], ['2']], false), r)).toBeUndefined();
    expect(compareDocExample(example(['x'], [['1'], ['2'], ['2']], true), r)).toMatch(
      /row 1, column x: expected 1, got 2/,
    );
    expect(compareDocExample(example(['x'], [['1'], ['2']], false), r)).toMatch(/unexpected row/);
    expect(compareDocExample(example(['x'], [['1'], ['1'], ['2']], false), r)).toMatch(
      /expected row not found/,
    );
  });

  it('accepts a documented alternative, and reports against the primary output', () => {
    const r = result([['result', 'bool']], [[false]]);
    expect(compareDocExample(example(['result'], [['true']], true, [[['false']]]), r)).toBeUndefined();
    expect(compareDocExample(example(['result'], [['true']], true, [[['true']]]), r)).toMatch(
      /expected true, got false/,
    );
  });

  it('compares an array as a multiset only where an override says its order is undefined', () => {
    const r = result([['s', 'dynamic']], [[[7, 5, 1]]]);
    expect(compareDocExample(example(['s'], [['[1,5,7]']]), r)).toMatch(/expected \[1,5,7\], got \[7,5,1\]/);
    expect(compareDocExample(example(['s'], [['[1,5,7]']]), r, { unorderedArrays: ['s'] })).toBeUndefined();
    expect(compareDocExample(example(['s'], [['[1,5,5]']]), r, { unorderedArrays: ['s'] })).toMatch(
      /expected/,
    );
  });

  it('reports a cell of the wrong JSON shape for its column type', () => {
    const r = result([['n', 'long']], [['twelve']]);
    expect(compareDocExample(example(['n'], [['12']]), r)).toMatch(/not a long cell/);
  });
});
