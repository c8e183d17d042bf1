import { lex } from '../kql/syntax/lexer.js';
import type { SchemaCatalog } from '../schema/index.js';

/**
 * The tables a query reads, found from its tokens: every identifier naming a table of the schema,
 * plus any other identifier that starts a pipeline (`Name |` after `;`, `(`, `=` or the start)
 * and is not a `let` name — that catches tables outside the schema (e.g. Sentinel's SigninLogs).
 *
 * TODO: replace with the compiler binder's table references once src/kql/semantics can bind a
 * query; this heuristic can be fooled by a column that shares a table's name.
 */
export function queryTables(query: string, schema: SchemaCatalog): string[] {
  const tokens = lex(query).tokens;
  const letNames = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i]!.kind === 'ident' && tokens[i]!.text === 'let' && tokens[i + 1]!.kind === 'ident') {
      letNames.add(tokens[i + 1]!.text);
    }
  }
  const found = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || letNames.has(t.text)) continue;
    if (schema.table(t.text)) {
      found.add(t.text);
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const startsStatement = !prev || (prev.kind === 'punct' && [';', '(', '='].includes(prev.text));
    if (startsStatement && next?.kind === 'punct' && next.text === '|' && /^[A-Z]/.test(t.text))
      found.add(t.text);
  }
  return [...found].sort();
}
