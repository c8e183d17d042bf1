/**
 * A local HTTP server speaking the documented Azure Data Explorer query protocol: POST
 * /v2/rest/query with {db, csl, properties} and a bearer token, answered by a v2 response (a JSON
 * array of frames: DataSetHeader, DataTable… with TableKind PrimaryResult, DataSetCompletion), or a
 * 4xx error body {error: {code, message, @message}}. No cluster is reachable from the test machines;
 * this is what the client is tested against.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: { db?: string; csl?: string; properties?: unknown };
}

export interface V2Table {
  columns: { ColumnName: string; ColumnType: string }[];
  rows: unknown[][];
}

export type Reply =
  { status: 200; table: V2Table } | { status: number; error: { code: string; message: string } };

export function v2Frames(t: V2Table): unknown[] {
  return [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableKind: 'QueryProperties',
      TableName: '@ExtendedProperties',
      Columns: [
        { ColumnName: 'TableId', ColumnType: 'int' },
        { ColumnName: 'Key', ColumnType: 'string' },
        { ColumnName: 'Value', ColumnType: 'dynamic' },
      ],
      Rows: [[1, 'Visualization', '{"Visualization":null}']],
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableKind: 'PrimaryResult',
      TableName: 'PrimaryResult',
      Columns: t.columns,
      Rows: t.rows,
    },
    {
      FrameType: 'DataTable',
      TableId: 2,
      TableKind: 'QueryCompletionInformation',
      TableName: 'QueryCompletionInformation',
      Columns: [
        { ColumnName: 'Timestamp', ColumnType: 'datetime' },
        { ColumnName: 'ClientRequestId', ColumnType: 'string' },
        { ColumnName: 'ActivityId', ColumnType: 'guid' },
        { ColumnName: 'SubActivityId', ColumnType: 'guid' },
        { ColumnName: 'ParentActivityId', ColumnType: 'guid' },
        { ColumnName: 'Level', ColumnType: 'int' },
        { ColumnName: 'LevelName', ColumnType: 'string' },
        { ColumnName: 'StatusCode', ColumnType: 'int' },
        { ColumnName: 'StatusCodeName', ColumnType: 'string' },
        { ColumnName: 'EventType', ColumnType: 'int' },
        { ColumnName: 'EventTypeName', ColumnType: 'string' },
        { ColumnName: 'Payload', ColumnType: 'string' },
      ],
      Rows: [],
    },
    { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
  ];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeAdx {
  readonly requests: RecordedRequest[] = [];
  reply: Reply = { status: 200, table: { columns: [], rows: [] } };
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void (async () => {
        const text = await readBody(req);
        const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '' };
        if (req.headers.authorization) rec.authorization = req.headers.authorization;
        if (text) rec.body = JSON.parse(text) as RecordedRequest['body'];
        this.requests.push(rec);
        if (req.url?.startsWith('/v1/rest/auth/metadata')) {
          res.writeHead(404).end();
          return;
        }
        if (req.method !== 'POST' || !req.url?.startsWith('/v2/rest/query')) {
          res.writeHead(404).end();
          return;
        }
        const r = this.reply;
        res.writeHead(r.status, { 'Content-Type': 'application/json' });
        if ('table' in r) res.end(JSON.stringify(v2Frames(r.table)));
        else
          res.end(
            JSON.stringify({
              error: { code: r.error.code, message: r.error.message, '@message': r.error.message },
            }),
          );
      })();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
