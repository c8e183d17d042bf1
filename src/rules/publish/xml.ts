/**
 * Writing untrusted text into XML. Every character XML 1.0 cannot carry (most control characters,
 * lone surrogates, U+FFFE/U+FFFF) is dropped, since no escape can represent it; markup characters
 * are escaped, so rule text can never open an element or a CDATA section.
 */

const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For attribute values (always written in double quotes); line breaks kept as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** `<name attr="…">text</name>`, or `<name attr="…"/>` without text. */
export function element(name: string, attrs: Record<string, string | undefined>, text?: string): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
    .join('');
  return text === undefined ? `<${name}${a}/>` : `<${name}${a}>${xmlText(text)}</${name}>`;
}
