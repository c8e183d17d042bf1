import type { InputFormat } from '../types.js';
import type { ByteSource } from '../inputs/open-input.js';
import { JsonRecordScanner } from './json-scanner.js';

/** How a member's records are cut out of its bytes. */
export type RecordFraming = 'lines' | 'document';

export interface Detected {
  format: InputFormat;
  framing: RecordFraming;
  /** Human-readable, e.g. "defender (streaming API, Event Hubs messages)". */
  description: string;
}

export class FormatError extends Error {}

const PEEK_MIN = 1 << 20;
const PEEK_MAX = 16 << 20;

/** The first bytes of a source: at least 1 MB, or through the first line break (up to 16 MB). */
export async function peek(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const b of source.open()) {
    parts.push(b);
    n += b.length;
    if (n >= PEEK_MAX || (n >= PEEK_MIN && b.includes(0x0a))) break;
  }
  return Buffer.concat(parts);
}

/** The first record of a JSON document (array element, Event Hubs record or object), parsed. */
function scanFirstRecord(head: Buffer): { record: unknown; wrapper: boolean } {
  let found: Buffer | undefined;
  const scanner = new JsonRecordScanner(
    (r) => {
      found ??= r.bytes;
    },
    () => {},
  );
  scanner.feed(head);
  let record: unknown;
  try {
    record = found ? JSON.parse(found.toString('utf8')) : undefined;
  } catch {
    record = undefined;
  }
  return { record, wrapper: scanner.sawWrapper };
}

function firstJsonRecord(head: Buffer): unknown {
  return scanFirstRecord(head).record;
}

/** The first record in the first bytes of a JSON or JSON-lines source, parsed; undefined if none. */
export function firstRecordOf(head: Buffer): unknown {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const first = parseFirstLine(trimmed);
    if (first.ok) return first.value;
  }
  return firstJsonRecord(head);
}

type RecordKind = 'eventhub' | 'envelope' | 'windows-event' | 'plain';

function classify(rec: unknown): RecordKind {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return 'plain';
  const o = rec as Record<string, unknown>;
  if (Array.isArray(o['records'])) return 'eventhub';
  if (typeof o['category'] === 'string' && o['category'].startsWith('AdvancedHunting-') && 'properties' in o)
    return 'envelope';
  if (
    'EventID' in o ||
    'EventId' in o ||
    'winlog' in o ||
    (typeof o['Event'] === 'object' && o['Event'] !== null)
  ) {
    return 'windows-event';
  }
  return 'plain';
}

function parseFirstLine(text: string): { ok: true; value: unknown } | { ok: false } {
  const nl = text.indexOf('\n');
  const line = (nl === -1 ? text : text.slice(0, nl)).trim();
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

/**
 * Decides how to read a member: the --format the user gave (if any) fixes the format, the bytes
 * decide the framing (JSON lines vs one JSON document) and, under auto, the format too.
 */
export function detectFormat(name: string, head: Buffer, forced: InputFormat | undefined): Detected {
  const lower = name.toLowerCase();
  if (
    forced === 'parquet' ||
    (!forced && (lower.endsWith('.parquet') || head.subarray(0, 4).toString('latin1') === 'PAR1'))
  ) {
    return { format: 'parquet', framing: 'document', description: 'parquet' };
  }
  if (lower.endsWith('.xlsx') || head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') {
    throw new FormatError('Excel workbooks (XLSX) are not supported: export or save the sheet as CSV');
  }
  if (forced === 'csv' || (!forced && (lower.endsWith('.csv') || lower.endsWith('.tsv')))) {
    return { format: 'csv', framing: 'lines', description: 'csv' };
  }
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  const firstChar = trimmed[0];
  if (forced === 'jsonl')
    return { format: 'jsonl', framing: 'lines', description: 'jsonl (records, one per line)' };
  if (forced === 'json')
    return { format: 'json', framing: 'document', description: 'json (records in a document)' };

  let framing: RecordFraming;
  let kind: RecordKind;
  if (firstChar === '[') {
    framing = 'document';
    kind = classify(firstJsonRecord(head));
  } else if (firstChar === '{') {
    const first = parseFirstLine(trimmed);
    if (first.ok && classify(first.value) !== 'eventhub') {
      framing = 'lines';
      kind = classify(first.value);
    } else {
      framing = 'document';
      const scanned = scanFirstRecord(head);
      kind = first.ok || scanned.wrapper ? 'eventhub' : classify(scanned.record);
    }
  } else if (firstChar === undefined) {
    framing = 'lines';
    kind = 'plain';
  } else {
    const nl = trimmed.indexOf('\n');
    if (!forced && /[,;\t]/.test(nl === -1 ? trimmed : trimmed.slice(0, nl))) {
      return { format: 'csv', framing: 'lines', description: 'csv' };
    }
    if (!forced) throw new FormatError('cannot tell the format: not JSON, JSON lines, CSV or Parquet');
    framing = 'lines';
    kind = 'plain';
  }

  const format: InputFormat =
    forced ??
    (kind === 'eventhub' || kind === 'envelope'
      ? 'defender'
      : kind === 'windows-event'
        ? 'sysmon'
        : framing === 'lines'
          ? 'jsonl'
          : 'json');
  const description =
    format === 'defender'
      ? kind === 'eventhub'
        ? 'defender (streaming API, Event Hubs messages)'
        : framing === 'lines'
          ? 'defender (streaming API, storage JSON lines)'
          : 'defender (streaming API records in a JSON document)'
      : format === 'sysmon'
        ? `sysmon (Windows events, ${framing === 'lines' ? 'JSON lines' : 'JSON document'})`
        : framing === 'lines'
          ? 'jsonl (records, one per line)'
          : 'json (records in a document)';
  return { format, framing, description };
}
