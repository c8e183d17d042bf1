/**
 * parse_xml's JavaScript implementation (src/engine/udf/xml-to-json.ts) on hostile input, and its
 * registration as a DuckDB function. The documented conversions are in
 * test/kql/functions/parse-xml.kqltest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARSE_XML_MAX_BYTES, PARSE_XML_MAX_DEPTH, xmlToJson } from '../../src/engine/udf/xml-to-json.js';
import { registerUdfs } from '../../src/engine/udf/register.js';
import { prepareStore, runKql } from '../../src/engine/run.js';
import { Store } from '../../src/store/store.js';

const parsed = (xml: string): unknown => {
  const j = xmlToJson(xml);
  return j === null ? null : JSON.parse(j);
};

describe('xmlToJson on hostile input', () => {
  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    const deep = (d: number) => '<a>'.repeat(d) + '</a>'.repeat(d);
    expect(xmlToJson(deep(PARSE_XML_MAX_DEPTH))).not.toBeNull();
    expect(xmlToJson(deep(PARSE_XML_MAX_DEPTH + 1))).toBeNull();
    expect(xmlToJson(deep(200_000))).toBeNull();
    expect(xmlToJson('<a>'.repeat(300_000))).toBeNull(); // never closed
  });

  it('refuses input longer than 1,048,576 UTF-8 bytes', () => {
    const wrap = (body: string) => `<a>${body}</a>`;
    const fits = wrap('x'.repeat(PARSE_XML_MAX_BYTES - 7));
    expect(Buffer.byteLength(fits)).toBe(PARSE_XML_MAX_BYTES);
    expect(xmlToJson(fits)).not.toBeNull();
    expect(xmlToJson(wrap('x'.repeat(PARSE_XML_MAX_BYTES - 6)))).toBeNull();
    // Fewer UTF-16 units than the limit, more bytes: '€' is 3 bytes in UTF-8.
    const euros = wrap('€'.repeat(400_000));
    expect(euros.length).toBeLessThan(PARSE_XML_MAX_BYTES);
    expect(xmlToJson(euros)).toBeNull();
  });

  it('gives null for unterminated or malformed markup', () => {
    for (const bad of [
      '<',
      '<a',
      '<a b',
      '<a b=',
      '<a b="c',
      '<a b="c"',
      '<a/',
      '<a></a',
      '<a></b>',
      '</a>',
      '<a><b></a></b>',
      '<a>text',
      '<a><!-- x',
      '<a><![CDATA[ x',
      '<a><?pi',
      '<!DOCTYPE a [ <!ENTITY x "y"> ',
      '<!DOCTYPE a "unterminated',
      '<a b="1"c="2"/>',
      '< a/>',
      '<1a/>',
      '<a b=c/>',
      '<!ELEMENT a/>',
      'text<a/>',
      '<a/><b/>',
      '',
      '   ',
    ]) {
      expect(xmlToJson(bad), bad).toBeNull();
    }
  });

  it('gives null for bad references', () => {
    for (const bad of [
      '&#0;',
      '&#xD800;',
      '&#x110000;',
      '&#99999999999999999999;',
      '&#;',
      '&#x;',
      '&bogus;',
      '&amp',
      '&' + 'a'.repeat(50) + ';',
    ]) {
      expect(xmlToJson(`<a>${bad}</a>`), bad).toBeNull();
      expect(xmlToJson(`<a b="${bad}"/>`), bad).toBeNull();
    }
    expect(parsed('<a>&#x1F600;&#128512;</a>')).toEqual({ a: '😀😀' });
  });

  it('writes valid JSON for any text', () => {
    expect(parsed('<a b="x/" c=\'say "hi"\'>back\\slash&#9;tab&#10;</a>')).toEqual({
      a: { '@b': 'x/', '@c': 'say "hi"', '#text': 'back\\slash\ttab\n' },
    });
    expect(xmlToJson('<a>\ud800 lone</a>')).toBe('{"a":"\\ud800 lone"}');
    expect(parsed('<a>😀 é</a>')).toEqual({ a: '😀 é' });
  });

  it('treats names such as __proto__ as ordinary keys', () => {
    expect(xmlToJson('<__proto__ constructor="x"><__proto__/><__proto__>y</__proto__></__proto__>')).toBe(
      '{"__proto__":{"@constructor":"x","__proto__":[null,"y"]}}',
    );
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('is linear in the number of siblings', () => {
    const many = '<r>' + '<i>1</i>'.repeat(100_000) + '</r>';
    const t = Date.now();
    const out = parsed(many) as { r: { i: string[] } };
    expect(out.r.i).toHaveLength(100_000);
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('keeps the choices the docs leave open', () => {
    expect(parsed('<e></e>')).toEqual({ e: null });
    expect(parsed('<e>  </e>')).toEqual({ e: null });
    expect(parsed('<e><![CDATA[]]></e>')).toEqual({ e: '' });
    expect(parsed('<e>a<x/>b</e>')).toEqual({ e: { '#text': ['a', 'b'], x: null } });
    expect(parsed('<e> a <![CDATA[ b ]]> c </e>')).toEqual({ e: 'a  b  c' });
    expect(parsed('<x:e xmlns:x="urn:x"><x:a>1</x:a></x:e>')).toEqual({
      'x:e': { '@xmlns:x': 'urn:x', 'x:a': '1' },
    });
    expect(parsed('<e a="1\t2\n3">l1\r\nl2</e>')).toEqual({ e: { '@a': '1 2 3', '#text': 'l1\r\nl2' } });
    expect(parsed('\uFEFF<?xml version="1.0"?>\n<!DOCTYPE e [<!ELEMENT e (#PCDATA)>]>\n<e>x</e>\n')).toEqual({
      e: 'x',
    });
  });
});

describe('socfeed_parse_xml in DuckDB', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await prepareStore(store);
  });
  afterAll(() => store.close());

  it('is registered idempotently and maps null to null', async () => {
    registerUdfs(store.connection);
    registerUdfs(store.connection);
    const r = await store.query(
      "SELECT socfeed_parse_xml('<a b=\"1\"/>')->>'$.a.@b', socfeed_parse_xml(NULL), socfeed_parse_xml('<a>'), typeof(socfeed_parse_xml('<a/>'))",
    );
    expect(r.rows).toEqual([['1', null, null, 'JSON']]);
  });

  it('runs compiled KQL over many rows', async () => {
    const res = await runKql(
      store,
      'range i from 1 to 20000 step 1 | extend o = parse_xml(strcat("<r n=\\"", i, "\\"><v>", i * 2, "</v></r>")) | summarize s = sum(toint(o.r.v)), n = countif(tostring(o.r["@n"]) == tostring(i))',
    );
    expect(res.rows).toEqual([[400_020_000, 20_000]]);
  });
});
