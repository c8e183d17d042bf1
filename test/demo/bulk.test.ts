import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import {
  generateBulkCertificateInfo,
  generateBulkNetworkEvents,
  generateBulkProcessEvents,
  type BulkOptions,
  type BulkResult,
} from '../../src/store/demo/bulk.js';
import { TICKS_PER_DAY } from '../../src/store/demo/ticks.js';
import { hasSql, NOW, NOW_ISO, rows, tableHash, tempDir } from './helpers.js';

const ROWS = 60_000;
// A high planted rate so that a small table still holds enough planted rows to count.
const OPTS: BulkOptions = {
  rows: ROWS,
  now: NOW_ISO,
  seed: 5,
  devices: 200,
  plantedPerMillion: 2_000,
  nearMissesPerMillion: 3_000,
};
const NOW_NS = NOW * 100n;
const WINDOW_START_NS = NOW_NS - BigInt(5 * TICKS_PER_DAY) * 100n;

/** Rows matching all (column has any of needles) groups, over the whole table and in the window. */
async function ruleCount(
  store: Store,
  table: string,
  groups: [string, string[]][],
): Promise<[number, number]> {
  const params: (string | bigint)[] = [];
  const where = groups.map(([col, needles]) => {
    const parts = needles.map((n) => {
      const h = hasSql(col, n);
      params.push(h.param);
      return h.sql;
    });
    return `(${parts.join(' OR ')})`;
  });
  const r = await rows(
    store,
    `SELECT count(*), count(*) FILTER (WHERE epoch_ns("Timestamp") BETWEEN ? AND ?) FROM "${table}" WHERE ${where.join(' AND ')}`,
    [WINDOW_START_NS, NOW_NS, ...params],
  );
  return [Number(r[0]![0]), Number(r[0]![1])];
}

describe('bulk generators', () => {
  const dir = tempDir();
  let store: Store;
  let proc: BulkResult;
  let net: BulkResult;
  let cert: BulkResult;

  beforeAll(async () => {
    store = await Store.open(join(dir, 'bulk.duckdb'));
    proc = await generateBulkProcessEvents(store, OPTS);
    net = await generateBulkNetworkEvents(store, OPTS);
    cert = await generateBulkCertificateInfo(store, OPTS);
    return () => store.close();
  }, 300_000);

  it('inserts the requested number of rows with ReportIds from the base', async () => {
    for (const r of [proc, net, cert]) {
      expect(r.rows, r.table).toBe(ROWS);
      const [[n, lo, hi]] = (await rows(
        store,
        `SELECT count(*), min(ReportId), max(ReportId) FROM "${r.table}"`,
      )) as [[bigint, bigint, bigint]];
      expect([Number(n), Number(lo), Number(hi)]).toEqual([ROWS, r.reportIds.first, r.reportIds.last]);
    }
    expect(proc.reportIds.first).toBe(1_000_000_000_000);
  });

  it('spreads 100 ns timestamps over the period and fills the columns hunts read', async () => {
    const start = NOW_NS - BigInt(7 * TICKS_PER_DAY) * 100n;
    for (const r of [proc, net, cert]) {
      const [[bad, fine]] = (await rows(
        store,
        `SELECT count(*) FILTER (WHERE epoch_ns("Timestamp") < ? OR epoch_ns("Timestamp") > ? OR epoch_ns("Timestamp") % 100 <> 0
                                   OR NOT regexp_full_match(DeviceId, '[0-9a-f]{40}') OR DeviceName = ''),
                count(*) FILTER (WHERE epoch_ns("Timestamp") % 1000 <> 0)
           FROM "${r.table}"`,
        [start, NOW_NS],
      )) as [[bigint, bigint]];
      expect(Number(bad), r.table).toBe(0);
      expect(Number(fine), r.table).toBeGreaterThan(ROWS / 2);
    }
    const [[empty]] = (await rows(
      store,
      `SELECT count(*) FROM "DeviceProcessEvents" WHERE FileName = '' OR FolderPath = '' OR ProcessCommandLine = '' OR SHA256 = ''
         OR InitiatingProcessFileName = '' OR InitiatingProcessCommandLine = '' OR AccountName = '' OR ProcessCreationTime IS NULL`,
    )) as [[bigint]];
    expect(Number(empty)).toBe(0);
    const [[devices, programs]] = (await rows(
      store,
      `SELECT count(DISTINCT DeviceId), count(DISTINCT FileName) FROM "DeviceProcessEvents"`,
    )) as [[bigint, bigint]];
    expect(Number(devices)).toBe(200);
    expect(Number(programs)).toBeGreaterThan(30);
  });

  it('plants rows at the requested rate and counts them by the markers', () => {
    // 2,000 per million and tool over 60,000 rows: about 120 each.
    for (const [r, tools] of [
      [proc, ['ServerEye', 'RPort']],
      [net, ['ServerEye', 'RPort', 'Kaseya']],
      [cert, ['Kaseya', 'ServerEye']],
    ] as const) {
      for (const tool of tools) {
        const c = r.planted[tool]!;
        expect(c, `${r.table} ${tool}`).toBeDefined();
        expect(c.rows).toBeGreaterThan(60);
        expect(c.rows).toBeLessThan(200);
        expect(c.devices).toBeLessThanOrEqual(4);
        expect(c.rowsInWindow).toBeLessThan(c.rows);
      }
      expect(Object.values(r.nearMisses).reduce((n, c) => n + c.rows, 0)).toBeGreaterThan(90);
    }
  });

  it('agrees with the seed rules written in plain SQL with whole-term has', async () => {
    const serverEye = await ruleCount(store, 'DeviceProcessEvents', [
      ['ProcessVersionInfoCompanyName', ['Krämer IT Solutions GmbH']],
      ['ProcessVersionInfoProductName', ['ServerEye', 'Server-Eye']],
    ]);
    expect(serverEye).toEqual([proc.planted.ServerEye!.rows, proc.planted.ServerEye!.rowsInWindow]);
    const rport = await ruleCount(store, 'DeviceProcessEvents', [
      ['ProcessVersionInfoCompanyName', ['RealVNC']],
      ['ProcessVersionInfoProductName', ['rport']],
    ]);
    expect(rport).toEqual([proc.planted.RPort!.rows, proc.planted.RPort!.rowsInWindow]);
    const kaseya = await ruleCount(store, 'DeviceFileCertificateInfo', [['Signer', ['Kaseya']]]);
    expect(kaseya).toEqual([cert.planted.Kaseya!.rows, cert.planted.Kaseya!.rowsInWindow]);
    const serverEyeNet = await ruleCount(store, 'DeviceNetworkEvents', [
      ['RemoteUrl', ['server-eye.de']],
      ['InitiatingProcessVersionInfoCompanyName', ['Krämer IT Solutions GmbH']],
      ['InitiatingProcessVersionInfoProductName', ['ServerEye', 'Server-Eye']],
    ]);
    expect(serverEyeNet).toEqual([net.planted.ServerEye!.rows, net.planted.ServerEye!.rowsInWindow]);
    // The near misses are there and are near: a substring match would take them.
    const [[loose]] = (await rows(
      store,
      `SELECT count(*) FROM "DeviceFileCertificateInfo" WHERE Signer ILIKE '%kaseya%'`,
    )) as [[bigint]];
    expect(Number(loose)).toBe(
      cert.planted.Kaseya!.rows + Object.values(cert.nearMisses).reduce((n, c) => n + c.rows, 0),
    );
  });

  it('puts a tool on the same devices in every table', async () => {
    const devicesOf = async (sql: string) => (await rows(store, sql)).map((r) => String(r[0])).sort();
    const procDevices = await devicesOf(
      `SELECT DISTINCT DeviceId FROM "DeviceProcessEvents" WHERE ProcessVersionInfoCompanyName = 'Krämer IT Solutions GmbH' AND ProcessVersionInfoProductName IN ('ServerEye', 'Server-Eye')`,
    );
    const netDevices = await devicesOf(
      `SELECT DISTINCT DeviceId FROM "DeviceNetworkEvents" WHERE InitiatingProcessVersionInfoCompanyName = 'Krämer IT Solutions GmbH' AND InitiatingProcessVersionInfoProductName IN ('ServerEye', 'Server-Eye')`,
    );
    const certDevices = await devicesOf(
      `SELECT DISTINCT DeviceId FROM "DeviceFileCertificateInfo" WHERE Signer = 'Krämer IT Solutions GmbH'`,
    );
    expect(procDevices).toHaveLength(4);
    expect(netDevices).toEqual(procDevices);
    expect(certDevices).toEqual(procDevices);
  });

  it('is deterministic and refuses a ReportId range that is already used', async () => {
    const other = await Store.open(join(dir, 'again.duckdb'));
    try {
      const again = await generateBulkProcessEvents(other, OPTS);
      expect({ ...again, ms: 0 }).toEqual({ ...proc, ms: 0 });
      expect(await tableHash(other, 'DeviceProcessEvents')).toBe(
        await tableHash(store, 'DeviceProcessEvents'),
      );
      await expect(generateBulkProcessEvents(other, { ...OPTS, rows: 10 })).rejects.toThrow(
        /already has rows with ReportIds/,
      );
      const shifted = await generateBulkProcessEvents(other, {
        ...OPTS,
        rows: 10,
        reportIdBase: 5_000_000_000_000,
      });
      expect(shifted.rows).toBe(10);
    } finally {
      other.close();
    }
  });
});
