import { describe, expect, it } from 'vitest';
import { formatIsoTicks, parseIsoTicks, Period, TICKS_PER_DAY } from '../../src/store/demo/ticks.js';

describe('100 ns ticks', () => {
  it('parses ISO instants with up to 7 fractional digits and formats them back with 7', () => {
    const cases: [string, string][] = [
      ['2026-06-01T12:00:00Z', '2026-06-01T12:00:00.0000000Z'],
      ['2026-06-01T12:00:00.1234567Z', '2026-06-01T12:00:00.1234567Z'],
      ['2026-06-01T12:00:00.5Z', '2026-06-01T12:00:00.5000000Z'],
      ['2026-06-01 12:00', '2026-06-01T12:00:00.0000000Z'],
      ['2026-06-01', '2026-06-01T00:00:00.0000000Z'],
      ['2026-06-01T14:00:00+02:00', '2026-06-01T12:00:00.0000000Z'],
      ['2026-06-01T11:30:00.0000001-0030', '2026-06-01T12:00:00.0000001Z'],
      ['1969-12-31T23:59:59.9999999Z', '1969-12-31T23:59:59.9999999Z'],
    ];
    for (const [input, out] of cases) expect(formatIsoTicks(parseIsoTicks(input)!), input).toBe(out);
  });

  it('rejects what is not an instant', () => {
    for (const bad of [
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2026-13-01',
      '2026-06-01T25:00:00Z',
      '2026-06-01T12:00:00.12345678Z',
      '',
    ]) {
      expect(parseIsoTicks(bad), bad).toBeUndefined();
    }
  });

  it('describes a period ending at now', () => {
    const now = parseIsoTicks('2026-06-03T06:00:00Z')!;
    const p = new Period(now, 2);
    expect(formatIsoTicks(p.at(0))).toBe('2026-06-01T06:00:00.0000000Z');
    expect(formatIsoTicks(p.at(p.span))).toBe('2026-06-03T06:00:00.0000000Z');
    expect(p.midnights().map((m) => formatIsoTicks(p.at(m)))).toEqual([
      '2026-06-01T00:00:00.0000000Z',
      '2026-06-02T00:00:00.0000000Z',
      '2026-06-03T00:00:00.0000000Z',
    ]);
    expect(p.weekday(TICKS_PER_DAY)).toBe(2); // 2026-06-02 is a Tuesday
  });
});
