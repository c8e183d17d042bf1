/**
 * Scratch files of queries, split the way the Defender portal (like Log Analytics and the ADX web
 * UI) runs them: the editor runs the block of text around the cursor, and a blank line ends a
 * block. So:
 *   1. a line holding only whitespace is a blank line; blank lines split the text into blocks;
 *   2. a block whose lines are all `//` comments is not a query and is dropped;
 *   3. every remaining block is one query, with its 1-based line range in the text.
 * A blank line inside a multi-line string literal splits too, as it does in the portal.
 */
export interface QueryTextBlock {
  /** 1-based position among the kept blocks. */
  index: number;
  text: string;
  /** 1-based line range of the block in the whole text. */
  firstLine: number;
  lastLine: number;
}

const BLANK = /^\s*$/;
const COMMENT_ONLY = /^\s*\/\/.*$/;

export function splitQueryBlocks(text: string): QueryTextBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: QueryTextBlock[] = [];
  let start = -1;
  const close = (end: number): void => {
    if (start < 0) return;
    const body = lines.slice(start, end);
    if (!body.every((l) => COMMENT_ONLY.test(l))) {
      blocks.push({ index: blocks.length + 1, text: body.join('\n'), firstLine: start + 1, lastLine: end });
    }
    start = -1;
  };
  lines.forEach((line, i) => {
    if (BLANK.test(line)) close(i);
    else if (start < 0) start = i;
  });
  close(lines.length);
  return blocks;
}
