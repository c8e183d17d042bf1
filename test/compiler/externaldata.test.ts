import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { compileForStore, runKql, KqlCompileError } from '../../src/engine/run.js';
import { compileKql } from '../../src/sql/compile.js';
import { defenderSchema } from '../../src/schema/index.js';
import { externalFileName } from '../../src/engine/externaldata.js';

/** Resolution rules of externaldata's local copies; row parsing is covered by test/kql/operators/externaldata.kqltest. */
let store: Store;
let dir: string;
const Q = (url: string) => `externaldata(Line:string)["${url}"] with (format="txt")`;

beforeAll(async () => {
  store = await Store.open(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'socfeed-ext-'));
  writeFileSync(join(dir, 'list.txt'), 'a\nb\n');
  writeFileSync(
    join(dir, 'externaldata.json'),
    JSON.stringify({ 'https://x.example/escape': '../outside.txt' }),
  );
});
afterAll(() => store.close());

async function failure(kql: string, externalDataDir?: string): Promise<KqlCompileError> {
  try {
    await runKql(store, kql, externalDataDir === undefined ? {} : { externalDataDir });
  } catch (e) {
    if (e instanceof KqlCompileError) return e;
    throw e;
  }
  throw new Error('the query ran');
}

describe('externaldata local copies', () => {
  it('maps a URL to its last path segment, never to a path', () => {
    expect(externalFileName('https://raw.example.com/a/b/list.txt?token=1')).toBe('list.txt');
    expect(externalFileName('https://www.dan.me.uk/Torlist/?full')).toBe('Torlist');
    expect(externalFileName('https://x.example/a/%2e%2e')).toBeUndefined();
    expect(externalFileName('https://x.example/a/..%2fetc%2fpasswd')).toBeUndefined();
    expect(externalFileName('https://x.example/')).toBeUndefined();
  });

  it('reads the local copy', async () => {
    const r = await runKql(store, Q('https://x.example/path/list.txt'), { externalDataDir: dir });
    expect(r.rows).toEqual([['a'], ['b']]);
  });

  it('without a directory: SF304 naming the URL, with a hint and no download', async () => {
    const e = await failure(Q('https://x.example/path/list.txt'));
    const d = e.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.code).toBe('SF304');
    expect(d.message).toContain('https://x.example/path/list.txt');
    expect(d.hint).toMatch(/--externaldata-dir/);
  });

  it('a manifest entry cannot point outside the directory', async () => {
    const e = await failure(Q('https://x.example/escape'), dir);
    expect(e.diagnostics[0]!.message).toMatch(/outside/);
  });

  it('binding needs no file: the result schema is the declared one', () => {
    const c = compileKql(`${Q('https://x.example/none.txt')} | extend n = strlen(Line)`, {
      schema: defenderSchema(),
    });
    expect(c.columns).toEqual([
      { name: 'Line', type: 'string' },
      { name: 'n', type: 'long' },
    ]);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['SF304']);
    expect(
      compileForStore(store, Q('https://x.example/path/list.txt'), { externalDataDir: dir }).sql,
    ).toBeDefined();
  });
});
