import { StringDecoder } from 'node:string_decoder';

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (records may span lines inside quotes). */
  line: number;
  /** The record's text as it was in the file (for rejects). */
  raw: string;
  /** Set when the record is malformed (e.g. a quote that never closes). */
  error?: string;
}

/** The delimiter of a header line: whichever of , ; TAB occurs most often outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let inQ = false;
  for (const ch of headerLine) {
    if (ch === '"') inQ = !inQ;
    else if (!inQ && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * RFC 4180 CSV over a byte stream: quoted fields may hold delimiters, "" and line breaks; CRLF or
 * LF ends a record; blank lines are skipped. Streaming: only the current record is held.
 */
export class CsvParser {
  private decoder = new StringDecoder('utf8');
  private text = '';
  private line = 1;
  private first = true;

  constructor(
    private delimiter: string | undefined,
    private readonly onRecord: (r: CsvRecord) => void,
  ) {}

  feed(buf: Buffer): void {
    let chunk = this.decoder.write(buf);
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.text += chunk;
    this.drain(false);
  }

  end(): void {
    this.text += this.decoder.end();
    this.drain(true);
  }

  /** Parses every complete record in the buffered text; keeps the incomplete tail. */
  private drain(atEnd: boolean): void {
    const t = this.text;
    let pos = 0;
    while (pos < t.length) {
      if (this.delimiter === undefined) {
        const nl = t.indexOf('\n', pos);
        if (nl === -1 && !atEnd) break;
        this.delimiter = sniffDelimiter(t.slice(pos, nl === -1 ? t.length : nl));
      }
      const r = this.parseOne(t, pos, atEnd);
      if (!r) break;
      const raw = t.slice(pos, r.end).replace(/\r?\n$/, '');
      const startLine = this.line;
      this.line += r.newlines;
      pos = r.end;
      if (r.fields.length === 1 && r.fields[0]!.trim() === '' && !raw.includes('"')) continue;
      this.onRecord({ fields: r.fields, line: startLine, raw, ...(r.error ? { error: r.error } : {}) });
    }
    this.text = t.slice(pos);
  }

  private parseOne(
    t: string,
    start: number,
    atEnd: boolean,
  ): { fields: string[]; end: number; newlines: number; error?: string } | undefined {
    const d = this.delimiter!;
    const fields: string[] = [];
    let i = start;
    let newlines = 0;
    let field = '';
    while (true) {
      if (i >= t.length) {
        if (!atEnd) return undefined;
        fields.push(field);
        return { fields, end: i, newlines };
      }
      const ch = t[i]!;
      if (ch === '"' && field.trim() === '') {
        // Quoted field: runs to the closing quote; "" is a literal quote.
        field = '';
        i++;
        while (true) {
          if (i >= t.length) {
            if (!atEnd) return undefined;
            fields.push(field);
            return { fields, end: i, newlines, error: 'unterminated quoted field' };
          }
          const c = t[i]!;
          if (c === '"') {
            if (t[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            if (i + 1 >= t.length && !atEnd) return undefined;
            i++;
            break;
          }
          if (c === '\n') newlines++;
          field += c;
          i++;
        }
        // Text between the closing quote and the delimiter is kept (lenient, like most readers).
        while (i < t.length && t[i] !== d && t[i] !== '\n' && t[i] !== '\r') field += t[i++];
        continue;
      }
      if (ch === d) {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      if (ch === '\r' && t[i + 1] === '\n') {
        i++;
        continue;
      }
      if (ch === '\r' && i + 1 >= t.length && !atEnd) return undefined;
      if (ch === '\n') {
        fields.push(field);
        return { fields, end: i + 1, newlines: newlines + 1 };
      }
      field += ch;
      i++;
    }
  }
}
