import type { Expr } from '../syntax/ast.js';
import type { IrColumn } from '../../sql/ir/nodes.js';
import { applyNameRule, RESULT_NAME_RULES } from './catalog/result-names.js';

/**
 * Kusto's default names for unnamed columns: a column reference keeps its name, a property
 * path `d.a.b` becomes `d_a_b`, some calls are named after their first argument
 * (catalog/result-names.ts), anything else `Column1`, `Column2`, … (the first unused).
 */
export function derivedName(e: Expr): string | undefined {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'member': {
      const base = derivedName(e.object);
      return base ? `${base}_${e.name}` : undefined;
    }
    case 'index': {
      const base = derivedName(e.object);
      if (!base) return undefined;
      if (e.index.kind === 'literal' && typeof e.index.value === 'string') return `${base}_${e.index.value}`;
      if (e.index.kind === 'literal') return `${base}_${String(e.index.value).replace('-', '_')}`;
      return undefined;
    }
    case 'call': {
      // Kusto names some calls after their first argument (tostring(UserId) → UserId).
      const rule = RESULT_NAME_RULES.get(e.name);
      const first = e.args[0];
      const base = rule && first ? derivedName(first) : undefined;
      if (rule?.kind === 'fixed') return rule.name;
      if (!rule || base === undefined) return undefined;
      return applyNameRule(rule, base);
    }
    default:
      return undefined;
  }
}

export class NameAllocator {
  private readonly used: Set<string>;
  private columnCounter = 0;

  constructor(existing: Iterable<string>) {
    this.used = new Set(existing);
  }

  /** `Column1`, `Column2`, … skipping names already taken. */
  nextColumnName(): string {
    let name: string;
    do name = `Column${++this.columnCounter}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  /** `name`, or `name1`, `name2`, … when taken (summarize duplicates, join collisions). */
  unique(name: string): string {
    if (!this.used.has(name)) {
      this.used.add(name);
      return name;
    }
    for (let i = 1; ; i++) {
      const candidate = `${name}${i}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }

  take(name: string): void {
    this.used.add(name);
  }
}

export function colRef(c: IrColumn) {
  return { kind: 'col' as const, type: c.type, id: c.id };
}

/** A name pattern with `*` wildcards (`Device*Events`, `Init*`) as an anchored regex. */
export function wildcardRegex(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** The table names a wildcard pattern matches (union, search and find), in name order. */
export function tablesMatching(names: readonly string[], pattern: string): string[] {
  const re = wildcardRegex(pattern);
  return names.filter((n) => re.test(n)).sort();
}
