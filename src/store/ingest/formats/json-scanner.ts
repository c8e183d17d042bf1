const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NL = 0x0a;

function isWs(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09;
}

export interface ScannedRecord {
  bytes: Buffer;
  line: number;
}

/**
 * Finds records in a JSON document stream without parsing it (DuckDB parses them later, in bulk):
 * - a top-level array: each element is a record;
 * - a top-level object with a `records` array (Event Hubs message): each element is a record;
 * - any other top-level object: the object is a record.
 * Several top-level values may follow each other (one Event Hubs message per line). Only strings
 * and brackets are tracked; syntax inside a record is checked by the bulk pass. Memory is bounded
 * by the largest single record, not by the document.
 */
export class JsonRecordScanner {
  private stack: number[] = [];
  private inStr = false;
  private esc = false;
  private line = 1;
  private mode: 'none' | 'array' | 'object' | 'wrapper' = 'none';
  private recordsActive = false;
  private expectKey = false;
  private keyBytes: number[] | undefined;
  private pendingKey: string | undefined;
  /** Capture of the current record: pieces of input buffers. */
  private pieces: Buffer[] = [];
  private capturing: 'none' | 'container' | 'scalar' = 'none';
  private captureDepth = 0;
  private captureLine = 0;
  private captureFrom = -1;
  /** Whether an Event Hubs message (`{"records":[...]}`) was seen. */
  sawWrapper = false;

  constructor(
    private readonly onRecord: (r: ScannedRecord) => void,
    private readonly onError: (message: string, line: number, raw: Buffer) => void,
  ) {}

  private atRecordStart(): boolean {
    const d = this.stack.length;
    return (
      (this.mode === 'array' && d === 1) ||
      (this.mode === 'wrapper' && this.recordsActive && d === 2) ||
      (this.mode === 'none' && d === 0)
    );
  }

  private start(kind: 'container' | 'scalar', i: number): void {
    this.capturing = kind;
    this.captureDepth = this.stack.length;
    this.captureLine = this.line;
    this.captureFrom = i;
    this.pieces = [];
  }

  private finish(buf: Buffer, endExclusive: number): void {
    this.pieces.push(buf.subarray(this.captureFrom, endExclusive));
    const bytes = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    this.pieces = [];
    this.capturing = 'none';
    this.captureFrom = -1;
    this.onRecord({ bytes, line: this.captureLine });
  }

  feed(buf: Buffer): void {
    if (this.capturing !== 'none') this.captureFrom = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === NL) this.line++;
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (b === BACKSLASH) this.esc = true;
        else if (b === QUOTE) {
          this.inStr = false;
          if (this.keyBytes) {
            this.pendingKey = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = undefined;
            this.expectKey = false;
          }
          // A record that is a bare string ends with its closing quote.
          if (this.capturing === 'container' && this.stack.length === this.captureDepth)
            this.finish(buf, i + 1);
        } else if (this.keyBytes && this.keyBytes.length < 64) this.keyBytes.push(b);
        continue;
      }
      if (this.capturing === 'scalar' && (isWs(b) || b === COMMA || b === RBRACKET || b === RBRACE)) {
        this.finish(buf, i);
      }
      if (isWs(b)) continue;
      switch (b) {
        case QUOTE:
          if (this.capturing === 'none' && this.atRecordStart()) this.start('container', i);
          this.inStr = true;
          if (this.stack.length === 1 && this.expectKey && this.mode !== 'array') this.keyBytes = [];
          break;
        case LBRACE:
        case LBRACKET: {
          if (this.stack.length === 0) {
            if (b === LBRACKET) this.mode = 'array';
            else {
              this.mode = 'object';
              this.expectKey = true;
              this.start('container', i);
            }
          } else if (this.capturing === 'none' && this.atRecordStart()) {
            this.start('container', i);
          } else if (
            this.stack.length === 1 &&
            this.mode === 'object' &&
            this.pendingKey === 'records' &&
            b === LBRACKET
          ) {
            // An Event Hubs message: its elements are the records, the message itself is not.
            this.mode = 'wrapper';
            this.sawWrapper = true;
            this.recordsActive = true;
            this.pieces = [];
            this.capturing = 'none';
          }
          if (this.stack.length === 1) this.pendingKey = undefined;
          this.stack.push(b);
          if (b === LBRACE && this.stack.length === 1) this.expectKey = true;
          break;
        }
        case RBRACE:
        case RBRACKET:
          this.stack.pop();
          if (this.mode === 'wrapper' && this.recordsActive && this.stack.length === 1)
            this.recordsActive = false;
          if (this.capturing === 'container' && this.stack.length === this.captureDepth)
            this.finish(buf, i + 1);
          if (this.stack.length === 0) {
            this.mode = 'none';
            this.expectKey = false;
          }
          break;
        case COMMA:
          if (this.stack.length === 1 && this.mode !== 'array') this.expectKey = true;
          break;
        case COLON:
          break;
        default:
          if (this.capturing === 'none' && this.atRecordStart()) this.start('scalar', i);
          if (this.stack.length === 1) this.pendingKey = undefined;
      }
    }
    if (this.capturing !== 'none') this.pieces.push(buf.subarray(this.captureFrom));
  }

  end(): void {
    if (this.capturing === 'scalar') {
      const bytes = Buffer.concat(this.pieces);
      this.pieces = [];
      this.capturing = 'none';
      this.onRecord({ bytes, line: this.captureLine });
    } else if (this.capturing === 'container' || this.inStr) {
      this.onError(
        'unbalanced JSON: the document ends inside this record (truncated file?)',
        this.captureLine || this.line,
        Buffer.concat(this.pieces),
      );
    } else if (this.stack.length > 0) {
      this.onError(
        'unbalanced JSON: the document ends before its closing bracket (truncated file?)',
        this.line,
        Buffer.alloc(0),
      );
    }
  }
}
