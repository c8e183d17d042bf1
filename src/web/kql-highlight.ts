import { lex } from '../kql/syntax/lexer.js';
import { escapeHtml, Html } from './html.js';

/** Words shown as keywords: query operators, their clauses and the string operators of `where`. */
const KEYWORDS = new Set(
  (
    'let where summarize project project-away project-rename project-reorder extend by join on kind ' +
    'union take limit top sort order asc desc count distinct render mv-expand parse evaluate ' +
    'between and or not in !in has !has has_any has_all has_cs contains !contains contains_cs ' +
    'startswith endswith matches regex datatable print range from to step materialize invoke ' +
    'lookup as with search find getschema serialize make-series sample top-nested'
  ).split(' '),
);

/**
 * KQL as highlighted HTML, from socfeed's own lexer (the same tokens the compiler sees). The text
 * between tokens (spaces, comments) is kept; every piece is escaped, so a rule's query can never
 * become markup.
 */
export function highlightKql(text: string): Html {
  const { tokens } = lex(text);
  let out = '';
  let at = 0;
  const gap = (end: number) => {
    if (end <= at) return;
    const between = text.slice(at, end);
    // Comments are the only non-space text the lexer skips.
    out += escapeHtml(between).replace(/(\/\/[^\n]*)/g, '<span class="k-comment">$1</span>');
    at = end;
  };
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    gap(t.span.start);
    const piece = escapeHtml(text.slice(t.span.start, t.span.end));
    const cls =
      t.kind === 'string'
        ? 'k-string'
        : t.kind === 'long' || t.kind === 'real' || t.kind === 'timespan'
          ? 'k-number'
          : t.kind === 'datetime' || t.kind === 'timespanRaw' || t.kind === 'guid'
            ? 'k-literal'
            : t.kind === 'ident' && KEYWORDS.has(t.text.toLowerCase())
              ? 'k-keyword'
              : t.kind === 'punct' && t.text === '|'
                ? 'k-pipe'
                : undefined;
    out += cls ? `<span class="${cls}">${piece}</span>` : piece;
    at = t.span.end;
  }
  gap(text.length);
  return new Html(out);
}
