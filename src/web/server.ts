import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KqlCompileError } from '../engine/run.js';
import { RuntimeFailure, UserError } from '../util/errors.js';
import { DEFAULT_LIMITS, type RunLimits } from './console-run.js';
import { HttpError, readJsonBody, sendHtml, sendJson } from './http-util.js';
import {
  hostAllowed,
  isLoopback,
  postAllowed,
  requestToken,
  securityHeaders,
  TOKEN_COOKIE,
  tokenMatches,
} from './security.js';
import { clientBuilt, defaultAssetsDir, readAsset } from './static.js';
import { WebState } from './state.js';
import { routes } from './routes.js';
import { DEFAULT_DB_PATH } from '../store/store.js';
import type { Policy } from '../hunt/policy.js';
import type { HuntTarget } from '../hunt/target.js';
import { errorPage } from './pages/error.js';

export interface ServeOptions {
  db?: string;
  host?: string;
  port?: number;
  token?: string;
  limits?: Partial<RunLimits>;
  /** Approved-tools policy for hunts run from the Hunts page (see `socfeed hunt --policy`). */
  policy?: Policy;
  /** Telemetry on another engine (`serve --engine clickhouse`); default: the store. */
  telemetry?: HuntTarget;
  /** The built client (default `dist/web`). */
  assetsDir?: string;
  note?: (text: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  state: WebState;
  close(): Promise<void>;
}

export const MIN_TOKEN_LENGTH = 16;

/** Checks the options before anything is opened, so a refused configuration touches nothing. */
export function checkServeOptions(o: ServeOptions): void {
  const host = o.host ?? '127.0.0.1';
  if (o.token !== undefined && o.token.length < MIN_TOKEN_LENGTH)
    throw new UserError('SF-WEB-TOKEN', `the token must be at least ${MIN_TOKEN_LENGTH} characters long`, {
      hint: 'e.g. --token "$(openssl rand -hex 24)"',
    });
  if (!isLoopback(host) && o.token === undefined)
    throw new UserError(
      'SF-WEB-TOKEN',
      `listening on ${host} makes the app reachable from other machines: a token is required`,
      {
        hint: 'pass --token TOKEN (or set SOCFEED_TOKEN), or leave out --host to listen on 127.0.0.1 only',
      },
    );
}

/** Starts the web app and its JSON API on one port. */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  checkServeOptions(o);
  const host = o.host ?? '127.0.0.1';
  const assetsDir = o.assetsDir ?? defaultAssetsDir();
  if (!clientBuilt(assetsDir))
    throw new UserError('SF-WEB-CLIENT', `the web client is not built (no ${assetsDir}/assets/app.js)`, {
      hint: 'run `npm run build` in the socfeed folder',
    });
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...o.limits };
  const note = o.note ?? (() => {});
  const state = await WebState.open(
    o.db,
    note,
    o.telemetry
      ? `${o.telemetry.backend.engine}: ${o.telemetry.backend.target} (runs in ${o.db ?? DEFAULT_DB_PATH})`
      : (o.db ?? DEFAULT_DB_PATH),
    o.telemetry,
  );
  let port = o.port ?? 8080;
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => fail(req, res, e));
  });

  const ctx = {
    state,
    limits,
    policy: o.policy,
    token: o.token,
    get port() {
      return port;
    },
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (o.token === undefined && !hostAllowed(req, port))
      throw new HttpError(
        403,
        'SF-WEB-HOST',
        'this server answers only requests addressed to 127.0.0.1 or localhost',
      );
    if (url.pathname.startsWith('/assets/')) {
      const asset = readAsset(assetsDir, url.pathname);
      if (!asset) throw new HttpError(404, 'SF-WEB-NOT-FOUND', 'no such file');
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
      res.end(asset.body);
      return;
    }
    if (o.token !== undefined && !signIn(req, res, url, o.token)) return;
    if (req.method === 'POST') {
      const refused = postAllowed(req);
      if (refused) throw new HttpError(403, 'SF-WEB-POST', refused);
    }
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      const body = req.method === 'POST' ? await readJsonBody(req) : {};
      await route.handle({ ...ctx, req, res, url, params: m.slice(1).map(decodeURIComponent), body });
      return;
    }
    throw new HttpError(404, 'SF-WEB-NOT-FOUND', `nothing at ${url.pathname}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      state.close();
      reject(
        e.code === 'EADDRINUSE'
          ? new UserError('SF-WEB-PORT', `port ${port} on ${host} is in use`, {
              hint: 'pass another --port, or --port 0 for any free port',
            })
          : new RuntimeFailure('SF-WEB-LISTEN', `cannot listen on ${host}:${port}: ${e.message}`),
      );
    });
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          state.close();
          resolve();
        });
      }),
  };
}

/**
 * With a token, every request but the static client must carry it. A browser signs in once by
 * opening the printed URL with `?token=…`: the token moves into an HttpOnly, SameSite=Strict
 * cookie and the address bar is cleaned. API clients send `Authorization: Bearer …`.
 */
function signIn(req: IncomingMessage, res: ServerResponse, url: URL, token: string): boolean {
  const given = url.searchParams.get('token');
  if (given !== null && req.method === 'GET') {
    if (!tokenMatches(given, token)) throw new HttpError(401, 'SF-WEB-AUTH', 'wrong token');
    url.searchParams.delete('token');
    res.writeHead(303, {
      'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      Location: url.pathname + url.search,
    });
    res.end();
    return false;
  }
  const carried = requestToken(req);
  if (carried === undefined || !tokenMatches(carried, token))
    throw new HttpError(401, 'SF-WEB-AUTH', 'this server needs its token', {
      hint: 'open the URL `socfeed serve` printed (it carries ?token=…), or send Authorization: Bearer TOKEN',
    });
  return true;
}

function fail(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const api = (req.url ?? '').startsWith('/api/');
  let status = 500;
  let body: { error: Record<string, unknown> };
  if (e instanceof KqlCompileError) {
    status = 400;
    body = compileError(e);
  } else if (e instanceof UserError) {
    status = e instanceof HttpError ? e.status : 400;
    body = { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  } else if (e instanceof RuntimeFailure) {
    body = { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  } else {
    // Internal details stay in the server's log, not in the response.
    console.error('socfeed serve: internal error', e);
    body = { error: { code: 'SF-WEB-INTERNAL', message: 'internal error (a bug; see the server log)' } };
  }
  if (api || req.method === 'POST') sendJson(res, status, body);
  else
    sendHtml(
      res,
      status,
      errorPage(status, String(body.error['message']), body.error['hint'] as string | undefined),
    );
}

function compileError(e: KqlCompileError) {
  return {
    error: {
      code: e.code,
      message: e.message,
      diagnostics: e.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        start: d.span.start,
        end: d.span.end,
        ...(d.hint ? { hint: d.hint } : {}),
      })),
    },
  };
}
