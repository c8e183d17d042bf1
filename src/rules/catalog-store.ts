import { resolve, sep } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../store/store.js';
import type { LoadResult } from './load.js';
import type { Rule, RuleDiagnostic } from './model.js';

/**
 * The rule catalog inside the DuckDB store. Every version of every rule is kept (keyed by content
 * hash), every import is recorded with what it changed, and a current view says which rules each
 * source holds now. Tables (all `_socfeed_rule…`):
 *
 *   _socfeed_rule_imports      one row per `rules import` run, with its counts
 *   _socfeed_rule_versions     (source, rule_id, content_hash) → the rule as first seen with that content
 *   _socfeed_rule_current      (source, rule_id) → latest content, path, and whether it is still present
 *   _socfeed_rule_changes      per import and rule: new / updated / unchanged / removed
 *   _socfeed_rule_diagnostics  per import: problems found while loading, with file:line:col
 */

export type RuleChange = 'new' | 'updated' | 'unchanged' | 'removed';

export interface RuleChangeEntry {
  ruleId: string;
  name: string;
  change: RuleChange;
  path: string;
}

export interface ImportSummary {
  importId: number;
  source: string;
  startedAt: string;
  files: number;
  rules: number;
  counts: Record<RuleChange, number> & { errors: number; warnings: number };
  changes: RuleChangeEntry[];
  diagnostics: RuleDiagnostic[];
}

export interface StoredRule {
  source: string;
  rule: Rule;
  /** Import that last saw the rule. */
  importId: number;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS _socfeed_rule_imports (
     import_id BIGINT PRIMARY KEY, source VARCHAR NOT NULL, started_at VARCHAR NOT NULL, roots VARCHAR NOT NULL,
     repository VARCHAR, commit_sha VARCHAR, files INTEGER NOT NULL, rules INTEGER NOT NULL,
     new_count INTEGER NOT NULL, updated_count INTEGER NOT NULL, unchanged_count INTEGER NOT NULL,
     removed_count INTEGER NOT NULL, error_count INTEGER NOT NULL, warning_count INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _socfeed_rule_versions (
     source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL,
     first_import_id BIGINT NOT NULL, rule_json VARCHAR NOT NULL, PRIMARY KEY (source, rule_id, content_hash))`,
  // No key constraint here: rows are replaced as a set per import (DuckDB's index checks make
  // repeated in-transaction updates of keyed rows fragile).
  `CREATE TABLE IF NOT EXISTS _socfeed_rule_current (
     source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, local_path VARCHAR NOT NULL,
     name VARCHAR NOT NULL, present BOOLEAN NOT NULL, last_import_id BIGINT NOT NULL, rule_json VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _socfeed_rule_changes (
     import_id BIGINT NOT NULL, source VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, change VARCHAR NOT NULL,
     content_hash VARCHAR NOT NULL, previous_hash VARCHAR, path VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _socfeed_rule_diagnostics (
     import_id BIGINT NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
     severity VARCHAR NOT NULL, code VARCHAR NOT NULL, message VARCHAR NOT NULL)`,
];

interface CurrentRow {
  ruleId: string;
  hash: string;
  localPath: string;
  name: string;
  present: boolean;
  lastImportId: number;
  ruleJson: string;
}

/** Rows per multi-row INSERT: keeps statements small while avoiding one round trip per row. */
const BATCH = 200;

export class RuleCatalogStore {
  private constructor(private readonly store: Store) {}

  static async open(store: Store): Promise<RuleCatalogStore> {
    for (const sql of DDL) await store.run(sql);
    return new RuleCatalogStore(store);
  }

  /**
   * Records one import of `source`: the rules loaded from `roots` (one LoadResult per path
   * argument). A rule of this source that was present before, lives under one of the roots, is
   * not loaded now and whose file did not fail to load is `removed`; rules elsewhere are untouched,
   * so importing one file does not remove the rest of the source.
   */
  async importRules(
    source: string,
    loads: LoadResult[],
    roots: string[],
    now: Date = new Date(),
  ): Promise<ImportSummary> {
    return this.store.transaction(async () => {
      const importId = await this.nextImportId();
      const previous = await this.currentRows(source);
      const diagnostics = loads.flatMap((l) => l.diagnostics);
      const failed = new Set(loads.flatMap((l) => l.failedFiles));
      // Each load already keeps ids unique; two path arguments can still share one.
      const rules: Rule[] = [];
      const firstFile = new Map<string, string>();
      for (const rule of loads.flatMap((l) => l.rules)) {
        const first = firstFile.get(rule.id);
        if (first === undefined) {
          firstFile.set(rule.id, rule.provenance.localPath);
          rules.push(rule);
          continue;
        }
        diagnostics.push({
          code: 'SF-RULE-DUPLICATE-ID',
          severity: 'error',
          message: `rule id ${rule.id} is also used by ${first}`,
          file: rule.provenance.localPath,
          line: 1,
          column: 1,
        });
        failed.add(rule.provenance.localPath);
      }
      const scope = roots.map((r) => resolve(r));
      const inScope = (p: string) =>
        scope.some((r) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep));

      const changes: (RuleChangeEntry & { hash: string; previousHash?: string })[] = [];
      const next = new Map<string, CurrentRow>();
      for (const row of previous.values()) next.set(row.ruleId, row);
      const loadedIds = new Set<string>();
      const newVersions: Rule[] = [];
      for (const rule of rules) {
        loadedIds.add(rule.id);
        const before = previous.get(rule.id);
        const change: RuleChange =
          !before || !before.present ? 'new' : before.hash === rule.contentHash ? 'unchanged' : 'updated';
        if (change !== 'unchanged') newVersions.push(rule);
        const entry = {
          ruleId: rule.id,
          name: rule.name,
          change,
          path: rule.provenance.path,
          hash: rule.contentHash,
        };
        changes.push(before?.present ? { ...entry, previousHash: before.hash } : entry);
        next.set(rule.id, {
          ruleId: rule.id,
          hash: rule.contentHash,
          localPath: rule.provenance.localPath,
          name: rule.name,
          present: true,
          lastImportId: importId,
          ruleJson: JSON.stringify(rule),
        });
      }
      for (const row of previous.values()) {
        if (!row.present || loadedIds.has(row.ruleId) || !inScope(row.localPath) || failed.has(row.localPath))
          continue;
        const path = (JSON.parse(row.ruleJson) as Rule).provenance.path;
        changes.push({ ruleId: row.ruleId, name: row.name, change: 'removed', path, hash: row.hash });
        next.set(row.ruleId, { ...row, present: false, lastImportId: importId });
      }

      await this.insertVersions(source, importId, newVersions);
      await this.store.run('DELETE FROM _socfeed_rule_current WHERE source = ?', [source]);
      await this.insertRows(
        '_socfeed_rule_current',
        8,
        [...next.values()].map((r) => [
          source,
          r.ruleId,
          r.hash,
          r.localPath,
          r.name,
          r.present,
          r.lastImportId,
          r.ruleJson,
        ]),
      );
      await this.insertRows(
        '_socfeed_rule_changes',
        7,
        changes.map((c) => [importId, source, c.ruleId, c.change, c.hash, c.previousHash ?? null, c.path]),
      );
      await this.insertRows(
        '_socfeed_rule_diagnostics',
        7,
        diagnostics.map((d) => [importId, d.file, d.line, d.column, d.severity, d.code, d.message]),
      );
      const counts = {
        new: changes.filter((c) => c.change === 'new').length,
        updated: changes.filter((c) => c.change === 'updated').length,
        unchanged: changes.filter((c) => c.change === 'unchanged').length,
        removed: changes.filter((c) => c.change === 'removed').length,
        errors: diagnostics.filter((d) => d.severity === 'error').length,
        warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      };
      const files = loads.reduce((n, l) => n + l.files.length, 0);
      const origin = loads[0]?.origin;
      await this.store.run(
        `INSERT INTO _socfeed_rule_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          importId,
          source,
          now.toISOString(),
          JSON.stringify(scope),
          origin?.repository ?? null,
          origin?.commit ?? null,
          files,
          rules.length,
          counts.new,
          counts.updated,
          counts.unchanged,
          counts.removed,
          counts.errors,
          counts.warnings,
        ],
      );
      return {
        importId,
        source,
        startedAt: now.toISOString(),
        files,
        rules: rules.length,
        counts,
        changes: changes.map(({ ruleId, name, change, path }) => ({ ruleId, name, change, path })),
        diagnostics,
      };
    });
  }

  /** Rules present now, optionally of one source, ordered by source and name. */
  async currentRules(source?: string): Promise<StoredRule[]> {
    const result = await this.store.query(
      `SELECT source, rule_json, last_import_id FROM _socfeed_rule_current
        WHERE present AND (? IS NULL OR source = ?) ORDER BY source, name, rule_id`,
      [source ?? null, source ?? null],
    );
    return result.rows.map((r) => ({
      source: String(r[0]),
      rule: JSON.parse(String(r[1])) as Rule,
      importId: Number(r[2]),
    }));
  }

  /** Every stored version of a rule, oldest first. */
  async versions(
    source: string,
    ruleId: string,
  ): Promise<{ contentHash: string; firstImportId: number; rule: Rule }[]> {
    const result = await this.store.query(
      `SELECT content_hash, first_import_id, rule_json FROM _socfeed_rule_versions
        WHERE source = ? AND rule_id = ? ORDER BY first_import_id`,
      [source, ruleId],
    );
    return result.rows.map((r) => ({
      contentHash: String(r[0]),
      firstImportId: Number(r[1]),
      rule: JSON.parse(String(r[2])) as Rule,
    }));
  }

  /**
   * Per rule of every source: when it first appeared (its first `new` import), when it last
   * changed (its latest `new` or `updated` import), and how many versions are stored. For feeds.
   */
  async publicationDates(): Promise<Map<string, { published: string; updated: string; versions: number }>> {
    const result = await this.store.query(
      `SELECT c.source, c.rule_id,
              min(i.started_at) FILTER (WHERE c.change = 'new'),
              max(i.started_at) FILTER (WHERE c.change IN ('new', 'updated')),
              (SELECT count(*) FROM _socfeed_rule_versions v WHERE v.source = c.source AND v.rule_id = c.rule_id)
         FROM _socfeed_rule_changes c JOIN _socfeed_rule_imports i ON i.import_id = c.import_id
        GROUP BY c.source, c.rule_id`,
    );
    const out = new Map<string, { published: string; updated: string; versions: number }>();
    for (const r of result.rows) {
      if (r[2] === null || r[3] === null) continue;
      out.set(publicationKey(String(r[0]), String(r[1])), {
        published: String(r[2]),
        updated: String(r[3]),
        versions: Number(r[4]),
      });
    }
    return out;
  }

  /** Names of the sources imported so far. */
  async sources(): Promise<string[]> {
    const result = await this.store.query(
      'SELECT DISTINCT source FROM _socfeed_rule_imports ORDER BY source',
    );
    return result.rows.map((r) => String(r[0]));
  }

  /** The changes one import recorded. */
  async changes(importId: number): Promise<{ ruleId: string; change: RuleChange }[]> {
    const result = await this.store.query(
      'SELECT rule_id, change FROM _socfeed_rule_changes WHERE import_id = ? ORDER BY rule_id',
      [importId],
    );
    return result.rows.map((r) => ({ ruleId: String(r[0]), change: String(r[1]) as RuleChange }));
  }

  private async nextImportId(): Promise<number> {
    const r = await this.store.query('SELECT coalesce(max(import_id), 0) + 1 FROM _socfeed_rule_imports');
    return Number(r.rows[0]![0]);
  }

  private async currentRows(source: string): Promise<Map<string, CurrentRow>> {
    const result = await this.store.query(
      `SELECT rule_id, content_hash, local_path, name, present, last_import_id, rule_json
         FROM _socfeed_rule_current WHERE source = ?`,
      [source],
    );
    const out = new Map<string, CurrentRow>();
    for (const r of result.rows) {
      out.set(String(r[0]), {
        ruleId: String(r[0]),
        hash: String(r[1]),
        localPath: String(r[2]),
        name: String(r[3]),
        present: r[4] === true,
        lastImportId: Number(r[5]),
        ruleJson: String(r[6]),
      });
    }
    return out;
  }

  private async insertVersions(source: string, importId: number, rules: Rule[]): Promise<void> {
    // A version seen before (a rule changed back) keeps its first import: INSERT OR IGNORE.
    for (let i = 0; i < rules.length; i += BATCH) {
      const chunk = rules.slice(i, i + BATCH);
      await this.store.run(
        `INSERT OR IGNORE INTO _socfeed_rule_versions VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [source, r.id, r.contentHash, importId, JSON.stringify(r)]),
      );
    }
  }

  private async insertRows(table: string, width: number, rows: DuckDBValue[][]): Promise<void> {
    const placeholders = `(${new Array(width).fill('?').join(', ')})`;
    for (let i = 0; i < rows.length; i += BATCH) {
      const chunk = rows.slice(i, i + BATCH);
      // `table` is one of this module's constant names, never user input.
      await this.store.run(
        `INSERT INTO ${table} VALUES ${chunk.map(() => placeholders).join(', ')}`,
        chunk.flat(),
      );
    }
  }
}

/** Key of `publicationDates()` entries. */
export function publicationKey(source: string, ruleId: string): string {
  return `${source}\u0000${ruleId}`;
}
