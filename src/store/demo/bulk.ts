import { BIGINT, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../store.js';
import {
  accountColumns,
  nearMissCertificateSlots,
  nearMissNetworkSlots,
  nearMissProcessSlots,
  ordinaryCertificateSlots,
  ordinaryNetworkSlots,
  ordinaryProcessSlots,
  plantedCertificateSlots,
  plantedNetworkSlots,
  plantedProcessSlots,
  programColumns,
  SLOTS_PER_TOOL,
  type CertificateSlot,
  type NetworkSlot,
  type ProcessSlot,
} from './bulk-slots.js';
import {
  PROCESS_INSERT_SQL,
  NETWORK_INSERT_SQL,
  CERTIFICATE_INSERT_SQL,
  COUNT_SQL,
  PICKS_SQL,
  type BulkTable,
} from './bulk-sql.js';
import { buildEstate } from './estate.js';
import { hexOf } from './fake-ids.js';
import { parseIsoTicks, formatIsoTicks, TICKS_PER_DAY, ticksToNanos } from './ticks.js';
import { rngFor } from './random.js';
import { RMM_TOOLS, type RmmTool } from './rmm.js';
import { RULE_WINDOW_TICKS } from './planted.js';

export interface BulkOptions {
  /** Rows to insert, e.g. 10_000_000. */
  rows: number;
  /** End of the period, as 100 ns ticks since the Unix epoch or an ISO-8601 instant. */
  now: bigint | string;
  seed?: number;
  /** Length of the period ending at `now` (default 7). */
  days?: number;
  /** Distinct devices the rows are spread over (default 1,000). */
  devices?: number;
  /** Planted rows per million, per tool (default 20). */
  plantedPerMillion?: number;
  /** Near-miss rows per million, all kinds together (default 50). */
  nearMissesPerMillion?: number;
  /** ReportIds are `reportIdBase + row number`; the range must be unused in the table (default 10^12). */
  reportIdBase?: number;
}

export interface BulkCount {
  rows: number;
  rowsInWindow: number;
  devices: number;
  devicesInWindow: number;
}

export interface BulkResult {
  table: BulkTable;
  rows: number;
  reportIds: { first: number; last: number };
  /** Start of the seed rules' window, `now - 5d` (counts `*InWindow` are at or after it). */
  windowStart: string;
  now: string;
  /** Measured by a query over the inserted rows, matching the planted markers exactly. */
  planted: Partial<Record<RmmTool, BulkCount>>;
  nearMisses: Record<string, BulkCount>;
  ms: number;
}

type Slot = ProcessSlot | NetworkSlot | CertificateSlot;

interface Resolved {
  rows: number;
  seed: number;
  nowTicks: bigint;
  spanTicks: number;
  devices: number;
  plantedPpm: number;
  nearPpm: number;
  base: number;
}

function resolve(opts: BulkOptions, plantedTools: number): Resolved {
  const nowTicks = typeof opts.now === 'bigint' ? opts.now : parseIsoTicks(opts.now);
  if (nowTicks === undefined) throw new RangeError(`bulk: now is not an ISO instant: ${String(opts.now)}`);
  const r: Resolved = {
    rows: opts.rows,
    seed: opts.seed ?? 1,
    nowTicks,
    spanTicks: (opts.days ?? 7) * TICKS_PER_DAY,
    devices: opts.devices ?? 1000,
    plantedPpm: (opts.plantedPerMillion ?? 20) * plantedTools,
    nearPpm: opts.nearMissesPerMillion ?? 50,
    base: opts.reportIdBase ?? 1_000_000_000_000,
  };
  if (!Number.isSafeInteger(r.rows) || r.rows < 1)
    throw new RangeError(`bulk: rows must be a positive integer (got ${r.rows})`);
  if (!Number.isInteger(r.devices) || r.devices < 8)
    throw new RangeError(`bulk: devices must be at least 8 (got ${r.devices})`);
  if (r.plantedPpm + r.nearPpm > 1_000_000)
    throw new RangeError('bulk: planted and near-miss shares exceed one million per million');
  return r;
}

/** Creates a temp table and fills it through the appender (values are bound, never spliced). */
async function tempTable(
  store: Store,
  name: string,
  columns: readonly [string, 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'BOOLEAN'][],
  rows: readonly DuckDBValue[][],
): Promise<void> {
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${name} (${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`,
  );
  const appender = await store.connection.createAppender(name);
  try {
    for (const row of rows) {
      row.forEach((v, i) => {
        const type = columns[i]![1];
        if (v === null) appender.appendNull();
        else if (type === 'VARCHAR') appender.appendVarchar(String(v));
        else if (type === 'BIGINT') appender.appendBigInt(BigInt(v as number | bigint));
        else if (type === 'INTEGER') appender.appendInteger(Number(v));
        else appender.appendBoolean(Boolean(v));
      });
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

/** The devices rows are spread over (names and users as in the demo estate). */
async function deviceTable(store: Store, r: Resolved): Promise<void> {
  const estate = buildEstate(r.seed, r.devices, rngFor(r.seed, 'bulk-estate'));
  await tempTable(
    store,
    '_socfeed_bulk_devices',
    [
      ['idx', 'BIGINT'],
      ['DeviceId', 'VARCHAR'],
      ['DeviceName', 'VARCHAR'],
      ['LocalIP', 'VARCHAR'],
      ['u_domain', 'VARCHAR'],
      ['u_name', 'VARCHAR'],
      ['u_sid', 'VARCHAR'],
      ['u_upn', 'VARCHAR'],
      ['u_oid', 'VARCHAR'],
      ['profile', 'VARCHAR'],
    ],
    estate.map((d) => [
      d.index,
      d.DeviceId,
      d.DeviceName,
      d.localIp,
      d.user.domain,
      d.user.name,
      d.user.sid,
      d.user.upn,
      d.user.objectId,
      d.user.profile,
    ]),
  );
}

function ordered(
  ordinary: Slot[],
  planted: Slot[],
  near: Slot[],
): { slots: Slot[]; counts: [number, number, number] } {
  return {
    slots: [...ordinary, ...planted, ...near],
    counts: [ordinary.length, planted.length, near.length],
  };
}

const PROGRAM_COLS = [
  'FileName',
  'FolderPath',
  'SHA1',
  'SHA256',
  'MD5',
  'FileSize',
  'CompanyName',
  'ProductName',
  'ProductVersion',
  'InternalFileName',
  'OriginalFileName',
  'FileDescription',
] as const;

function programCells(prefix: string): [string, 'VARCHAR' | 'BIGINT'][] {
  return PROGRAM_COLS.map((c) => [`${prefix}${c}`, c === 'FileSize' ? 'BIGINT' : 'VARCHAR']);
}

function programValues(p: ProcessSlot['program']): DuckDBValue[] {
  const cols = programColumns(p);
  return PROGRAM_COLS.map((c) => (c === 'FileSize' ? BigInt(cols[c] as number) : String(cols[c])));
}

function accountCells(): [string, 'VARCHAR'][] {
  return [
    ['a_domain', 'VARCHAR'],
    ['a_name', 'VARCHAR'],
    ['a_sid', 'VARCHAR'],
    ['a_upn', 'VARCHAR'],
    ['a_oid', 'VARCHAR'],
    ['a_integrity', 'VARCHAR'],
  ];
}

function accountValues(a: ProcessSlot['account']): DuckDBValue[] {
  const c = accountColumns(a);
  return c ? [c.domain, c.name, c.sid, c.upn, c.objectId, c.integrity] : [null, null, null, null, null, null];
}

/** Whether any of a slot's paths or command lines names the user's profile (`{user}`). */
function perUser(slot: Slot): boolean {
  const texts =
    'commandLine' in slot
      ? [
          slot.program.path,
          slot.commandLine,
          ...('parentCommandLine' in slot ? [slot.parent.path, slot.parentCommandLine] : []),
        ]
      : [];
  return texts.some((t) => t.includes('{user}'));
}

function head(slot: Slot, i: number): DuckDBValue[] {
  return [i, slot.kind, slot.label, perUser(slot)];
}

const HEAD: [string, 'VARCHAR' | 'BIGINT' | 'BOOLEAN'][] = [
  ['slot', 'BIGINT'],
  ['kind', 'VARCHAR'],
  ['label', 'VARCHAR'],
  ['per_user', 'BOOLEAN'],
];

async function processSlotTable(store: Store, tools: readonly RmmTool[]): Promise<[number, number, number]> {
  const { slots, counts } = ordered(
    ordinaryProcessSlots(),
    plantedProcessSlots(tools),
    nearMissProcessSlots(),
  );
  await tempTable(
    store,
    '_socfeed_bulk_slots',
    [
      ...HEAD,
      ...programCells(''),
      ['cmd', 'VARCHAR'],
      ...programCells('p_'),
      ['p_cmd', 'VARCHAR'],
      ['gp_FileName', 'VARCHAR'],
      ...accountCells(),
      ['marker_a', 'VARCHAR'],
      ['marker_b', 'VARCHAR'],
    ],
    (slots as ProcessSlot[]).map((s, i) => [
      ...head(s, i),
      ...programValues(s.program),
      s.commandLine,
      ...programValues(s.parent),
      s.parentCommandLine,
      s.grandparent.fileName,
      ...accountValues(s.account),
      s.program.company,
      s.program.product,
    ]),
  );
  return counts;
}

async function networkSlotTable(store: Store, tools: readonly RmmTool[]): Promise<[number, number, number]> {
  const { slots, counts } = ordered(
    ordinaryNetworkSlots(),
    plantedNetworkSlots(tools),
    nearMissNetworkSlots(),
  );
  await tempTable(
    store,
    '_socfeed_bulk_slots',
    [
      ...HEAD,
      ...programCells(''),
      ['cmd', 'VARCHAR'],
      ['p_FileName', 'VARCHAR'],
      ...accountCells(),
      ['RemoteUrl', 'VARCHAR'],
      ['RemoteIP', 'VARCHAR'],
      ['RemotePort', 'INTEGER'],
      ['marker_a', 'VARCHAR'],
      ['marker_b', 'VARCHAR'],
    ],
    (slots as NetworkSlot[]).map((s, i) => [
      ...head(s, i),
      ...programValues(s.program),
      s.commandLine,
      s.parent.fileName,
      ...accountValues(s.account),
      s.destination.url,
      s.remoteIp,
      s.destination.port,
      s.program.company,
      s.program.product,
    ]),
  );
  return counts;
}

async function certificateSlotTable(
  store: Store,
  tools: readonly RmmTool[],
): Promise<[number, number, number]> {
  const { slots, counts } = ordered(
    ordinaryCertificateSlots(),
    plantedCertificateSlots(tools),
    nearMissCertificateSlots(),
  );
  const cols: [string, 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'BOOLEAN'][] = [
    ...HEAD,
    ['SHA1', 'VARCHAR'],
    ['SignatureType', 'VARCHAR'],
    ['Signer', 'VARCHAR'],
    ['SignerHash', 'VARCHAR'],
    ['Issuer', 'VARCHAR'],
    ['IssuerHash', 'VARCHAR'],
    ['CertificateSerialNumber', 'VARCHAR'],
    ['CrlDistributionPointUrls', 'VARCHAR'],
    ['created_ns', 'BIGINT'],
    ['expires_ns', 'BIGINT'],
    ['IsTrusted', 'BOOLEAN'],
    ['IsRootSignerMicrosoft', 'BOOLEAN'],
    ['marker_a', 'VARCHAR'],
    ['marker_b', 'VARCHAR'],
  ];
  await tempTable(
    store,
    '_socfeed_bulk_slots',
    cols,
    (slots as CertificateSlot[]).map((s, i) => {
      const sig = s.program.signature!;
      const sha1 = String(programColumns(s.program)['SHA1']);
      return [
        ...head(s, i),
        sha1,
        sig.type,
        sig.signer,
        hexOf('sha1', `signer:${sig.signer}|${sig.validFrom}`),
        sig.issuer,
        hexOf('sha1', `issuer:${sig.issuer}`),
        hexOf('sha1', `serial:${sig.signer}|${sig.validFrom}`).slice(0, 38),
        JSON.stringify(sig.crl),
        ticksToNanos(parseIsoTicks(sig.validFrom)!),
        ticksToNanos(parseIsoTicks(sig.validTo)!),
        sig.trusted,
        sig.rootMicrosoft,
        sig.signer,
        sha1,
      ];
    }),
  );
  return counts;
}

/**
 * The first of the 4 devices each planted tool runs on, by the tool's place in RMM_TOOLS: a tool
 * sits on the same devices in every bulk table, so a hunt across tables sees one story per device.
 */
function toolBases(tools: readonly RmmTool[], devices: number): Record<string, bigint> {
  const base = (i: number) =>
    BigInt((RMM_TOOLS.indexOf(tools[Math.min(i, tools.length - 1)]!) * 7919 + 17) % devices);
  return { tool_base_0: base(0), tool_base_1: base(1), tool_base_2: base(2) };
}

/** JavaScript bigints would bind as HUGEINT; every parameter here is a BIGINT. */
function bigints(params: Record<string, DuckDBValue>): Record<string, DuckDBType> {
  return Object.fromEntries(Object.keys(params).map((k) => [k, BIGINT]));
}

async function insertAndCount(
  store: Store,
  table: BulkTable,
  insertSql: string,
  r: Resolved,
  counts: [number, number, number],
  tools: readonly RmmTool[],
): Promise<Omit<BulkResult, 'ms'>> {
  const range = { lo: BigInt(r.base), hi: BigInt(r.base + r.rows - 1) };
  const existing = await store.connection.runAndReadAll(
    `SELECT count(*) FROM "${table}" WHERE ReportId BETWEEN $lo AND $hi`,
    range,
    bigints(range),
  );
  if (Number(existing.getRows()[0]![0]) > 0)
    throw new RangeError(
      `bulk: ${table} already has rows with ReportIds from ${r.base}; pass another reportIdBase`,
    );
  const nowNs = ticksToNanos(r.nowTicks);
  const picks: Record<string, DuckDBValue> = {
    n: BigInt(r.rows),
    seed: BigInt(r.seed),
    now_ns: nowNs,
    span: BigInt(r.spanTicks),
    devices: BigInt(r.devices),
    planted_ppm: BigInt(r.plantedPpm),
    near_ppm: BigInt(r.nearPpm),
    n_ordinary: BigInt(counts[0]),
    n_planted: BigInt(counts[1]),
    n_near: BigInt(counts[2]),
    per_tool: BigInt(SLOTS_PER_TOOL),
    ...toolBases(tools, r.devices),
  };
  await store.connection.run(PICKS_SQL, picks, bigints(picks));
  const params: Record<string, DuckDBValue> = { now_ns: nowNs, base: BigInt(r.base) };
  // Row order carries no meaning here; letting DuckDB drop it lets every thread insert.
  const order = await store.query("SELECT current_setting('preserve_insertion_order')");
  await store.run('SET preserve_insertion_order = false');
  try {
    await store.connection.run(insertSql, params, bigints(params));
  } finally {
    await store.run(`SET preserve_insertion_order = ${order.rows[0]![0] === false ? 'false' : 'true'}`);
  }
  const windowStartNs = nowNs - ticksToNanos(BigInt(RULE_WINDOW_TICKS));
  const countParams = { ...range, window_start: windowStartNs, now_ns: nowNs };
  const res = await store.connection.runAndReadAll(COUNT_SQL[table], countParams, bigints(countParams));
  const planted: BulkResult['planted'] = {};
  const nearMisses: BulkResult['nearMisses'] = {};
  let total = 0;
  for (const row of res.getRows()) {
    const [kind, label, rows, rowsInWindow, devices, devicesInWindow] = row;
    const c: BulkCount = {
      rows: Number(rows),
      rowsInWindow: Number(rowsInWindow),
      devices: Number(devices),
      devicesInWindow: Number(devicesInWindow),
    };
    if (kind === 'total') total = c.rows;
    else if (kind === 'planted') planted[String(label) as RmmTool] = c;
    else nearMisses[String(label)] = c;
  }
  return {
    table,
    rows: total,
    reportIds: { first: r.base, last: r.base + r.rows - 1 },
    windowStart: formatIsoTicks(r.nowTicks - BigInt(RULE_WINDOW_TICKS)),
    now: formatIsoTicks(r.nowTicks),
    planted,
    nearMisses,
  };
}

async function run(
  store: Store,
  table: BulkTable,
  opts: BulkOptions,
  tools: readonly RmmTool[],
  slotTable: (s: Store, t: readonly RmmTool[]) => Promise<[number, number, number]>,
  sql: string,
): Promise<BulkResult> {
  const t0 = performance.now();
  const r = resolve(opts, tools.length);
  try {
    await deviceTable(store, r);
    const counts = await slotTable(store, tools);
    const result = await insertAndCount(store, table, sql, r, counts, tools);
    return { ...result, ms: Math.round(performance.now() - t0) };
  } finally {
    for (const t of ['_socfeed_bulk_slots', '_socfeed_bulk_devices', '_socfeed_bulk_picks'])
      await store.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/**
 * ~`rows` DeviceProcessEvents rows made by DuckDB itself (`INSERT … SELECT … FROM range(n)`), each
 * row's content picked by hashing its number: ordinary Windows process starts, plus ServerEye
 * and RPort starts and their near misses at a known rate. Deterministic for the same options.
 */
export function generateBulkProcessEvents(store: Store, opts: BulkOptions): Promise<BulkResult> {
  return run(
    store,
    'DeviceProcessEvents',
    opts,
    ['ServerEye', 'RPort'],
    processSlotTable,
    PROCESS_INSERT_SQL,
  );
}

/** Same for DeviceNetworkEvents: ordinary traffic plus the RMM agents' connections and near misses. */
export function generateBulkNetworkEvents(store: Store, opts: BulkOptions): Promise<BulkResult> {
  return run(store, 'DeviceNetworkEvents', opts, RMM_TOOLS, networkSlotTable, NETWORK_INSERT_SQL);
}

/** Same for DeviceFileCertificateInfo: ordinary signatures plus Kaseya and ServerEye ones, and Kaseya look-alikes. */
export function generateBulkCertificateInfo(store: Store, opts: BulkOptions): Promise<BulkResult> {
  return run(
    store,
    'DeviceFileCertificateInfo',
    opts,
    ['Kaseya', 'ServerEye'],
    certificateSlotTable,
    CERTIFICATE_INSERT_SQL,
  );
}
