import type { OperatorParam, TabularSource } from '../syntax/ast.js';
import type { Rel } from '../../sql/ir/nodes.js';
import type { Binder } from './binder.js';
import { parseTypeName } from './types.js';

/** Data formats Kusto's externaldata reads that socfeed can parse from a local file. */
export const EXTERNAL_FORMATS = [
  'csv',
  'tsv',
  'tsve',
  'psv',
  'scsv',
  'sohsv',
  'txt',
  'raw',
  'json',
  'multijson',
] as const;

/**
 * `externaldata (cols) [urls] with (format=…, ignoreFirstRecord=…)`: the schema is the declared
 * columns, so binding needs no file; the rows are read by the engine from local copies (see
 * ExternalSource), never fetched while compiling.
 */
export function bindExternalData(b: Binder, src: Extract<TabularSource, { kind: 'externaldata' }>): Rel {
  const cols = src.columns.map((c) => {
    const t = parseTypeName(c.type);
    if (!t) return b.fail('SF201', `unknown type '${c.type}'`, c.span);
    return b.ctx.column(c.name, t);
  });
  if (cols.length === 0) b.fail('SF201', 'externaldata needs at least one column', src.span);
  if (src.urls.length === 0) b.fail('SF202', 'externaldata needs at least one URL', src.span);
  // Property names are case-insensitive in Kusto (`ignorefirstrecord` is seen in the wild).
  const prop = (name: string): OperatorParam | undefined =>
    src.params.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const format = (paramText(prop('format')) ?? 'csv').toLowerCase();
  if (!(EXTERNAL_FORMATS as readonly string[]).includes(format)) {
    b.fail(
      'SF304',
      `externaldata format '${format}' is not supported`,
      prop('format')?.span ?? src.span,
      `use one of: ${EXTERNAL_FORMATS.join(', ')}`,
    );
  }
  const ignore = paramText(prop('ignoreFirstRecord'));
  return {
    kind: 'values',
    cols,
    rows: [],
    external: {
      urls: [...src.urls],
      format,
      ignoreFirstRecord: ignore !== undefined && ignore.toLowerCase() === 'true',
      span: src.span,
    },
  };
}

function paramText(p: OperatorParam | undefined): string | undefined {
  if (!p) return undefined;
  if (typeof p.value === 'string') return p.value;
  if (p.value.kind === 'literal' && (typeof p.value.value === 'string' || typeof p.value.value === 'boolean'))
    return String(p.value.value);
  if (p.value.kind === 'name') return p.value.name; // `format=csv` written without quotes
  return undefined;
}
