import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { defenderSchema, type TableSchema } from '../src/schema/index.js';

/**
 * Realistic Defender XDR streaming-API Storage files (one record per line, the blob layout of
 * `insights-logs-advancedhunting-<table>/.../PT1H.json`) for the ingest benchmark: every column
 * of the table present (null where MDE leaves it empty), 7-digit ISO timestamps, dynamic columns
 * as JSON text, MachineGroup on every record, plausible process/network values.
 */

/** Small deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROCESSES = [
  [
    'powershell.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\',
    'Microsoft Corporation',
    'Windows PowerShell',
  ],
  ['cmd.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', 'Windows Command Processor'],
  ['svchost.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', 'Host Process for Windows Services'],
  ['AnyDesk.exe', 'C:\\Program Files (x86)\\AnyDesk\\', 'philandro Software GmbH', 'AnyDesk'],
  ['TeamViewer.exe', 'C:\\Program Files\\TeamViewer\\', 'TeamViewer Germany GmbH', 'TeamViewer'],
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\', 'Google LLC', 'Google Chrome'],
  [
    'msedge.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\',
    'Microsoft Corporation',
    'Microsoft Edge',
  ],
  ['rundll32.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', 'Windows host process (Rundll32)'],
] as const;

class RecordFactory {
  private readonly r: () => number;
  private t = Date.parse('2025-03-01T00:00:00Z');

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }

  private ts(offsetMs = 0): string {
    const d = new Date(this.t - offsetMs).toISOString();
    return `${d.slice(0, 23)}${String(this.int(10000)).padStart(4, '0')}Z`;
  }

  /** One value for a column, by name and type, in the shape the streaming API sends it. */
  private value(
    table: TableSchema,
    name: string,
    type: string,
    proc: (typeof PROCESSES)[number],
    device: number,
  ): unknown {
    const [file, folder, company, description] = proc;
    if (name === 'Timestamp') return this.ts();
    if (name === 'DeviceId') return `${device.toString(16).padStart(8, '0')}${'a'.repeat(32)}`;
    if (name === 'DeviceName') return `ws-${String(device).padStart(4, '0')}.corp.example.com`;
    if (name === 'ActionType')
      return table.name === 'DeviceNetworkEvents' ? 'ConnectionSuccess' : 'ProcessCreated';
    if (name.endsWith('SHA1')) return this.hex(40);
    if (name.endsWith('SHA256')) return this.hex(64);
    if (name.endsWith('MD5')) return this.hex(32);
    if (name.endsWith('FileName')) return file;
    if (name.endsWith('FolderPath')) return folder + file;
    if (name.endsWith('CommandLine'))
      return `"${folder}${file}" -NoProfile -ExecutionPolicy Bypass -Command "Get-Item C:\\Users\\user${this.int(500)}\\AppData"`;
    if (name.endsWith('CompanyName')) return company;
    if (name.endsWith('FileDescription')) return description;
    if (name.endsWith('ProductName')) return description;
    if (name.endsWith('ProductVersion')) return `10.0.${this.int(30000)}.${this.int(5000)}`;
    if (name.endsWith('AccountDomain')) return 'corp';
    if (name.endsWith('AccountName')) return `user${this.int(500)}`;
    if (name.endsWith('AccountSid'))
      return `S-1-5-21-1004336348-1177238915-682003330-${1000 + this.int(500)}`;
    if (name.endsWith('AccountUpn')) return `user${this.int(500)}@corp.example.com`;
    if (name.endsWith('IntegrityLevel')) return ['Medium', 'High', 'System'][this.int(3)];
    if (name.endsWith('TokenElevation'))
      return ['TokenElevationTypeDefault', 'TokenElevationTypeFull'][this.int(2)];
    if (name === 'RemoteIP') return `${this.int(223) + 1}.${this.int(256)}.${this.int(256)}.${this.int(256)}`;
    if (name === 'LocalIP') return `10.${this.int(256)}.${this.int(256)}.${this.int(256)}`;
    if (name === 'RemoteUrl') return this.int(3) === 0 ? '' : `cdn${this.int(100)}.example.net`;
    if (name === 'Protocol') return 'Tcp';
    if (name.endsWith('IPType')) return name.startsWith('Remote') ? 'Public' : 'Private';
    if (name === 'AdditionalFields')
      return this.int(4) === 0 ? null : JSON.stringify({ ProcessStartKey: this.int(1e9) });
    if (name === 'ReportId') return this.int(1e6);
    switch (type) {
      case 'datetime':
        return this.ts(this.int(86_400_000));
      case 'long':
      case 'int':
        return this.int(3) === 0 ? null : this.int(65536);
      case 'bool':
      case 'boolean':
        return this.int(2) === 0;
      case 'dynamic':
        return null;
      default:
        return this.int(2) === 0 ? null : '';
    }
  }

  record(table: TableSchema): string {
    this.t += this.int(50);
    const proc = PROCESSES[this.int(PROCESSES.length)]!;
    const device = this.int(2000);
    const properties: Record<string, unknown> = {};
    for (const c of table.columns) properties[c.name] = this.value(table, c.name, c.type, proc, device);
    properties['MachineGroup'] = 'UnassignedGroup';
    return JSON.stringify({
      time: this.ts(-120_000),
      tenantId: '2b4f7c11-0000-4000-8000-0000000000aa',
      operationName: 'Publish',
      category: `AdvancedHunting-${table.name}`,
      properties,
    });
  }
}

export interface GeneratedFiles {
  files: { path: string; table: string; bytes: number; rows: number }[];
  bytes: number;
  rows: number;
}

/**
 * Writes about `totalBytes` of records into `dir`: 70 % DeviceProcessEvents, 30 %
 * DeviceNetworkEvents, in files of about `fileBytes` each (one table per file, as in Storage).
 */
export async function generateStreamingFiles(
  dir: string,
  totalBytes: number,
  fileBytes = 128 << 20,
): Promise<GeneratedFiles> {
  const schema = defenderSchema();
  const plan: [TableSchema, number][] = [
    [schema.table('DeviceProcessEvents')!, Math.round(totalBytes * 0.7)],
    [schema.table('DeviceNetworkEvents')!, Math.round(totalBytes * 0.3)],
  ];
  const out: GeneratedFiles = { files: [], bytes: 0, rows: 0 };
  const factory = new RecordFactory(42);
  for (const [table, budget] of plan) {
    let written = 0;
    for (let part = 0; written < budget; part++) {
      const path = join(
        dir,
        `insights-logs-advancedhunting-${table.name.toLowerCase()}-${String(part).padStart(3, '0')}.json`,
      );
      const stream = createWriteStream(path, { highWaterMark: 1 << 20 });
      let bytes = 0;
      let rows = 0;
      while (bytes < fileBytes && written + bytes < budget) {
        const line = factory.record(table) + '\n';
        bytes += Buffer.byteLength(line);
        rows++;
        if (!stream.write(line)) await once(stream, 'drain');
      }
      stream.end();
      await once(stream, 'finish');
      written += bytes;
      out.files.push({ path, table: table.name, bytes, rows });
      out.bytes += bytes;
      out.rows += rows;
    }
  }
  return out;
}
