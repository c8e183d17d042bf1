/**
 * KQL's parse_xml(): XML text → the JSON text of a dynamic value, or null when the XML is not
 * well-formed. Our own small parser (no dependency), iterative so hostile input cannot overflow the
 * stack, with the limits below.
 *
 * Conversion, as the table in the Kusto docs (parse-xml-function) gives it:
 *   <e/>                              {"e": null}
 *   <e>text</e>                       {"e": "text"}
 *   <e name="value"/>                 {"e": {"@name": "value"}}
 *   <e name="value">text</e>          {"e": {"@name": "value", "#text": "text"}}
 *   <e> <a>text</a> <b>text</b> </e>  {"e": {"a": "text", "b": "text"}}
 *   <e> <a>text</a> <a>text</a> </e>  {"e": {"a": ["text", "text"]}}
 *   <e> text <a>text</a> </e>         {"e": {"#text": "text", "a": "text"}}
 * Values stay strings, as in that table. (The same page's `duration` example shows numbers such as
 * 118.0 in its JSON, which contradicts its own table; we follow the table.)
 *
 * Decisions the docs leave open:
 * - character data is trimmed of XML whitespace at the ends of each run of text between child
 *   elements (the table's ` text ` → "text"); whitespace-only runs are dropped; CDATA is kept as
 *   written and joins the text around it; several runs (text, element, text) make "#text" an array;
 * - `<e></e>` is null like `<e/>`;
 * - keys appear as attributes first, then children and "#text" in order of first appearance;
 * - names keep their prefix (`x:e`, `@xmlns:x`); no namespace processing;
 * - the XML declaration, processing instructions, comments and DOCTYPE are skipped; entities are the
 *   five predefined ones and character references (a DOCTYPE cannot declare more: unknown → null);
 * - malformed input (mismatched or unclosed tags, text outside the root element, a bad reference,
 *   a duplicate attribute, `<` in an attribute value…) → null.
 */

/** Longest input, in UTF-8 bytes (Kusto's documented limit): longer → null. */
export const PARSE_XML_MAX_BYTES = 1_048_576;
/** Deepest element nesting accepted (ours, not Kusto's): deeper → null. */
export const PARSE_XML_MAX_DEPTH = 512;

/** A piece of character data: raw text (references not yet decoded) or CDATA content. */
interface Piece {
  raw: boolean;
  text: string;
}

/**
 * An element being read. Its content is kept as JSON text already (children are closed before
 * their parent), so nothing is recursive: not the parse, not the output.
 */
interface Frame {
  name: string;
  /** `"@name":"value"` members, comma-separated. */
  attrs: string;
  attrNames: string[];
  /** Content keys (child names, "#text") in order of first appearance… */
  keys: string[];
  /** …and the JSON text of each one's values. */
  values: string[][];
  /** Key → position, once there are too many keys to search. */
  index: Map<string, number> | undefined;
  /** The run of character data since the last child element. */
  pieces: Piece[];
}

class Malformed extends Error {}
/** Thrown for every malformed input: one instance, so no stack trace is captured per row. */
const MALFORMED = new Malformed('malformed XML');

function fail(): never {
  throw MALFORMED;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isNameStart = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Linear search below this many keys or attributes, a Map or Set above. */
const SMALL = 8;
/** Characters JSON.stringify would escape (lone surrogates included): control characters are meant. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal: JSON.stringify, with a shortcut for the common case. */
const quote = (t: string) => (NEEDS_ESCAPE.test(t) ? JSON.stringify(t) : '"' + t + '"');

/** Replaces entity and character references; anything else after `&` is malformed. */
function decode(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) fail();
    const ref = raw.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x';
      const digits = ref.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) fail();
      const cp = parseInt(digits, hex ? 16 : 10);
      const allowed =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xd ||
        (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) ||
        (cp >= 0x10000 && cp <= 0x10ffff);
      if (!allowed) fail();
      ch = String.fromCodePoint(cp);
    } else {
      ch = Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
      if (ch === undefined) fail();
    }
    out += raw.slice(from, amp) + ch;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function trimStart(t: string): string {
  let a = 0;
  while (a < t.length && isSpace(t.charCodeAt(a))) a++;
  return a === 0 ? t : t.slice(a);
}

function trimEnd(t: string): string {
  let b = t.length;
  while (b > 0 && isSpace(t.charCodeAt(b - 1))) b--;
  return b === t.length ? t : t.slice(0, b);
}

/** The text of one run of character data, or undefined when there is none (whitespace only). */
function runText(pieces: Piece[]): string | undefined {
  if (pieces.length === 0) return undefined;
  const last = pieces.length - 1;
  let out = '';
  let cdata = false;
  for (let k = 0; k <= last; k++) {
    const p = pieces[k]!;
    if (!p.raw) {
      cdata = true;
      out += p.text;
      continue;
    }
    let t = p.text;
    if (k === 0) t = trimStart(t);
    if (k === last) t = trimEnd(t);
    out += decode(t);
  }
  return out === '' && !cdata ? undefined : out;
}

function push(frame: Frame, key: string, json: string): void {
  const { keys, values } = frame;
  let at = -1;
  if (frame.index) at = frame.index.get(key) ?? -1;
  else for (let k = 0; k < keys.length; k++) if (keys[k] === key) at = k;
  if (at >= 0) {
    values[at]!.push(json);
    return;
  }
  keys.push(key);
  values.push([json]);
  if (frame.index) frame.index.set(key, keys.length - 1);
  else if (keys.length > SMALL) frame.index = new Map(keys.map((k, j) => [k, j]));
}

function flushText(frame: Frame): void {
  if (frame.pieces.length === 0) return;
  const text = runText(frame.pieces);
  frame.pieces = [];
  if (text !== undefined) push(frame, '#text', quote(text));
}

/** The JSON text of a closed element (its text is flushed already). */
function elementJson(frame: Frame): string {
  const { attrs, keys, values } = frame;
  if (attrs === '') {
    if (keys.length === 0) return 'null';
    if (keys.length === 1 && keys[0] === '#text' && values[0]!.length === 1) return values[0]![0]!;
  }
  let out = attrs;
  for (let k = 0; k < keys.length; k++) {
    const v = values[k]!;
    out +=
      (out === '' ? '' : ',') + quote(keys[k]!) + ':' + (v.length === 1 ? v[0] : '[' + v.join(',') + ']');
  }
  return '{' + out + '}';
}

/** Attribute values: references decoded, literal tabs and line breaks become spaces. */
const attrValue = (raw: string) => decode(/[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw);

/** The end of the name starting at `i`; throws when there is no name there. */
function nameEnd(s: string, i: number): number {
  if (i >= s.length || !isNameStart(s.charCodeAt(i))) fail();
  i++;
  while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
  return i;
}

function spaceEnd(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Just past the next `end` at or after `i`; throws when there is none. */
function pastNext(s: string, i: number, end: string): number {
  const at = s.indexOf(end, i);
  if (at < 0) fail();
  return at + end.length;
}

/** Just past `<!DOCTYPE …>` (from after the keyword), with an internal subset and quoted strings. */
function doctypeEnd(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      i = pastNext(s, i + 1, c);
    } else if (c === '<' && s.startsWith('<!--', i)) {
      i = pastNext(s, i + 4, '-->');
    } else {
      i++;
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth <= 0) return i;
    }
  }
  return fail();
}

/**
 * Reads a start tag's attributes from `i` into `frame`; returns the position after its `>` (the tag
 * is self-closing when the character before that `>` is `/`).
 */
function readAttributes(s: string, i: number, frame: Frame): number {
  let seen: Set<string> | undefined;
  for (;;) {
    const before = i;
    i = spaceEnd(s, i);
    if (i >= s.length) fail();
    const c = s.charCodeAt(i);
    if (c === 0x3e /* > */) return i + 1;
    if (c === 0x2f /* / */) {
      if (s.charCodeAt(i + 1) !== 0x3e) fail();
      return i + 2;
    }
    if (i === before) fail(); // attributes are separated by whitespace
    const end = nameEnd(s, i);
    const attr = s.slice(i, end);
    i = spaceEnd(s, end);
    if (s.charCodeAt(i) !== 0x3d /* = */) fail();
    i = spaceEnd(s, i + 1);
    const q = s[i];
    if (q !== '"' && q !== "'") fail();
    const close = s.indexOf(q, i + 1);
    if (close < 0) fail();
    const raw = s.slice(i + 1, close);
    if (raw.includes('<')) fail();
    const names = frame.attrNames;
    if (seen ? seen.has(attr) : names.includes(attr)) fail();
    names.push(attr);
    if (seen) seen.add(attr);
    else if (names.length > SMALL) seen = new Set(names);
    frame.attrs += (frame.attrs === '' ? '' : ',') + quote('@' + attr) + ':' + quote(attrValue(raw));
    i = close + 1;
  }
}

/** The JSON text of a document; throws Malformed. */
function parseDocument(s: string): string {
  const n = s.length;
  const stack: Frame[] = [];
  let root: string | undefined;
  // A leading byte-order mark is not content.
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < n) {
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = s.slice(i, textEnd);
      if (top) top.pieces.push({ raw: true, text: raw });
      else if (trimStart(raw) !== '') fail(); // text outside the root element
      i = textEnd;
      continue;
    }
    // s[i] is '<'
    const next = s.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (s.startsWith('<!--', i)) {
        i = pastNext(s, i + 4, '-->');
      } else if (s.startsWith('<![CDATA[', i)) {
        if (!top) fail();
        const end = s.indexOf(']]>', i + 9);
        if (end < 0) fail();
        top.pieces.push({ raw: false, text: s.slice(i + 9, end) });
        i = end + 3;
      } else if (s.startsWith('<!DOCTYPE', i) && !top && root === undefined) {
        i = doctypeEnd(s, i + 9);
      } else {
        fail();
      }
    } else if (next === 0x3f /* ? */) {
      i = pastNext(s, i + 2, '?>');
    } else if (next === 0x2f /* / */) {
      const end = nameEnd(s, i + 2);
      const name = s.slice(i + 2, end);
      i = spaceEnd(s, end);
      if (s.charCodeAt(i) !== 0x3e /* > */ || !top || top.name !== name) fail();
      i++;
      stack.pop();
      flushText(top);
      const json = elementJson(top);
      const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
      if (parent) push(parent, name, json);
      else root = '{' + quote(name) + ':' + json + '}';
    } else {
      if (root !== undefined) fail(); // a second root element
      const end = nameEnd(s, i + 1);
      const name = s.slice(i + 1, end);
      const frame: Frame = {
        name,
        attrs: '',
        attrNames: [],
        keys: [],
        values: [],
        index: undefined,
        pieces: [],
      };
      i = readAttributes(s, end, frame);
      const selfClosing = s.charCodeAt(i - 2) === 0x2f; /* / */
      if (top) flushText(top);
      if (selfClosing) {
        const json = elementJson(frame);
        if (top) push(top, name, json);
        else root = '{' + quote(name) + ':' + json + '}';
      } else {
        if (stack.length >= PARSE_XML_MAX_DEPTH) fail();
        stack.push(frame);
      }
    }
  }
  if (stack.length > 0 || root === undefined) fail();
  return root;
}

/** UTF-8 length without encoding (a UTF-16 unit is at most 3 bytes; a surrogate pair is 4). */
function tooLong(s: string): boolean {
  if (s.length > PARSE_XML_MAX_BYTES) return true;
  if (s.length * 3 <= PARSE_XML_MAX_BYTES) return false;
  return Buffer.byteLength(s, 'utf8') > PARSE_XML_MAX_BYTES;
}

/** parse_xml(): the JSON text of the converted document, or null (malformed or too long). */
export function xmlToJson(xml: string): string | null {
  if (tooLong(xml)) return null;
  try {
    return parseDocument(xml);
  } catch (e) {
    if (e === MALFORMED) return null;
    throw e;
  }
}
