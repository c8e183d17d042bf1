import { DuckDbBackend, type KqlBackend } from '../engine/backend.js';
import type { Rel } from '../sql/ir/nodes.js';
import { Store } from '../store/store.js';
import { narrowByValues } from './value-prefilter.js';

/**
 * Where a hunt reads its telemetry: the DuckDB store itself (the default), ClickHouse, or Azure
 * Data Explorer, behind one KqlBackend. The rule catalog, the runs and the findings always stay
 * in the local DuckDB store (persist.ts), whichever engine holds the events.
 *
 * With `backend.sql` (DuckDB, ClickHouse) the fused plan is lowered with that engine's dialect and
 * staged there; without it (ADX takes KQL as written) every rule runs alone through `runKql`.
 */
export interface HuntTarget {
  backend: KqlBackend;
  /** Rewrites a shared scan before it is lowered (DuckDB: needle regexes → value lists). */
  narrow?: (stage: Extract<Rel, { kind: 'filter' }>) => Promise<Rel>;
  /** Send `now` with each query (false on engines that evaluate now() themselves, i.e. ADX). */
  pinNow: boolean;
}

/** The default: telemetry in the same DuckDB store that keeps the runs. */
export function storeTarget(store: Store): HuntTarget {
  return { backend: new DuckDbBackend(store), narrow: (s) => narrowByValues(store, s), pinNow: true };
}

/** A telemetry engine other than the store (the store still keeps rules, runs and findings). */
export function backendTarget(backend: KqlBackend, opts: { pinNow?: boolean } = {}): HuntTarget {
  if (backend instanceof DuckDbBackend) return storeTarget(backend.store);
  return { backend, pinNow: opts.pinNow ?? true };
}

export function huntTarget(where: Store | HuntTarget): HuntTarget {
  return where instanceof Store ? storeTarget(where) : where;
}

/** One line for the report: which engine answered and whether the plan was fused there. */
export function engineLine(t: HuntTarget): string {
  const b = t.backend;
  return b.sql
    ? `${b.engine} (${b.target}): shared scans compiled with the ${b.sql.dialect.name} dialect`
    : `${b.engine} (${b.target}): each rule's KQL sent as written, one by one (no shared scans)`;
}
