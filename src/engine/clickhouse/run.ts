import type { SchemaCatalog } from '../../schema/index.js';
import { hasErrors, renderDiagnostics } from '../../kql/diagnostics.js';
import { compileKql, lowerToSql, type CompileResult } from '../../sql/compile.js';
import type { IrExpr } from '../../sql/ir/expr.js';
import type { Rel } from '../../sql/ir/nodes.js';
import { mapRel } from '../../sql/ir/walk.js';
import { getDialect } from '../../sql/dialects/registry.js';
import { CLICKHOUSE_QUERY_SETTINGS } from '../../sql/dialects/clickhouse/dialect.js';
import { KqlCompileError, type RunOptions, type RunResult } from '../run.js';
import { RuntimeFailure, UserError } from '../../util/errors.js';
import type { ClickhouseExecutor } from './executor.js';
import { decodeChCell } from './decode.js';
import { discoverBagKeys, type RunSql } from '../bag-keys.js';

function failOn(kql: string, result: CompileResult, source?: string): void {
  if (hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    throw new KqlCompileError(result.diagnostics, renderDiagnostics(kql, errors, source));
  }
}

async function run(exec: ClickhouseExecutor, sql: string) {
  try {
    return await exec.query(sql, CLICKHOUSE_QUERY_SETTINGS);
  } catch (e) {
    if (e instanceof UserError || e instanceof RuntimeFailure) throw e;
    throw new RuntimeFailure(
      'SF-ENGINE',
      `ClickHouse could not run the compiled query: ${(e as Error).message.split('\n')[0]}`,
      {
        hint: 'this is likely a socfeed bug; run with --explain to see the SQL and report it',
        cause: e,
      },
    );
  }
}

/** Compiler-made SQL run with the dialect's settings, cells decoded to the given columns' KQL types. */
function runOn(exec: ClickhouseExecutor): RunSql {
  return async (sql, columns) => {
    const res = await run(exec, sql);
    return res.data.map((r) => columns.map((c, i) => decodeChCell(r[i], c.type)));
  };
}

/**
 * has_any/has_all over a tabular argument: run the subquery first and inline its values (as the
 * DuckDB runner does), so the term match is one RE2 pattern instead of a correlated EXISTS.
 * mapRel copies nodes, so subqueries are matched by visiting order, not object identity.
 */
async function resolveConstantLists(exec: ClickhouseExecutor, rel: Rel): Promise<Rel> {
  const isTabularHas = (e: IrExpr): e is Extract<IrExpr, { kind: 'call' }> =>
    e.kind === 'call' && (e.fn === 'has_any' || e.fn === 'has_all') && e.args[1]?.kind === 'subquery';
  const pending: Extract<IrExpr, { kind: 'subquery' }>[] = [];
  mapRel(rel, {
    expr(e) {
      if (isTabularHas(e)) pending.push(e.args[1] as Extract<IrExpr, { kind: 'subquery' }>);
      return undefined;
    },
  });
  if (pending.length === 0) return rel;
  const values: IrExpr[][] = [];
  for (const sq of pending) {
    const inner = await resolveConstantLists(exec, sq.rel);
    const lowered = lowerToSql(inner, getDialect('clickhouse'));
    if (!lowered.sql) return rel;
    const res = await run(exec, lowered.sql);
    const type = sq.rel.cols[0]!.type;
    values.push(
      res.data.map(
        (r) => ({ kind: 'const', type: 'string', value: String(decodeChCell(r[0], type) ?? '') }) as IrExpr,
      ),
    );
  }
  let i = 0;
  return mapRel(rel, {
    expr(e) {
      if (!isTabularHas(e)) return undefined;
      const items = values[i++];
      return items ? { ...e, args: [e.args[0]!, { kind: 'list', type: 'string', items }] } : undefined;
    },
  });
}

/** The ClickHouse SQL for a query (what `--explain` prints). */
export function compileForClickhouse(
  schema: SchemaCatalog,
  kql: string,
  opts: RunOptions = {},
): CompileResult {
  return compileKql(kql, {
    schema,
    dialect: 'clickhouse',
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.bagKeys ? { bagKeys: opts.bagKeys } : {}),
  });
}

/** Compiles KQL for ClickHouse and runs it, returning rows in the same KQL JSON form as runKql. */
export async function runKqlOnClickhouse(
  exec: ClickhouseExecutor,
  schema: SchemaCatalog,
  kql: string,
  opts: RunOptions = {},
): Promise<RunResult> {
  let compiled = compileForClickhouse(schema, kql, opts);
  // bag_unpack / pivot taking their columns from the data: the same discovery rounds as runKql
  // (../run.ts), with the discovery queries lowered for ClickHouse and run here.
  for (
    let round = 0;
    round < 3 && hasErrors(compiled.diagnostics) && compiled.bagKeyRequests?.length;
    round++
  ) {
    const found = await discoverBagKeys(getDialect('clickhouse'), runOn(exec), compiled.bagKeyRequests);
    if (!found) break;
    opts = { ...opts, bagKeys: { ...opts.bagKeys, ...found } };
    compiled = compileForClickhouse(schema, kql, opts);
  }
  failOn(kql, compiled, opts.source);
  let rel = compiled.rel!;
  let sql = compiled.sql!;
  const resolved = await resolveConstantLists(exec, rel);
  if (resolved !== rel) {
    rel = resolved;
    const lowered = lowerToSql(rel, getDialect('clickhouse'), kql);
    failOn(kql, { ...compiled, diagnostics: [...compiled.diagnostics, ...lowered.diagnostics] }, opts.source);
    sql = lowered.sql!;
  }
  const columns = rel.cols.map((c) => ({ name: c.name, type: c.type }));
  let text = sql;
  if (opts.maxRows !== undefined)
    text = `SELECT * FROM (\n${sql}\n) AS capped LIMIT ${Math.max(0, Math.floor(opts.maxRows)) + 1}`;
  const raw = await run(exec, text);
  let rows = raw.data;
  let truncated = false;
  if (opts.maxRows !== undefined && rows.length > opts.maxRows) {
    rows = rows.slice(0, opts.maxRows);
    truncated = true;
  }
  const result: RunResult = {
    columns,
    rows: rows.map((r) => columns.map((c, i) => decodeChCell(r[i], c.type))),
    warnings: compiled.diagnostics.filter((d) => d.severity === 'warning'),
    sql,
    truncated,
  };
  if (compiled.chart) result.chart = compiled.chart;
  return result;
}
