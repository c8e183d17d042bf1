import { UserError } from '../util/errors.js';
import {
  stringOpt,
  type CommandContext,
  type CommandResponse,
  type OptionSpec,
  type OptionValues,
} from './command.js';
import { formatCsv, formatJson, formatTable } from './format.js';
import { renderDiagnostics } from '../kql/diagnostics.js';
import { parseChoice } from './options.js';
import { openBackend, type KqlBackend } from '../engine/backend.js';
import { backendTarget, type HuntTarget } from '../hunt/target.js';

/**
 * `--engine duckdb|clickhouse|adx` and its connection flags, shared by `query`, `ingest`, `hunt`
 * and `rmm inventory`. DuckDB stays the default; the other engines are opened through
 * src/engine/backend.ts. Passwords are read from an environment variable named on the command
 * line, never from the command line itself.
 */
export const ENGINE_OPTIONS: Record<string, OptionSpec> = {
  engine: {
    type: 'string',
    value: 'ENGINE',
    description: 'duckdb (default, the --db store), clickhouse, or adx (Azure Data Explorer)',
  },
  url: { type: 'string', value: 'URL', description: 'ClickHouse HTTP endpoint, e.g. http://localhost:8123' },
  database: { type: 'string', value: 'DB', description: 'ClickHouse or ADX database' },
  user: { type: 'string', value: 'USER', description: 'ClickHouse user' },
  'password-env': {
    type: 'string',
    value: 'VAR',
    description: 'environment variable holding the ClickHouse password',
  },
  cluster: {
    type: 'string',
    value: 'URL',
    description:
      'ADX cluster URL (credentials: AZURE_CLIENT_ID/SECRET/TENANT_ID, SOCFEED_ADX_TOKEN, or device code)',
  },
};

export type EngineChoice = 'duckdb' | 'clickhouse' | 'adx';

export function engineChoice(values: OptionValues): EngineChoice {
  return parseChoice(values, 'engine', ['duckdb', 'clickhouse', 'adx'] as const, 'duckdb');
}

/** Opens the non-default engine named by the flags (never DuckDB: callers keep their own store path). */
export async function openRemoteBackend(
  ctx: CommandContext,
  engine: Exclude<EngineChoice, 'duckdb'>,
): Promise<KqlBackend> {
  const v = ctx.values;
  const database = stringOpt(v, 'database');
  if (engine === 'adx') {
    const cluster = stringOpt(v, 'cluster');
    if (!cluster)
      throw new UserError('SF-CLI-ARGS', '--engine adx needs --cluster URL and --database DB', {
        hint: 'e.g. --engine adx --cluster https://help.kusto.windows.net --database Samples',
      });
    if (!database) throw new UserError('SF-CLI-ARGS', '--engine adx needs --database DB');
    return openBackend({ engine: 'adx', cluster, database, env: ctx.env });
  }
  return openBackend({ engine: 'clickhouse', ...clickhouseConnection(ctx) });
}

/**
 * Where `hunt` and `rmm inventory` read telemetry when it is not the --db store (which still keeps
 * the rule catalog, runs and findings). ClickHouse gets one server session, so the hunt's shared
 * scans can stage candidate rows in temporary tables. ADX evaluates now() itself and takes KQL as
 * written, so a pinned --now and --lookback (a rewrite of every rule's scan) are refused.
 */
export async function openHuntTelemetry(
  ctx: CommandContext,
  engine: Exclude<EngineChoice, 'duckdb'>,
  opts: { maxExecutionSeconds?: number } = {},
): Promise<HuntTarget> {
  if (engine === 'adx') {
    for (const flag of ['now', 'lookback'])
      if (stringOpt(ctx.values, flag) !== undefined)
        throw new UserError('SF-CLI-ARGS', `--${flag} cannot be used with --engine adx`, {
          hint:
            flag === 'now'
              ? 'the cluster evaluates now() itself; drop --now'
              : "ADX runs each rule's KQL as written, with its own time window; drop --lookback",
        });
    return backendTarget(await openRemoteBackend(ctx, 'adx'), { pinNow: false });
  }
  return backendTarget(
    await openBackend({ engine: 'clickhouse', ...clickhouseConnection(ctx), session: true, ...opts }),
  );
}

export function clickhouseConnection(ctx: CommandContext): {
  url: string;
  database?: string;
  user?: string;
  password?: string;
} {
  const v = ctx.values;
  const url = stringOpt(v, 'url');
  if (!url)
    throw new UserError('SF-CLI-ARGS', '--engine clickhouse needs --url', {
      hint: 'e.g. --engine clickhouse --url http://localhost:8123 --database socfeed',
    });
  const passwordVar = stringOpt(v, 'password-env');
  let password: string | undefined;
  if (passwordVar !== undefined) {
    password = ctx.env[passwordVar];
    if (password === undefined)
      throw new UserError('SF-CLI-ENV', `--password-env names ${passwordVar}, which is not set`);
  }
  const database = stringOpt(v, 'database');
  const user = stringOpt(v, 'user');
  return {
    url,
    ...(database ? { database } : {}),
    ...(user ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** `socfeed query --engine clickhouse|adx …`: the same output as the DuckDB path. */
export async function runQueryOnEngine(
  ctx: CommandContext,
  engine: Exclude<EngineChoice, 'duckdb'>,
  q: { text: string; source: string; now?: Date; format: 'table' | 'json' | 'csv'; explain: boolean },
): Promise<CommandResponse> {
  const backend = await openRemoteBackend(ctx, engine);
  try {
    const opts = { source: q.source, ...(q.now ? { now: q.now } : {}) };
    if (q.explain) {
      const c = backend.explain(q.text, opts);
      const errors = c.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) return { output: renderDiagnostics(q.text, errors, q.source), exitCode: 2 };
      return { output: engine === 'adx' ? (c.text ?? '') : `${c.text ?? ''};` };
    }
    const result = await backend.runKql(q.text, opts);
    for (const w of result.warnings) ctx.note(renderDiagnostics(q.text, [w], q.source));
    if (q.format === 'json')
      return { output: formatJson(result, result.chart ? { chart: result.chart } : {}) };
    if (q.format === 'csv') return { output: formatCsv(result) };
    ctx.write(formatTable(result.columns, result.rows) + '\n');
    ctx.note(
      `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} (${backend.engine}: ${backend.target})`,
    );
    return {};
  } finally {
    await backend.close();
  }
}

/**
 * `socfeed ingest --engine clickhouse`: files are parsed, checked and de-duplicated into the
 * DuckDB store as usual (it is the staging area and keeps the de-duplication bookkeeping), then
 * the rows this run added are shipped to ClickHouse in batches. Re-ingesting the same input adds
 * no rows to the staging store, so nothing is shipped twice.
 */
export async function shipIngestToClickhouse(
  ctx: CommandContext,
  store: import('../store/store.js').Store,
  since: Date,
): Promise<string> {
  const { ClickhouseHttpExecutor } = await import('../engine/clickhouse/http.js');
  const { copyStoreToClickhouse } = await import('../engine/clickhouse/tables.js');
  const exec = new ClickhouseHttpExecutor(clickhouseConnection(ctx));
  try {
    const copied = await copyStoreToClickhouse(store, exec, {
      since,
      onProgress: (p) => ctx.note(`  ${p.table}: ${p.rows} rows sent`),
    });
    const total = copied.reduce((n, c) => n + c.rows, 0);
    return `shipped ${total} row${total === 1 ? '' : 's'} to ClickHouse ${exec.target}${copied.length ? ` (${copied.map((c) => `${c.table} ${c.rows}`).join(', ')})` : ''}`;
  } finally {
    await exec.close();
  }
}
