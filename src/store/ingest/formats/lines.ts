const NL = 0x0a;
const CR = 0x0d;

function isBlank(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== CR && b !== NL) return false;
  }
  return true;
}

/**
 * Splits a byte stream into lines without decoding it (the bytes go to the store as they are).
 * `onLine` gets each non-blank line (without its CR/LF) and its 1-based line number; `between` runs
 * after each input buffer, where the caller may await (flush a chunk into the store). A UTF-8 BOM
 * at the start is dropped. A line longer than one buffer is assembled from pieces once.
 */
export async function forEachLine(
  chunks: AsyncIterable<Buffer>,
  onLine: (line: Buffer, lineNo: number) => void,
  between: () => Promise<void>,
): Promise<void> {
  let pieces: Buffer[] = [];
  let lineNo = 0;
  let first = true;
  const emit = (line: Buffer) => {
    lineNo++;
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end--;
    const l = end === line.length ? line : line.subarray(0, end);
    if (!isBlank(l)) onLine(l, lineNo);
  };
  for await (let buf of chunks) {
    if (first) {
      first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let start = 0;
    let i: number;
    while ((i = buf.indexOf(NL, start)) !== -1) {
      if (pieces.length > 0) {
        pieces.push(buf.subarray(start, i));
        emit(Buffer.concat(pieces));
        pieces = [];
      } else {
        emit(buf.subarray(start, i));
      }
      start = i + 1;
    }
    if (start < buf.length) pieces.push(buf.subarray(start));
    await between();
  }
  if (pieces.length > 0) emit(Buffer.concat(pieces));
}
