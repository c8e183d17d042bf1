import { DEFENDER_XDR_TABLES } from './defender-xdr.generated.js';
import type { ColumnSchema, TableSchema } from './types.js';

export * from './types.js';

/**
 * The set of tables a query can read. Passed explicitly to the binder and the store (never
 * module-level state), so tests and user-defined tables can use their own.
 */
export class SchemaCatalog {
  private readonly byName = new Map<string, TableSchema>();

  constructor(tables: Iterable<TableSchema>) {
    for (const t of tables) this.byName.set(t.name, t);
  }

  get tables(): TableSchema[] {
    return [...this.byName.values()];
  }

  table(name: string): TableSchema | undefined {
    return this.byName.get(name);
  }

  tableNames(): string[] {
    return [...this.byName.keys()];
  }

  /** A copy with extra (or replaced) tables, e.g. a FileProfile table ingested by the user. */
  with(tables: Iterable<TableSchema>): SchemaCatalog {
    const merged = new Map(this.byName);
    for (const t of tables) merged.set(t.name, t);
    return new SchemaCatalog(merged.values());
  }
}

function fromRaw(): TableSchema[] {
  return DEFENDER_XDR_TABLES.map((t) => {
    const columns: ColumnSchema[] = t.columns.map((c) =>
      c.length === 3 ? { name: c[0], type: c[1], description: c[2] } : { name: c[0], type: c[1] },
    );
    const names = new Set(columns.map((c) => c.name));
    // Sentinel's copies of the Defender tables carry TimeGenerated next to Timestamp; exposing it
    // as an alias lets a query written for either portal run unchanged.
    const aliases: Record<string, string> = {};
    if (names.has('Timestamp') && !names.has('TimeGenerated')) aliases['TimeGenerated'] = 'Timestamp';
    return { name: t.name, description: t.description, columns, aliases };
  });
}

let defender: SchemaCatalog | undefined;

/** The 62 Microsoft Defender XDR advanced-hunting tables. */
export function defenderSchema(): SchemaCatalog {
  defender ??= new SchemaCatalog(fromRaw());
  return defender;
}

export function columnOf(table: TableSchema, name: string): ColumnSchema | undefined {
  const target = table.aliases[name] ?? name;
  return table.columns.find((c) => c.name === target);
}
