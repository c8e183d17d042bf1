import { lex } from '../kql/syntax/lexer.js';
import { readDataJson } from './data-dir.js';

/** Where an indicator came from (see `sources` in data/rmm/catalog.json and data/rmm/README.md). */
export type RmmSourceId = 'lolrmm' | 'jischell-query' | 'jischell-summary' | 'jischell-network';

export const RMM_INDICATOR_KINDS = [
  'companyNames',
  'productNames',
  'originalFileNames',
  'fileNames',
  'fileDescriptions',
  'signers',
  'domains',
  'installPaths',
] as const;
export type RmmIndicatorKind = (typeof RMM_INDICATOR_KINDS)[number];

export interface RmmIndicator {
  value: string;
  sources: RmmSourceId[];
  /** `term`: a fragment a source query matched with `has`, not a complete value. */
  match?: 'term';
  /** Original spellings of a normalized domain (`*.anydesk.com` → `anydesk.com`). */
  raw?: string[];
  /** Other tools that claim the same value. */
  sharedWith?: string[];
  /** Present when the value is too generic to hunt with; kept so the decision can be reviewed. */
  excluded?: { reason: string };
}

export interface RmmTool {
  /** Stable slug, e.g. `anydesk`, `servereye`, `screenconnect`. */
  id: string;
  name: string;
  aliases: string[];
  /** LOLRMM's category: `RMM` or `RAT` (remote access tool). */
  category: string;
  vendor?: string;
  websites: string[];
  description: string;
  capabilities: string[];
  supportedOs: string[];
  /** Upstream files, relative to each source repository. */
  sourceFiles: { lolrmm?: string[]; jischell?: string[] };
  indicators: Record<RmmIndicatorKind, RmmIndicator[]>;
}

export interface RmmSourceInfo {
  id: RmmSourceId;
  name: string;
  repository: string;
  commit: string;
  licence: string;
  licenceFile: string;
  what: string;
}

export interface RmmCatalogData {
  generatedBy: string;
  sources: RmmSourceInfo[];
  lolrmm: Record<string, number>;
  counts: Record<string, unknown>;
  tools: RmmTool[];
}

function key(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Kinds whose values, found as string literals in a rule's query, identify the tool it hunts. */
const LITERAL_KINDS: readonly RmmIndicatorKind[] = [
  'companyNames',
  'productNames',
  'originalFileNames',
  'fileNames',
  'signers',
  'domains',
];

/** Lookups over the RMM indicator catalog. */
export class RmmCatalog {
  private readonly byKey = new Map<string, RmmTool>();
  private readonly byLiteral = new Map<string, Set<RmmTool>>();

  constructor(readonly data: RmmCatalogData) {
    for (const t of data.tools) {
      for (const n of [t.id, t.name, ...t.aliases]) if (!this.byKey.has(key(n))) this.byKey.set(key(n), t);
      for (const kind of LITERAL_KINDS) {
        for (const i of usable(t, kind)) {
          const k = i.value.toLowerCase();
          if (!this.byLiteral.has(k)) this.byLiteral.set(k, new Set());
          this.byLiteral.get(k)!.add(t);
        }
      }
    }
  }

  get tools(): RmmTool[] {
    return this.data.tools;
  }

  /**
   * The tools one observed value names exactly (a signer, company, product, file name or host
   * equal to one of their indicators, ignoring case); several when they share the indicator.
   * Parent domains are not followed: `download.teamviewer.com` is not the TeamViewer client.
   */
  toolsForValue(value: string): RmmTool[] {
    return [...(this.byLiteral.get(value.trim().toLowerCase()) ?? [])];
  }

  /** By id, name or alias, ignoring case and punctuation (`server-eye` finds ServerEye). */
  tool(nameOrId: string): RmmTool | undefined {
    return this.byKey.get(key(nameOrId));
  }

  /**
   * The tools a rule hunts: those named in the rule's title, and those whose usable indicators
   * appear as string literals in its query. Sorted by id.
   */
  toolsForRule(ruleName: string, query: string): RmmTool[] {
    const found = new Set<RmmTool>();
    const title = ` ${ruleName.toLowerCase().replace(/[^\p{L}\p{N}.-]+/gu, ' ')} `;
    for (const t of this.data.tools) {
      for (const n of [t.name, ...t.aliases]) {
        const needle = n
          .toLowerCase()
          .replace(/[^\p{L}\p{N}.-]+/gu, ' ')
          .trim();
        if (needle.length >= 4 && title.includes(` ${needle} `)) found.add(t);
      }
    }
    for (const tok of lex(query).tokens) {
      if (tok.kind !== 'string') continue;
      for (const t of this.byLiteral.get(tok.text.toLowerCase()) ?? []) found.add(t);
    }
    return [...found].sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** A tool's indicators of one kind that are not excluded as too generic. */
export function usable(tool: RmmTool, kind: RmmIndicatorKind): RmmIndicator[] {
  return tool.indicators[kind].filter((i) => !i.excluded);
}

let shared: RmmCatalog | undefined;

/** The committed catalog (data/rmm/catalog.json), loaded on first use. */
export function rmmCatalog(): RmmCatalog {
  shared ??= new RmmCatalog(readDataJson<RmmCatalogData>('rmm', 'catalog.json'));
  return shared;
}
