import { resolve } from 'node:path';
import {
  boolOpt,
  stringOpt,
  type CommandContext,
  type CommandDefinition,
  type CommandResponse,
} from '../command.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { RuleCatalogStore, type ImportSummary } from '../../rules/catalog-store.js';
import { checkRulePath, listRuleFiles, loadRules, type LoadResult } from '../../rules/load.js';
import { formatRuleDiagnostic, type RuleDiagnostic } from '../../rules/model.js';
import { isRemoteLocation, sourceOrigin } from '../../rules/provenance.js';
import { fetchRepository, type FetchedCheckout } from '../../rules/git-fetch.js';

/** Diagnostics shown per code before the rest are summarized as a count. */
const SHOWN_PER_CODE = 5;

export const rulesImportCommand: CommandDefinition = {
  name: 'rules import',
  summary: 'import Sentinel/Defender rule YAML (files or folders) into the rule catalog',
  usage: 'rules import PATH|GIT-URL... [--source NAME] [--origin URL] [--db FILE] [--json]',
  example: 'socfeed rules import ./Azure-Sentinel/"Hunting Queries" --source azure-sentinel',
  options: {
    db: { type: 'string', value: 'FILE', description: `store file (default ${DEFAULT_DB_PATH})` },
    source: {
      type: 'string',
      value: 'NAME',
      description: 'source name (default: the repository or folder name)',
    },
    origin: {
      type: 'string',
      value: 'URL',
      description: 'GitHub URL of the files when PATH is a copy, not a git checkout (links to the original)',
    },
    json: { type: 'boolean', description: 'print the import result as JSON' },
  },
  positionals: { min: 1, max: Infinity },
  async run(ctx) {
    // Every local argument is checked before anything is fetched, read or written.
    for (const p of ctx.positionals) if (!isRemoteLocation(p)) checkRulePath(p);
    const fetched: FetchedCheckout[] = [];
    try {
      const paths: string[] = [];
      for (const p of ctx.positionals) {
        if (!isRemoteLocation(p)) {
          paths.push(p);
          continue;
        }
        ctx.note(`cloning ${p} …`);
        const checkout = await fetchRepository(p);
        fetched.push(checkout);
        paths.push(checkout.dir);
      }
      return await importPaths(ctx, paths);
    } finally {
      for (const f of fetched) f.cleanup();
    }
  },
};

async function importPaths(ctx: CommandContext, paths: string[]): Promise<CommandResponse> {
  const origin = stringOpt(ctx.values, 'origin');
  const source = stringOpt(ctx.values, 'source') ?? defaultSourceName(paths[0]!, origin);
  const total = paths.reduce((n, p) => n + listRuleFiles(p).length, 0);
  const now = new Date();
  ctx.progress.phase('reading rules', total);
  const loads: LoadResult[] = paths.map((p) =>
    loadRules(p, { now, onFile: () => ctx.progress.tick(), ...(origin ? { origin } : {}) }),
  );
  ctx.progress.phase('storing');
  const store = await Store.open(stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH);
  let summary: ImportSummary;
  try {
    const catalog = await RuleCatalogStore.open(store);
    summary = await catalog.importRules(source, loads, paths, now);
  } finally {
    store.close();
  }
  ctx.progress.done();
  const exitCode = summary.counts.errors > 0 ? 1 : 0;
  if (boolOpt(ctx.values, 'json')) return { output: JSON.stringify(summary, null, 2), exitCode };
  return { output: humanSummary(summary), exitCode };
}

/** `owner/name` → `name`; a plain folder keeps its name. */
function defaultSourceName(path: string, origin?: string): string {
  const repo = sourceOrigin(resolve(path), origin).repository;
  return repo.split('/').pop()!;
}

function humanSummary(s: ImportSummary): string {
  const c = s.counts;
  const lines = [
    `imported ${s.rules} rule${s.rules === 1 ? '' : 's'} from ${s.files} file${s.files === 1 ? '' : 's'} into source '${s.source}' (import #${s.importId})`,
    `  new ${c.new} · updated ${c.updated} · unchanged ${c.unchanged} · removed ${c.removed} · errors ${c.errors} · warnings ${c.warnings}`,
  ];
  const changed = s.changes.filter(
    (x) => x.change === 'updated' || x.change === 'removed' || (x.change === 'new' && c.new <= 20),
  );
  for (const x of changed.slice(0, 50)) lines.push(`  ${x.change.padEnd(8)} ${x.ruleId}  ${x.name}`);
  if (changed.length > 50) lines.push(`  … and ${changed.length - 50} more changes (see --json)`);
  lines.push(...diagnosticLines(s.diagnostics));
  return lines.join('\n');
}

/** Errors, then warnings; at most a few per code, the rest counted. Info lines are only counted. */
function diagnosticLines(diags: RuleDiagnostic[]): string[] {
  const out: string[] = [];
  for (const severity of ['error', 'warning'] as const) {
    const byCode = new Map<string, RuleDiagnostic[]>();
    for (const d of diags.filter((x) => x.severity === severity)) {
      if (!byCode.has(d.code)) byCode.set(d.code, []);
      byCode.get(d.code)!.push(d);
    }
    for (const [code, list] of byCode) {
      for (const d of list.slice(0, SHOWN_PER_CODE)) out.push(formatRuleDiagnostic(d));
      if (list.length > SHOWN_PER_CODE)
        out.push(`  … and ${list.length - SHOWN_PER_CODE} more ${code} ${severity}s`);
    }
  }
  const info = diags.filter((d) => d.severity === 'info').length;
  if (info > 0) out.push(`  ${info} YAML file${info === 1 ? '' : 's'} without rule fields ignored`);
  return out;
}
