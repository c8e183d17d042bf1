import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lex } from '../../src/kql/syntax/lexer.js';
import { kqlString, kqlStringList } from '../../src/rules/kql-literal.js';
import { kqlTerms, minimalHasList } from '../../src/rules/kql-terms.js';

/** Microsoft's own reading of a string literal (Kusto.Language, the project's test oracle). */
function kustoLiteralValue(literal: string): string {
  const require = createRequire(import.meta.url);
  require(require.resolve('@kusto/language-service-next/bridge.js'));
  require(require.resolve('@kusto/language-service-next/Kusto.Language.Bridge.js'));
  // The bridge publishes its namespace on the global object; that is its only API.
  const kusto = (
    globalThis as unknown as {
      Kusto: { Language: { KustoFacts: { GetStringLiteralValue(s: string): string } } };
    }
  ).Kusto;
  return kusto.Language.KustoFacts.GetStringLiteralValue(literal);
}

const CASES = [
  'AnyDesk Software GmbH',
  "I'm InTouch Go Installer.exe",
  'C:\\Program Files\\Level\\',
  "C:\\it's\\here",
  '\\\\server\\share',
  'Krämer IT Solutions GmbH',
  'TEKNOPARS BİLİŞİM TEKNOLOJİLERİ',
  '上海貝銳信息科技股份有限公司',
  'DWSNET OÜ',
  `both ' and " quotes`,
  '',
];

describe('KQL string literals', () => {
  it.each(CASES)('writes %j so that Kusto and our lexer read it back unchanged', (value) => {
    const literal = kqlString(value);
    expect(kustoLiteralValue(literal)).toBe(value);
    const tokens = lex(`print ${literal}`).tokens.filter((t) => t.kind === 'string');
    expect(tokens.map((t) => t.text)).toEqual([value]);
  });

  it('uses the seed style for plain text and a verbatim literal for paths', () => {
    expect(kqlString('Kaseya')).toBe("'Kaseya'");
    expect(kqlString("I'm")).toBe("'I\\'m'");
    expect(kqlString('C:\\Level\\')).toBe("@'C:\\Level\\'");
    expect(kqlString("C:\\it's")).toBe("@'C:\\it''s'");
  });

  it('refuses control characters instead of guessing an escape', () => {
    expect(() => kqlString('a\nb')).toThrow(/control character/);
    expect(() => kqlString('a\u0000b')).toThrow(/control character/);
  });

  it('lays out short lists on one line and long ones one per line', () => {
    expect(kqlStringList(['a', 'b'], '')).toBe("('a', 'b')");
    expect(kqlStringList(['a', 'b', 'c', 'd'], '    ')).toBe(
      "(\n        'a',\n        'b',\n        'c',\n        'd'\n    )",
    );
  });
});

describe('has-term reduction', () => {
  it('splits terms as KQL does (ASCII alphanumeric runs)', () => {
    expect(kqlTerms('Krämer IT Solutions GmbH')).toEqual(['kr', 'mer', 'it', 'solutions', 'gmbh']);
    expect(kqlTerms('boot.net.anydesk.com')).toEqual(['boot', 'net', 'anydesk', 'com']);
  });

  it('drops needles another needle implies', () => {
    expect(minimalHasList(['FleetDeck Inc', 'FLEETDECK INC.', 'FleetDeck', 'Other'])).toEqual([
      'FleetDeck',
      'Other',
    ]);
    expect(minimalHasList(['anydesk.com', 'boot.net.anydesk.com', 'playanext.com'])).toEqual([
      'anydesk.com',
      'playanext.com',
    ]);
    expect(minimalHasList(['上海貝銳', 'x'])).toEqual(['上海貝銳', 'x']); // no ASCII term: kept, covers nothing
    expect(minimalHasList(['desk', 'anydesk.com'])).toEqual(['desk', 'anydesk.com']); // `desk` is not a term of anydesk
  });
});
