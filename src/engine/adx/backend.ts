import { Client, type KustoResultTable } from 'azure-kusto-data';
import type { SchemaCatalog } from '../../schema/index.js';
import { defenderSchema } from '../../schema/index.js';
import { analyzeKql } from '../../sql/compile.js';
import { RuntimeFailure, UserError, redactSecrets } from '../../util/errors.js';
import type { ExplainResult, KqlBackend } from '../backend.js';
import type { RunOptions, RunResult } from '../run.js';
import { adxColumnType, decodeAdxCell } from './decode.js';
import { adxConnection } from './auth.js';

export interface AdxSpec {
  cluster: string;
  database: string;
  env?: NodeJS.ProcessEnv;
  schema?: SchemaCatalog;
  /** Where device-code instructions go (stderr in the CLI). */
  note?: (text: string) => void;
}

/**
 * Azure Data Explorer / Log Analytics pass-through: the rule's KQL is sent unchanged (ADX is the
 * reference implementation), through Microsoft's client; the answer is mapped to socfeed's KQL
 * JSON form. `now` cannot be pinned remotely, so a pinned `--now` is refused rather than ignored.
 */
export class AdxBackend implements KqlBackend {
  readonly engine = 'adx' as const;
  private constructor(
    private readonly client: Client,
    readonly target: string,
    private readonly database: string,
    readonly schema: SchemaCatalog,
  ) {}

  static async open(spec: AdxSpec): Promise<AdxBackend> {
    if (!spec.database) throw new UserError('SF-ADX-DB', '--engine adx needs --database DB');
    const { kcsb } = adxConnection(
      spec.cluster,
      spec.env ?? process.env,
      spec.note ?? ((t) => process.stderr.write(`${t}\n`)),
    );
    const url = new URL(spec.cluster);
    return new AdxBackend(
      new Client(kcsb),
      `${url.protocol}//${url.host}/${spec.database}`,
      spec.database,
      spec.schema ?? defenderSchema(),
    );
  }

  async runKql(kql: string, opts: RunOptions = {}): Promise<RunResult> {
    if (opts.now)
      throw new UserError(
        'SF-ADX-NOW',
        '--now cannot be pinned on Azure Data Explorer: the cluster evaluates now() itself',
        { hint: 'drop --now, or run the hunt on DuckDB/ClickHouse' },
      );
    let table: KustoResultTable | undefined;
    try {
      const response = await this.client.execute(this.database, kql);
      table = response.primaryResults[0];
    } catch (e) {
      throw this.failure(e);
    }
    if (!table)
      throw new RuntimeFailure(
        'SF-ADX-RESULT',
        `Azure Data Explorer (${this.target}) returned no primary result`,
      );
    const columns = table.columns.map((c, i) => ({
      name: c.name ?? `Column${i + 1}`,
      type: adxColumnType(c.type),
    }));
    // _rows holds the cells as sent; the client's row objects would turn datetimes into JS Dates (ms precision).
    let rows = table._rows as unknown[][];
    let truncated = false;
    if (opts.maxRows !== undefined && rows.length > opts.maxRows) {
      rows = rows.slice(0, opts.maxRows);
      truncated = true;
    }
    return {
      columns,
      rows: rows.map((r) => columns.map((c, i) => decodeAdxCell(r[i], c.type))),
      warnings: [],
      sql: kql,
      truncated,
    };
  }

  private failure(e: unknown): Error {
    const err = e as {
      message?: string;
      response?: { status?: number; data?: { error?: { message?: string; '@message'?: string } } };
    };
    const status = err.response?.status;
    const detail =
      err.response?.data?.error?.['@message'] ??
      err.response?.data?.error?.message ??
      err.message ??
      String(e);
    const msg = redactSecrets(String(detail)).split('\n')[0]!;
    if (status === 401 || status === 403)
      return new UserError(
        'SF-ADX-AUTH',
        `Azure Data Explorer (${this.target}) refused the credentials: ${msg}`,
        { hint: 'set AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID, or SOCFEED_ADX_TOKEN' },
      );
    if (status === 400)
      return new UserError('SF-ADX-QUERY', `Azure Data Explorer (${this.target}) rejected the query: ${msg}`);
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(msg))
      return new UserError(
        'SF-ADX-UNREACHABLE',
        `cannot reach Azure Data Explorer at ${this.target}: ${msg}`,
      );
    return new RuntimeFailure('SF-ADX', `Azure Data Explorer (${this.target}) failed: ${msg}`);
  }

  /** The KQL is sent as written; locally it is only parsed and bound (schema check, advisory). */
  explain(kql: string, opts: RunOptions = {}): ExplainResult {
    const a = analyzeKql(kql, { schema: this.schema, ...(opts.now ? { now: opts.now } : {}) });
    return { text: kql, diagnostics: a.diagnostics };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
