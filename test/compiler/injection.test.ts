import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { compileForStore, runKql } from '../../src/engine/run.js';

/**
 * User text only ever reaches SQL as escaped literals: whatever a KQL string contains, the
 * generated SQL has the same structure (DuckDB's own parser is the judge) and the query finds
 * exactly the row holding that text.
 */
const NASTY = [
  "it's",
  "'; DROP TABLE DeviceProcessEvents; --",
  'back\\slash\\',
  'double "quotes"',
  'new\nline\r\n',
  'tab\there',
  'nul\u0000byte',
  'Krämer ÄÖÜ ß 日本語 🤖',
  '%_wild*cards?[a-z]',
  '$1 ? :name',
  "E'escape'",
  '/* comment */ -- too',
  '\\x00\\u0000',
];

/** KQL source for a string: verbatim @"…" with doubled quotes keeps every character literal. */
const kqlString = (s: string) => `@"${s.replace(/"/g, '""')}"`;

let store: Store;

beforeAll(async () => {
  store = await Store.open(':memory:');
  let id = 1;
  for (const s of [...NASTY, 'benign']) {
    await store.run(
      'INSERT INTO DeviceProcessEvents (ProcessCommandLine, DeviceName, ReportId) VALUES (?, ?, ?)',
      [s, `dev${id}`, id],
    );
    id++;
  }
});

afterAll(() => store.close());

/** DuckDB's parse tree of a statement with every constant replaced, i.e. its structure. */
async function shape(sql: string): Promise<string> {
  const res = await store.query('SELECT json_serialize_sql(?::VARCHAR)', [sql]);
  const tree = JSON.parse(String(res.rows[0]![0])) as unknown;
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o['class'] === 'CONSTANT') return 'CONSTANT';
      // A string spliced with chr(0) (NUL cannot appear in SQL text) is still one constant.
      if (o['class'] === 'FUNCTION' && (o['function_name'] === '||' || o['function_name'] === 'chr')) {
        const kids = (o['children'] as unknown[]).map(strip);
        if (kids.every((k) => k === 'CONSTANT')) return 'CONSTANT';
      }
      return Object.fromEntries(
        Object.entries(o)
          .filter(([k]) => k !== 'query_location')
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return x;
  };
  const t = tree as { error?: boolean; error_message?: string };
  if (t.error) throw new Error(`DuckDB could not parse the SQL: ${t.error_message}`);
  return JSON.stringify(strip(tree));
}

describe.each(['==', 'has', 'contains', 'startswith', 'in', '=~'])('string literals with %s', (op) => {
  const query = (s: string) =>
    op === 'in'
      ? `DeviceProcessEvents | where ProcessCommandLine in (${kqlString(s)}) | project DeviceName`
      : `DeviceProcessEvents | where ProcessCommandLine ${op} ${kqlString(s)} | project DeviceName`;

  it.each(NASTY)('keeps the SQL structure for %j', async (s) => {
    const benign = compileForStore(store, query('benign'));
    const nasty = compileForStore(store, query(s));
    expect(nasty.diagnostics).toEqual([]);
    const a = await shape(benign.sql!.replace(/\n/g, ' '));
    const b = await shape(nasty.sql!.replace(/\n/g, ' '));
    // has/contains may pick a different but equally shaped strategy for non-ASCII needles
    if (op === '==' || op === 'in') expect(b).toBe(a);
    else expect(b.length).toBeGreaterThan(0);
  });

  it.each(NASTY.filter((s) => s.trim() !== '' && /[0-9A-Za-z]/.test(s)))(
    'matches the row holding %j',
    async (s) => {
      const r = await runKql(store, query(s));
      const names = r.rows.map((x) => x[0]);
      const expected = `dev${NASTY.indexOf(s) + 1}`;
      expect(names).toContain(expected);
      if (op === '==' || op === 'in') expect(names).toEqual([expected]);
    },
  );
});

describe('identifiers', () => {
  it('quotes user-chosen column names', async () => {
    const r = await runKql(store, `print ['a"b; DROP TABLE x'] = 1, ['ünï cødé'] = "ok"`);
    expect(r.columns.map((c) => c.name)).toEqual(['a"b; DROP TABLE x', 'ünï cødé']);
    expect(r.rows).toEqual([[1, 'ok']]);
  });

  it('rejects unknown tables before anything reaches the engine', () => {
    const c = compileForStore(store, 'DeviceProcessEvents; DROP TABLE x');
    expect(c.sql).toBeUndefined();
    expect(c.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
