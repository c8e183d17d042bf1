import { attackCatalog, type AttackCatalog } from '../rules/attack.js';
import { openPublishedCatalog, type OpenCatalog } from '../rules/publish/catalog-rules.js';
import { coverage, type TechniqueCoverage } from '../rules/publish/coverage.js';
import { enrichCatalog } from '../rules/publish/enrich-catalog.js';
import type { Store } from '../store/store.js';
import { storeTarget, type HuntTarget } from '../hunt/target.js';
import { catalogView, ruleKey, type CatalogView, type RuleSummary } from './catalog-view.js';
import { DbQueue } from './db-queue.js';
import { html } from './html.js';
import { facet, FILTER_KEYS, type FilterKey } from './feed-filter.js';

/**
 * Everything the server reads, opened once: the store, the enriched catalog (kept in memory so
 * the feed, rule and coverage pages never wait for a running query) and the queue that serialises
 * work on the store's one connection.
 */
export class WebState {
  readonly queue = new DbQueue();
  readonly attack: AttackCatalog = attackCatalog();
  private view!: CatalogView;
  private searchText = new Map<string, string>();
  private cov: TechniqueCoverage[] | undefined;
  private facetCache = new Map<FilterKey, { value: string; count: number; label: string }[]>();
  private optionCache = new Map<FilterKey, { value: string; plain: string; selected: string }[]>();

  /**
   * Where the console, rule runs and hunts read telemetry: the store itself, or another engine
   * (`serve --engine clickhouse`); the catalog, data availability and hunt runs stay in the store.
   */
  readonly telemetry: HuntTarget;
  /** True when the telemetry is not the store (its queries cannot be interrupted from here). */
  readonly remote: boolean;

  private constructor(
    private readonly cat: OpenCatalog,
    readonly dbLabel: string,
    telemetry: HuntTarget | undefined,
  ) {
    this.telemetry = telemetry ?? storeTarget(cat.store);
    this.remote = telemetry !== undefined;
  }

  static async open(
    db: string | undefined,
    note: (t: string) => void,
    dbLabel: string,
    telemetry?: HuntTarget,
  ): Promise<WebState> {
    const cat = await openPublishedCatalog(db, note);
    const state = new WebState(cat, dbLabel, telemetry);
    try {
      await state.reload();
    } catch (e) {
      cat.close();
      throw e;
    }
    return state;
  }

  get store(): Store {
    return this.cat.store;
  }

  /** False when no store file exists and only the bundled pack is shown. */
  get persistent(): boolean {
    return this.cat.persistent;
  }

  get rules(): RuleSummary[] {
    return this.view.summaries;
  }

  /** Re-reads availability (row counts) from the store, e.g. after a hunt wrote to it. */
  async reload(): Promise<void> {
    const entries = await this.queue.run(() => enrichCatalog(this.cat));
    this.view = catalogView(entries);
    this.cov = undefined;
    this.facetCache.clear();
    this.optionCache.clear();
    this.searchText = new Map(
      this.view.summaries.map((s) => {
        const e = this.view.byKey.get(ruleKey(s.source, s.id))!.entry;
        const text = [
          s.name,
          s.description,
          s.hypothesis,
          e.published.rule.query,
          s.source,
          ...s.tags,
          ...s.tables,
          ...s.tools.flatMap((t) => [t.id, t.name]),
          ...s.techniques.flatMap((t) => [t.id, t.name]),
          ...s.tactics.map((t) => t.name),
        ].join('\n');
        return [ruleKey(s.source, s.id), text.toLowerCase()];
      }),
    );
  }

  /**
   * Each filter's options over the whole catalog, with display labels (tactic and tool names):
   * the same for every request until the catalog is reloaded, so computed once.
   */
  facets(key: FilterKey): { value: string; count: number; label: string }[] {
    let cached = this.facetCache.get(key);
    if (!cached) {
      const names = new Map<string, string>();
      if (key === 'tactic')
        for (const r of this.rules) for (const t of r.tactics) names.set(t.shortname, t.name);
      if (key === 'tool') for (const r of this.rules) for (const t of r.tools) names.set(t.id, t.name);
      cached = facet(this.rules, key).map((f) => ({ ...f, label: names.get(f.value) ?? f.value }));
      this.facetCache.set(key, cached);
    }
    return cached;
  }

  /** Each filter's `<option>` elements, escaped once: plain and selected. */
  filterOptions(key: FilterKey): { value: string; plain: string; selected: string }[] {
    let cached = this.optionCache.get(key);
    if (!cached) {
      cached = this.facets(key).map((o) => ({
        value: o.value,
        plain: html`<option value="${o.value}">${o.label} (${o.count})</option>`.text,
        selected: html`<option value="${o.value}" selected>${o.label} (${o.count})</option>`.text,
      }));
      this.optionCache.set(key, cached);
    }
    return cached;
  }

  allFacets(): Record<FilterKey, { value: string; count: number; label: string }[]> {
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, this.facets(k)])) as Record<
      FilterKey,
      { value: string; count: number; label: string }[]
    >;
  }

  textOf = (r: RuleSummary): string => this.searchText.get(ruleKey(r.source, r.id)) ?? '';

  /**
   * The rule an id names in the page's links (`/rules/<id>?source=<source>`). Without a source the
   * id must be unique across sources.
   */
  find(id: string, source?: string) {
    if (source) return this.view.byKey.get(ruleKey(source, id));
    const matches = this.view.summaries.filter((s) => s.id.toLowerCase() === id.toLowerCase());
    return matches.length === 1
      ? this.view.byKey.get(ruleKey(matches[0]!.source, matches[0]!.id))
      : undefined;
  }

  get entries() {
    return this.view.entries;
  }

  /** Coverage of the catalog; `hits` (findings per rule id in the latest hunt) colours recent hits. */
  coverage(hits?: ReadonlyMap<string, number>): TechniqueCoverage[] {
    if (hits) return coverage(this.view.entries, this.attack, hits);
    this.cov ??= coverage(this.view.entries, this.attack);
    return this.cov;
  }

  close(): void {
    this.cat.close();
  }
}
