/**
 * A ClickHouse HTTP endpoint for tests, backed by chdb: enough of the HTTP interface (query text
 * in the body or the `query` parameter, settings as URL parameters, `FORMAT` in the query, data
 * after an INSERT in the body, errors as non-200 with ClickHouse's message) for the official
 * @clickhouse/client, so `--engine clickhouse --url …` is tested end to end without a server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChdbExecutor } from '../../src/engine/clickhouse/chdb.js';
import { settingsClause } from '../../src/engine/clickhouse/executor.js';
import { CLICKHOUSE_QUERY_SETTINGS } from '../../src/sql/dialects/clickhouse/dialect.js';

interface RawSession {
  query(q: string, format?: string): string;
}

export class ChdbHttpShim {
  private server: Server | undefined;
  readonly exec = ChdbExecutor.open();
  /** Every statement received (query text, without data). */
  readonly statements: string[] = [];

  private get session(): RawSession {
    // The executor's session runs the statements; the shim needs raw formats, so it reaches in.
    return (this.exec as unknown as { session: RawSession }).session;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://shim');
        const body = Buffer.concat(chunks).toString('utf8');
        const param = url.searchParams.get('query');
        const sql = param ?? body;
        const data = param !== null ? body : '';
        this.statements.push(sql);
        const settings: Record<string, string | number> = {};
        for (const [k, v] of url.searchParams)
          if (k in CLICKHOUSE_QUERY_SETTINGS) settings[k] = /^\d+$/.test(v) ? Number(v) : v;
        try {
          const m = /\s+FORMAT\s+(\w+)\s*$/i.exec(sql);
          let out: string;
          if (/^\s*INSERT\b/i.test(sql)) out = this.session.query(`${sql}\n${data}`, 'CSV');
          else if (m) out = this.session.query(sql.slice(0, m.index) + settingsClause(settings), m[1]!);
          else out = this.session.query(sql, 'CSV');
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Summary': '{}' });
          res.end(out);
        } catch (e) {
          res.writeHead(500, {
            'Content-Type': 'text/plain; charset=UTF-8',
            'X-ClickHouse-Exception-Code': '1',
          });
          res.end(String((e as Error).message));
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    await this.exec.close();
  }
}
