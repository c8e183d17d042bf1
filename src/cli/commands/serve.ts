import { stringOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, parsePositiveInt } from '../options.js';
import { UserError } from '../../util/errors.js';
import { POLICY_OPTION, readPolicy } from '../../hunt/options.js';
import { checkServeOptions, startServer } from '../../web/server.js';
import { ENGINE_OPTIONS, engineChoice, openHuntTelemetry } from '../engine-options.js';
import type { HuntTarget } from '../../hunt/target.js';

export const serveCommand: CommandDefinition = {
  name: 'serve',
  summary: 'serve the web app (feed, rule pages, coverage, hunts, query console) and its JSON API',
  usage:
    'serve [--db PATH] [--host 127.0.0.1] [--port 8080] [--token TOKEN] [--policy FILE] [--max-rows N] [--timeout SECONDS] [--engine duckdb|clickhouse …]',
  example: 'socfeed serve --db socfeed.duckdb',
  options: {
    db: DB_OPTION,
    host: {
      type: 'string',
      value: 'HOST',
      description: 'address to listen on (default 127.0.0.1; any other needs --token)',
    },
    port: {
      type: 'string',
      value: 'PORT',
      description: 'port to listen on (default 8080; 0 picks a free one)',
    },
    token: {
      type: 'string',
      value: 'TOKEN',
      description: 'require this token on every request (or set SOCFEED_TOKEN); at least 16 characters',
    },
    'max-rows': {
      type: 'string',
      value: 'N',
      description: 'rows a console query or rule run returns at most (default 1000, at most 10000)',
    },
    timeout: {
      type: 'string',
      value: 'SECONDS',
      description: 'time-out of a console query or rule run (default 30)',
    },
    policy: POLICY_OPTION,
    ...ENGINE_OPTIONS,
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const host = stringOpt(ctx.values, 'host') ?? '127.0.0.1';
    const port = parsePort(stringOpt(ctx.values, 'port'));
    const token = stringOpt(ctx.values, 'token') ?? (ctx.env['SOCFEED_TOKEN'] || undefined);
    const maxRows = Math.min(parsePositiveInt(ctx.values, 'max-rows', 1000), 10_000);
    const timeoutMs = parsePositiveInt(ctx.values, 'timeout', 30) * 1000;
    const db = stringOpt(ctx.values, 'db');
    checkServeOptions({ host, token });
    const policy = readPolicy(ctx.values);
    const engine = engineChoice(ctx.values);
    if (engine === 'adx')
      throw new UserError('SF-CLI-ARGS', 'serve runs on DuckDB or ClickHouse, not Azure Data Explorer', {
        hint: 'use `socfeed query --engine adx` or `socfeed hunt --engine adx`',
      });
    // Console queries, rule runs and hunts read ClickHouse; the server stops each statement at --timeout.
    const telemetry: HuntTarget | undefined =
      engine === 'clickhouse'
        ? await openHuntTelemetry(ctx, engine, { maxExecutionSeconds: timeoutMs / 1000 })
        : undefined;
    let server;
    try {
      server = await startServer({
        ...(db ? { db } : {}),
        host,
        port,
        token,
        limits: { maxRows, timeoutMs },
        ...(policy ? { policy } : {}),
        ...(telemetry ? { telemetry } : {}),
        note: ctx.note,
      });
    } catch (e) {
      await telemetry?.backend.close();
      throw e;
    }
    const open = token ? `${server.url}?token=${encodeURIComponent(token)}` : server.url;
    ctx.write(`socfeed is serving ${server.state.rules.length} rules at ${open}\n`);
    ctx.note('press Ctrl+C to stop');
    // Serve until interrupted; the store is closed cleanly so its file is not left locked.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    await telemetry?.backend.close();
    return {};
  },
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8080;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535)
    throw new UserError('SF-CLI-PORT', `--port must be a number from 0 to 65535 (got '${text}')`);
  return n;
}
