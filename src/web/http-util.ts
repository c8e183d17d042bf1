import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserError } from '../util/errors.js';

const MAX_BODY = 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  type: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** A request the client got wrong: answered with its status and a JSON error (or an error page). */
export class HttpError extends UserError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    opts: { hint?: string } = {},
  ) {
    super(code, message, opts);
  }
}

/** The JSON body of a POST, at most 1 MiB, which must be an object. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'SF-WEB-BODY', 'the request body is larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'SF-WEB-JSON', 'the request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, 'SF-WEB-JSON', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** An optional ISO 8601 time from a request field (`now`). */
export function optionalTime(v: unknown, field: string): Date | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new HttpError(400, 'SF-WEB-TIME', `${field} must be an ISO 8601 time, e.g. 2026-06-01T12:00:00Z`);
  return d;
}

/** An optional row count, capped at `max`. */
export function rowCount(v: unknown, fallback: number, max: number): number {
  if (v === undefined || v === null || v === '') return Math.min(fallback, max);
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new HttpError(400, 'SF-WEB-ROWS', 'maxRows must be a whole number ≥ 1');
  return Math.min(n, max);
}
