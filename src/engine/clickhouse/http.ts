import { randomUUID } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { RuntimeFailure, UserError, redactSecrets } from '../../util/errors.js';
import type { ChResult, ClickhouseExecutor } from './executor.js';
import { quoteIdentClickhouse } from '../../sql/dialects/clickhouse/ddl.js';

export interface ClickhouseHttpOptions {
  url: string;
  database?: string;
  user?: string;
  password?: string;
  /** Send every query in one server session (temporary tables need it; queries must not overlap). */
  session?: boolean;
  /** The server stops any statement running longer (ClickHouse's max_execution_time). */
  maxExecutionSeconds?: number;
}

/** A ClickHouse server (or cluster entry point) over HTTP with the official client. */
export class ClickhouseHttpExecutor implements ClickhouseExecutor {
  readonly target: string;
  private readonly client: ClickHouseClient;

  constructor(opts: ClickhouseHttpOptions) {
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      throw new UserError('SF-CH-URL', `not a URL: ${redactSecrets(opts.url)}`, {
        hint: 'e.g. --url http://localhost:8123',
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UserError('SF-CH-URL', `ClickHouse URL must be http(s): ${redactSecrets(opts.url)}`);
    this.target = redactSecrets(`${url.origin}${opts.database ? `/${opts.database}` : ''}`);
    this.client = createClient({
      url: url.origin,
      ...(opts.database ? { database: opts.database } : {}),
      ...(opts.user ? { username: opts.user } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      application: 'socfeed',
      ...(opts.session ? { session_id: `socfeed-${randomUUID()}` } : {}),
      ...(opts.maxExecutionSeconds !== undefined
        ? { clickhouse_settings: { max_execution_time: opts.maxExecutionSeconds } }
        : {}),
      // The client would print its own stack traces; failures are reported once, as socfeed errors.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  private fail(e: unknown): never {
    const msg = redactSecrets((e as Error).message ?? String(e)).split('\n')[0]!;
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/i.test(msg)) {
      throw new UserError('SF-CH-UNREACHABLE', `cannot reach ClickHouse at ${this.target}: ${msg}`, {
        hint: 'check --url, and that the server listens on its HTTP port (8123)',
      });
    }
    if (/Authentication failed|AUTHENTICATION_FAILED|REQUIRED_PASSWORD/i.test(msg)) {
      throw new UserError('SF-CH-AUTH', `ClickHouse at ${this.target} rejected the credentials`, {
        hint: 'check --user and the variable named by --password-env',
      });
    }
    throw new RuntimeFailure('SF-ENGINE', `ClickHouse (${this.target}) failed: ${msg}`);
  }

  async query(sql: string, settings: Record<string, string | number> = {}): Promise<ChResult> {
    try {
      const rs = await this.client.query({
        query: sql,
        format: 'JSONCompact', // The client types settings by name; ours are the fixed CLICKHOUSE_QUERY_SETTINGS.
        clickhouse_settings: settings as Record<string, never>,
      });
      const body = (await rs.json()) as ChResult;
      return { meta: body.meta, data: body.data };
    } catch (e) {
      this.fail(e);
    }
  }

  async command(sql: string): Promise<void> {
    try {
      await this.client.command({ query: sql });
    } catch (e) {
      this.fail(e);
    }
  }

  async insertJsonEachRow(table: string, lines: string): Promise<void> {
    if (!lines) return;
    const values = lines
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      await this.client.insert({ table: quoteIdentClickhouse(table), values, format: 'JSONEachRow' });
    } catch (e) {
      this.fail(e);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
