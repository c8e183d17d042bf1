// IsolatedEngine: queries run in a child process that is replaced when it hangs, grows or dies.
import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedEngine } from './isolated-engine.js';

const NOW = { now: new Date('2025-03-15T12:00:00Z'), source: '<test>' };

describe('IsolatedEngine', () => {
  const engine = new IsolatedEngine({ timeoutMs: 3_000, maxRssMb: 1_024 });
  afterAll(() => engine.close());

  it('runs queries and reports compile errors as outcomes', async () => {
    const ok = await engine.run('print x = 1', NOW);
    expect(ok.kind === 'ok' || ok.kind === 'compile-error' || ok.kind === 'error').toBe(true);
    const bad = await engine.run('print x = (', NOW);
    expect(bad.kind).not.toBe('ok');
  });

  it('kills a hung child, answers TIMEOUT, and serves the next query from a fresh one', async () => {
    const before = engine.restarts;
    expect(await engine.selfTest('hang')).toMatchObject({ kind: 'error', code: 'TIMEOUT' });
    expect(engine.restarts).toBe(before + 1);
    expect((await engine.run('print x = 1', NOW)).kind).not.toBe('error');
  });

  it('answers CRASH when the child dies', async () => {
    expect(await engine.selfTest('exit')).toMatchObject({ kind: 'error', code: 'CRASH' });
    expect((await engine.run('print x = 1', NOW)).kind).not.toBe('error');
  });

  it.runIf(process.platform === 'linux')('kills a child that outgrows the memory ceiling', async () => {
    // A generous time budget, so that only the memory ceiling can stop it, even on a busy machine.
    const greedy = new IsolatedEngine({ timeoutMs: 60_000, maxRssMb: 512 });
    try {
      expect(await greedy.selfTest('grow')).toMatchObject({ kind: 'error', code: 'MEMORY' });
    } finally {
      greedy.close();
    }
  });
});
