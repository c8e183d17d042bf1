import { TableInference } from '../infer-table.js';
import { REASONS } from '../sql/pass-sql.js';
import { CsvParser, type CsvRecord } from './csv.js';
import type { ReadContext } from './read-context.js';

/**
 * CSV with a header row (advanced hunting export style): each row becomes a JSON object of strings
 * keyed by the header, and goes through the bulk pass like any flat row (types from the schema,
 * empty cells = no value). Rows are routed by a `Type` column, --table, or column-name inference.
 */
export async function readCsv(ctx: ReadContext): Promise<void> {
  let header: string[] | undefined;
  let rec = 0;
  let inference: TableInference | undefined;
  const parser = new CsvParser(
    ctx.source.name.toLowerCase().endsWith('.tsv') ? '\t' : undefined,
    (r: CsvRecord) => {
      if (!header) {
        header = r.fields.map((f) => f.trim());
        if (!ctx.defaultTable && !header.includes('Type')) inference = new TableInference(ctx.schema);
        return;
      }
      rec++;
      if (r.error) return ctx.loader.push({ line: r.line, rec, raw: r.raw, error: r.error });
      if (r.fields.length !== header.length) {
        return ctx.loader.push({
          line: r.line,
          rec,
          raw: r.raw,
          error: `expected ${header.length} fields (as in the header), found ${r.fields.length}`,
        });
      }
      const row: Record<string, string> = {};
      header.forEach((h, i) => (row[h] = r.fields[i]!));
      const doc = JSON.stringify(row);
      if (!inference) return ctx.loader.push({ line: r.line, rec, doc, raw: r.raw });
      const table = inference.infer(row);
      if (!table) return ctx.loader.push({ line: r.line, rec, raw: r.raw, error: REASONS.noTable });
      ctx.counters.infer(table);
      ctx.loader.push({ line: r.line, rec, doc, raw: r.raw, table });
    },
  );
  for await (const buf of ctx.source.open()) {
    parser.feed(buf);
    await ctx.loader.maybeFlush();
  }
  parser.end();
}
