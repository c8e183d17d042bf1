/**
 * A small, strict XML 1.0 well-formedness checker for the feeds socfeed writes (no new packages):
 * one root element, properly nested and closed tags, quoted and unique attributes, only the five
 * predefined entities and character references, no stray `<` or `&`, no characters XML forbids.
 * Comments, CDATA and processing instructions (other than the XML declaration) are refused: socfeed
 * never writes them, so their presence would mean rule text leaked markup. Returns the element tree.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('forbidden character');
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail("'<' in text or attribute");
    return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
      if (!m.endsWith(';')) fail(`bare '&'`);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (named[ref] !== undefined) return named[ref]!;
      const num = /^#(\d+)$/.exec(ref) ?? /^#x([0-9a-fA-F]+)$/.exec(ref);
      if (!num) fail(`unknown entity &${ref};`);
      return String.fromCodePoint(parseInt(num![1]!, ref.startsWith('#x') ? 16 : 10));
    });
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail("expected '<'");
    i++;
    const name = NAME.exec(xml.slice(i))?.[0] ?? fail('bad element name');
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected space before attribute');
      const an = NAME.exec(xml.slice(i))?.[0] ?? fail('bad attribute name');
      i += an.length;
      if (xml[i] !== '=') fail("expected '='");
      i++;
      const q = xml[i];
      if (q !== '"' && q !== "'") fail('unquoted attribute');
      const end = xml.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute');
      if (an in attrs) fail(`duplicate attribute ${an}`);
      attrs[an] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${name}>`);
      const raw = xml.slice(i, lt);
      if (raw.includes(']]>')) fail("']]>' in text");
      text += decode(raw);
      i = lt;
      if (xml.startsWith('</', i)) {
        i += 2;
        if (!xml.startsWith(name, i)) fail(`mismatched closing tag for <${name}>`);
        i += name.length;
        skipSpace();
        if (xml[i] !== '>') fail("expected '>'");
        i++;
        return { name, attrs, children, text };
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i))
        fail('comment, CDATA or processing instruction');
      children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

export function childrenNamed(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}
