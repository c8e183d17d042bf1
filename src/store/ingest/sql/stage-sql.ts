import type { PassFilter } from './pass-spec.js';

/** The stage rows a pass reads, decoded to text as `_sf_t` (filters are built here, never from user text). */
export function stageRowsSql(stage: string, filter: PassFilter): string {
  const where =
    filter.kind === 'unrouted'
      ? 'tbl IS NULL'
      : filter.kind === 'routed'
        ? 'tbl = $table'
        : 'rec IN (SELECT rec FROM _socfeed_reroute WHERE route = $table)';
  return `SELECT rec AS _sf_rec, tbl AS _sf_tbl, decode(doc) AS _sf_t FROM ${stage} WHERE err IS NULL AND ${where}`;
}
