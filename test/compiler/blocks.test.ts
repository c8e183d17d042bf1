import { describe, expect, it } from 'vitest';
import { splitQueryBlocks } from '../../src/kql/blocks.js';

describe('splitQueryBlocks (the portal runs one blank-line-separated block at a time)', () => {
  it('splits on whitespace-only lines, drops comment-only blocks, keeps line ranges', () => {
    const text = [
      '// header comment',
      '// more',
      '',
      'DeviceEvents',
      '| take 1',
      '   ',
      '',
      '// about the next',
      'DeviceProcessEvents\r',
      '| count',
      '',
    ].join('\n');
    expect(splitQueryBlocks(text)).toEqual([
      { index: 1, text: 'DeviceEvents\n| take 1', firstLine: 4, lastLine: 5 },
      { index: 2, text: '// about the next\nDeviceProcessEvents\n| count', firstLine: 8, lastLine: 10 },
    ]);
  });

  it('a text without blank lines is one block; an empty text has none', () => {
    expect(splitQueryBlocks('let x = 1;\nprint x').map((b) => b.text)).toEqual(['let x = 1;\nprint x']);
    expect(splitQueryBlocks('\n  \n')).toEqual([]);
  });
});
