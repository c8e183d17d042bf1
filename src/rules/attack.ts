import { readDataJson } from './data-dir.js';

/** One ATT&CK Enterprise tactic, as `data/attack/attack.json` stores it. */
export interface AttackTactic {
  /** `TA0011` */
  id: string;
  /** `command-and-control`: the kill-chain phase name techniques refer to. */
  shortname: string;
  /** `Command and Control` */
  name: string;
  /** Position in the Enterprise matrix, 1-based. */
  order: number;
  url: string;
  description: string;
}

export interface AttackTechnique {
  /** `T1219` or `T1219.002` */
  id: string;
  name: string;
  subtechnique: boolean;
  parent: string | null;
  /** Tactic shortnames. */
  tactics: string[];
  platforms: string[];
  /** First paragraph, citations removed. */
  description: string;
  url: string;
  /** ATT&CK v18 data components, e.g. `DC0032 Process Creation`. */
  dataComponents: string[];
  /** ATT&CK v17.1 data sources, e.g. `Process: Process Creation` (dropped from techniques in v18). */
  dataSourcesV17: string[];
  /** First paragraph of the v17.1 detection text, or null. */
  detectionV17: string | null;
}

export interface RetiredTechnique {
  id: string;
  name: string;
  status: 'revoked' | 'deprecated';
  revokedBy?: string;
}

export interface AttackData {
  source: string;
  attackVersion: string;
  sourceCommit: string;
  legacyCommit: string;
  copyright: string;
  counts: { tactics: number; techniques: number; subtechniques: number; retired: number };
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  retired: RetiredTechnique[];
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** `t1219/002`, ` T1219.002 ` → `T1219.002`; undefined when it is not shaped like a technique ID. */
export function normalizeTechniqueId(id: string): string | undefined {
  const s = id.trim().toUpperCase().replace('/', '.');
  return TECHNIQUE_ID.test(s) ? s : undefined;
}

/**
 * Tactic names appear as `CommandAndControl` (Sentinel YAML), `Command and Control` (ATT&CK name),
 * `command-and-control` (kill-chain shortname) or `TA0011`; all reduce to the same key.
 */
function tacticKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Lookups over ATT&CK Enterprise; the data is loaded once from `data/attack/attack.json`. */
export class AttackCatalog {
  private readonly techniquesById = new Map<string, AttackTechnique>();
  private readonly retiredById = new Map<string, RetiredTechnique>();
  private readonly tacticsByKey = new Map<string, AttackTactic>();

  constructor(readonly data: AttackData) {
    for (const t of data.techniques) this.techniquesById.set(t.id, t);
    for (const r of data.retired) this.retiredById.set(r.id, r);
    for (const t of data.tactics) {
      for (const k of [t.id, t.name, t.shortname]) this.tacticsByKey.set(tacticKey(k), t);
    }
  }

  get version(): string {
    return this.data.attackVersion;
  }

  get tactics(): AttackTactic[] {
    return this.data.tactics;
  }

  /** A live technique or sub-technique; undefined for unknown and for revoked/deprecated IDs. */
  technique(id: string): AttackTechnique | undefined {
    const norm = normalizeTechniqueId(id);
    return norm ? this.techniquesById.get(norm) : undefined;
  }

  /** A revoked or deprecated technique ID, with what replaced it when ATT&CK says. */
  retired(id: string): RetiredTechnique | undefined {
    const norm = normalizeTechniqueId(id);
    return norm ? this.retiredById.get(norm) : undefined;
  }

  subtechniques(parentId: string): AttackTechnique[] {
    const norm = normalizeTechniqueId(parentId);
    return this.data.techniques.filter((t) => t.parent === norm);
  }

  /** By ID, name, shortname or Sentinel spelling (`CommandAndControl`). */
  tactic(nameOrId: string): AttackTactic | undefined {
    return this.tacticsByKey.get(tacticKey(nameOrId));
  }

  /** The tactics of a technique (a sub-technique has its parent's), in matrix order. */
  tacticsOf(techniqueId: string): AttackTactic[] {
    const t = this.technique(techniqueId);
    if (!t) return [];
    return t.tactics
      .map((s) => this.tactic(s))
      .filter((x): x is AttackTactic => x !== undefined)
      .sort((a, b) => a.order - b.order);
  }
}

let shared: AttackCatalog | undefined;

/** The committed ATT&CK Enterprise data (loaded on first use, then shared). */
export function attackCatalog(): AttackCatalog {
  shared ??= new AttackCatalog(readDataJson<AttackData>('attack', 'attack.json'));
  return shared;
}
