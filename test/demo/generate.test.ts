import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TABLES } from '../../src/store/demo/tables.js';
import {
  ALL_NEAR_MISSES,
  ALL_PLANTED_PROGRAMS,
  isSeedTool,
  RMM_TOOLS,
  type PlantedTool,
  type RmmTool,
} from '../../src/store/demo/rmm.js';
import { EXTRA_TOOLS } from '../../src/store/demo/rmm-extra.js';
import { SEED_SIGNAL } from '../../src/store/demo/generate.js';
import { formatIsoTicks, TICKS_PER_DAY } from '../../src/store/demo/ticks.js';
import type { Store } from '../../src/store/store.js';
import {
  generateInto,
  hasSql,
  isoToNanos,
  NOW,
  rows,
  tableHash,
  tempDir,
  withStore,
  type Generated,
} from './helpers.js';

/** The three seed rules' predicates, as (column, needles) groups: every group must match, any needle in a group. */
const SEED_RULES: Record<RmmTool, { table: string; all: [string, string[]][] }> = {
  ServerEye: {
    table: 'DeviceProcessEvents',
    all: [
      ['ProcessVersionInfoCompanyName', ['Krämer IT Solutions GmbH']],
      ['ProcessVersionInfoProductName', ['ServerEye', 'Server-Eye']],
    ],
  },
  RPort: {
    table: 'DeviceProcessEvents',
    all: [
      ['ProcessVersionInfoCompanyName', ['RealVNC']],
      ['ProcessVersionInfoProductName', ['rport']],
    ],
  },
  Kaseya: { table: 'DeviceFileCertificateInfo', all: [['Signer', ['Kaseya']]] },
};

const NOW_NS = NOW * 100n;
const WINDOW_START_NS = NOW_NS - BigInt(5 * TICKS_PER_DAY) * 100n;

/** Rows a seed rule matches, as `DeviceId|ReportId|epoch ns`, optionally inside its 5-day window. */
async function seedRuleHits(store: Store, tool: RmmTool, windowed: boolean): Promise<Set<string>> {
  const rule = SEED_RULES[tool];
  const params: (string | bigint)[] = [];
  const groups = rule.all.map(([column, needles]) => {
    const any = needles.map((n) => {
      const h = hasSql(column, n);
      params.push(h.param);
      return h.sql;
    });
    return `(${any.join(' OR ')})`;
  });
  if (windowed) {
    groups.push('epoch_ns("Timestamp") BETWEEN ? AND ?');
    params.push(WINDOW_START_NS, NOW_NS);
  }
  const r = await rows(
    store,
    `SELECT DeviceId, ReportId, epoch_ns("Timestamp") FROM "${rule.table}" WHERE ${groups.join(' AND ')}`,
    params,
  );
  return new Set(r.map((x) => `${String(x[0])}|${String(x[1])}|${String(x[2])}`));
}

function truthKeys(g: Generated, tool: RmmTool, windowed: boolean): Set<string> {
  const out = new Set<string>();
  for (const p of g.truth.planted.filter((x) => x.tool === tool && x.signal === SEED_SIGNAL[tool])) {
    for (const e of p.events) {
      const ns = isoToNanos(e.Timestamp);
      if (!windowed || (ns >= WINDOW_START_NS && ns <= NOW_NS)) out.add(`${p.DeviceId}|${e.ReportId}|${ns}`);
    }
  }
  return out;
}

describe('socfeed demo: the generated estate', () => {
  const dir = tempDir();
  let a: Generated;
  let b: Generated;
  let other: Generated;

  // The default estate once; determinism is checked on smaller ones to keep the suite quick.
  beforeAll(async () => {
    a = await generateInto(dir, 'a');
    b = await generateInto(dir, 'b', { devices: 10 });
    other = await generateInto(dir, 'other', { devices: 10, seed: 2 });
  }, 300_000);

  it('is deterministic: same seed and now give the same truth and the same table contents', async () => {
    const b2 = await generateInto(dir, 'b2', { devices: 10 });
    expect(JSON.stringify(b2.truth)).toBe(JSON.stringify(b.truth));
    expect(b2.summary).toEqual({ ...b.summary, db: b2.path });
    const hashes = async (path: string) =>
      withStore(path, async (s) => Promise.all(DEMO_TABLES.map((t) => tableHash(s, t))));
    const hb = await hashes(b.path);
    expect(await hashes(b2.path)).toEqual(hb);
    expect(await hashes(other.path)).not.toEqual(hb);
    expect(JSON.stringify(other.truth)).not.toBe(JSON.stringify(b.truth));
  });

  it('reports the row counts that are in the store, at a realistic scale', async () => {
    await withStore(a.path, async (s) => {
      for (const table of DEMO_TABLES) {
        const [[n]] = (await rows(s, `SELECT count(*) FROM "${table}"`)) as [[bigint]];
        expect(Number(n), table).toBe(a.summary.rows[table]);
      }
    });
    expect(a.summary.rows.DeviceInfo).toBeGreaterThan(25 * 7 * 4);
    expect(a.summary.rows.DeviceProcessEvents).toBeGreaterThan(3_000);
    expect(a.summary.rows.DeviceNetworkEvents).toBeGreaterThan(5_000);
    expect(a.summary.rows.DeviceFileCertificateInfo).toBeGreaterThan(1_000);
    expect(a.summary.rows.DeviceFileEvents).toBeGreaterThan(100);
    expect(a.summary.rows.DeviceLogonEvents).toBeGreaterThan(100);
    expect(a.truth.devices).toHaveLength(25);
  });

  it('looks like Defender data: ids, names, 100 ns timestamps inside the period, ingestion time', async () => {
    await withStore(a.path, async (s) => {
      const start = NOW_NS - BigInt(7 * TICKS_PER_DAY) * 100n;
      for (const table of DEMO_TABLES) {
        const [[bad]] = (await rows(
          s,
          `SELECT count(*) FROM "${table}" WHERE NOT regexp_full_match(DeviceId, '[0-9a-f]{40}')
             OR NOT regexp_full_match(DeviceName, '(ws|srv)-[a-z]+-[0-9]+\\.contoso\\.local')
             OR epoch_ns("Timestamp") < ? OR epoch_ns("Timestamp") > ?
             OR epoch_ns(_socfeed_ingestion_time) <> ? OR ReportId IS NULL`,
          [start, NOW_NS, NOW_NS],
        )) as [[bigint]];
        expect(Number(bad), table).toBe(0);
      }
      // Sub-microsecond digits are used (7 fractional digits), so µs truncation would show.
      const [[fine]] = (await rows(
        s,
        `SELECT count(*) FROM "DeviceProcessEvents" WHERE epoch_ns("Timestamp") % 1000 <> 0`,
      )) as [[bigint]];
      expect(Number(fine)).toBeGreaterThan(a.summary.rows.DeviceProcessEvents / 2);
      // ReportId identifies a row on its device, across the demo tables.
      const union = DEMO_TABLES.map((t) => `SELECT DeviceId, ReportId FROM "${t}"`).join(' UNION ALL ');
      const [[dupes]] = (await rows(
        s,
        `SELECT count(*) FROM (SELECT DeviceId, ReportId FROM (${union}) GROUP BY ALL HAVING count(*) > 1)`,
      )) as [[bigint]];
      expect(Number(dupes)).toBe(0);
      // Process trees: every process start names its parent, with a hash and a version.
      const [[orphans]] = (await rows(
        s,
        `SELECT count(*) FROM "DeviceProcessEvents" WHERE InitiatingProcessFileName = '' OR SHA256 = '' OR ProcessCommandLine = '' OR InitiatingProcessCreationTime IS NULL`,
      )) as [[bigint]];
      expect(Number(orphans)).toBe(0);
      const vendors = (
        await rows(s, `SELECT DISTINCT ProcessVersionInfoCompanyName FROM "DeviceProcessEvents"`)
      ).map((r) => String(r[0]));
      expect(vendors).toEqual(
        expect.arrayContaining([
          'Microsoft Corporation',
          'Google LLC',
          'Adobe Inc.',
          'Zoom Video Communications, Inc.',
          'Igor Pavlov',
          'Cisco Systems, Inc.',
        ]),
      );
    });
  });

  it('plants RMM activity with the exact markers the seed rules look for', async () => {
    await withStore(a.path, async (s) => {
      for (const p of a.truth.planted) {
        const programs = ALL_PLANTED_PROGRAMS[p.tool];
        for (const e of p.events) {
          const r = await rows(
            s,
            `SELECT epoch_ns("Timestamp"), DeviceName, ${p.signal === 'process' ? 'ProcessVersionInfoCompanyName, ProcessVersionInfoProductName' : p.signal === 'signature' ? 'Signer, SHA1' : 'InitiatingProcessVersionInfoCompanyName, RemoteUrl'} FROM "${p.table}" WHERE DeviceId = ? AND ReportId = ?`,
            [p.DeviceId, e.ReportId],
          );
          expect(r, `${p.tool} ${p.table} ${e.ReportId}`).toHaveLength(1);
          const [ns, name, x] = r[0]!;
          expect(ns).toBe(isoToNanos(e.Timestamp));
          expect(name).toBe(p.DeviceName);
          if (p.signal === 'process') expect(programs.map((q) => q.company)).toContain(x);
          if (p.signal === 'signature') expect(programs.map((q) => q.signature?.signer)).toContain(x);
        }
        expect(p.count).toBe(p.events.length);
        expect(p.ReportIds).toEqual(p.events.map((e) => e.ReportId));
        expect([p.first, p.last]).toEqual([p.events[0]!.Timestamp, p.events[p.events.length - 1]!.Timestamp]);
        expect(p.events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/.test(e.Timestamp))).toBe(
          true,
        );
      }
      const products = (
        await rows(
          s,
          `SELECT DISTINCT ProcessVersionInfoProductName FROM "DeviceProcessEvents" WHERE ProcessVersionInfoCompanyName = 'Krämer IT Solutions GmbH'`,
        )
      ).map((r) => String(r[0]));
      expect(products).toEqual(expect.arrayContaining(['ServerEye', 'Server-Eye']));
      const signers = (
        await rows(s, `SELECT DISTINCT Signer FROM "DeviceFileCertificateInfo" WHERE Signer ILIKE '%kaseya%'`)
      ).map((r) => String(r[0]));
      expect(signers).toEqual(
        expect.arrayContaining(['Kaseya Corporation', 'Kaseya Holdings Inc.', 'Kaseya US LLC']),
      );
    });
  });

  it('makes each seed rule (plain SQL with whole-term has) find exactly the planted rows', async () => {
    await withStore(a.path, async (s) => {
      for (const tool of RMM_TOOLS) {
        for (const windowed of [false, true]) {
          const hits = await seedRuleHits(s, tool, windowed);
          const expected = truthKeys(a, tool, windowed);
          expect(expected.size, `${tool} windowed=${windowed}`).toBeGreaterThan(0);
          expect([...hits].sort(), `${tool} windowed=${windowed}`).toEqual([...expected].sort());
        }
      }
    });
  });

  it('places planted activity on both sides of the 5-day window, and on its boundary', () => {
    for (const tool of RMM_TOOLS) {
      const entries = a.truth.planted.filter((p) => p.tool === tool && p.signal === SEED_SIGNAL[tool]);
      const inWindow = (p: (typeof entries)[number]) =>
        p.events.filter((e) => isoToNanos(e.Timestamp) >= WINDOW_START_NS).length;
      const spanning = entries.find((p) => p.profile === 'spanning')!;
      expect(spanning, tool).toBeDefined();
      expect(inWindow(spanning)).toBeGreaterThan(0);
      expect(inWindow(spanning)).toBeLessThan(spanning.count);
      // One row exactly on now(-5d) (inside `between`), one 100 ns before it (outside).
      const boundary = formatIsoTicks(NOW - BigInt(5 * TICKS_PER_DAY));
      const justBefore = formatIsoTicks(NOW - BigInt(5 * TICKS_PER_DAY) - 1n);
      expect(spanning.events.map((e) => e.Timestamp)).toEqual(expect.arrayContaining([boundary, justBefore]));
      // Every tool has a device the window leaves out entirely.
      const stale = entries.find((p) => p.profile === 'stale');
      expect(stale, tool).toBeDefined();
      expect(inWindow(stale!)).toBe(0);
    }
  });

  it('plants every catalog tool on each signal its programs give (process, signature, network), approved or not', () => {
    const signalsOf = (tool: PlantedTool) => {
      const programs = ALL_PLANTED_PROGRAMS[tool];
      return new Set([
        'process',
        ...(programs.some((p) => p.signature) ? ['signature'] : []),
        ...(programs.some((p) => p.destinations.length > 0) ? ['network'] : []),
      ]);
    };
    for (const tool of EXTRA_TOOLS) {
      const entries = a.truth.planted.filter((p) => p.tool === tool);
      expect(new Set(entries.map((p) => p.signal)), tool).toEqual(signalsOf(tool));
      expect(entries.every((p) => p.count > 0)).toBe(true);
    }
    for (const s of a.summary.tools) {
      expect(s.devices, s.tool).toBeGreaterThan(0);
      expect(s.approvedDevices).toBeLessThanOrEqual(s.devices);
    }
    const approved = new Set(a.truth.planted.filter((p) => p.approved).map((p) => p.tool));
    const unapproved = new Set(a.truth.planted.filter((p) => !p.approved).map((p) => p.tool));
    expect(approved.size).toBeGreaterThanOrEqual(3);
    expect(unapproved.size).toBeGreaterThanOrEqual(6);
    // Approval follows the device's group, as the policy file does.
    const groupOf = new Map(a.truth.devices.map((d) => [d.DeviceId, d.machineGroup]));
    for (const p of a.truth.planted.filter((x) => x.tool === 'TeamViewer'))
      expect(p.approved, p.DeviceName).toBe(groupOf.get(p.DeviceId) === 'Workstations');
  });

  it('plants near misses of every kind inside the window, and a rule matches none of them', async () => {
    const kinds = new Set(a.truth.nearMisses.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(ALL_NEAR_MISSES.map((n) => n.kind).sort());
    await withStore(a.path, async (s) => {
      const hits = new Map<RmmTool, Set<string>>();
      for (const tool of RMM_TOOLS) hits.set(tool, await seedRuleHits(s, tool, true));
      for (const n of a.truth.nearMisses) {
        const ns = isoToNanos(n.Timestamp);
        expect(ns >= WINDOW_START_NS && ns <= NOW_NS, n.kind).toBe(true);
        const cols = Object.keys(n.fields);
        const r = await rows(
          s,
          `SELECT epoch_ns("Timestamp"), ${cols.map((c) => `"${c}"`).join(', ')} FROM "${n.table}" WHERE DeviceId = ? AND ReportId = ?`,
          [n.DeviceId, n.ReportId],
        );
        expect(r, n.kind).toHaveLength(1);
        expect(r[0]![0]).toBe(ns);
        expect(Object.fromEntries(cols.map((c, i) => [c, r[0]![i + 1]]))).toEqual(n.fields);
        // The extra tools' near misses are checked against their pack rules in test/hunt/truth.test.ts.
        if (isSeedTool(n.tool))
          expect(hits.get(n.tool)!.has(`${n.DeviceId}|${n.ReportId}|${ns}`), n.kind).toBe(false);
      }
    });
  });

  it('makes the near misses near: a substring match (contains) would report them', async () => {
    await withStore(a.path, async (s) => {
      const loose = {
        ServerEye: `(ProcessVersionInfoCompanyName ILIKE '%kr%mer%' AND (ProcessVersionInfoProductName ILIKE '%server%eye%' OR ProcessVersionInfoCompanyName ILIKE '%krämer%'))`,
        RPort: `(ProcessVersionInfoCompanyName ILIKE '%realvnc%' OR ProcessVersionInfoProductName ILIKE '%rport%')`,
        Kaseya: `Signer ILIKE '%kaseya%'`,
        'Zoho Assist': `ProcessVersionInfoCompanyName ILIKE '%zoho%'`,
        Atera: `Signer ILIKE '%atera networks%'`,
        Action1: `Signer ILIKE '%action1%corporation%'`,
        AnyDesk: `RemoteUrl ILIKE '%anydesk.com%'`,
        TeamViewer: `RemoteUrl ILIKE '%teamviewer.com%'`,
      } satisfies Partial<Record<PlantedTool, string>>;
      const looseOf = (tool: PlantedTool): string =>
        (loose as Partial<Record<PlantedTool, string>>)[tool] ?? 'false';
      for (const n of a.truth.nearMisses) {
        const r = await rows(
          s,
          `SELECT count(*) FROM "${n.table}" WHERE DeviceId = ? AND ReportId = ? AND ${looseOf(n.tool)}`,
          [n.DeviceId, n.ReportId],
        );
        expect(Number(r[0]![0]), n.kind).toBe(1);
      }
    });
  });

  it('keeps ordinary software clear of every RMM vendor', async () => {
    await withStore(a.path, async (s) => {
      const planted = new Set(
        a.truth.planted.flatMap((p) => p.events.map((e) => `${p.DeviceId}|${e.ReportId}`)),
      );
      const near = new Set(a.truth.nearMisses.map((n) => `${n.DeviceId}|${n.ReportId}`));
      const vendor = 'kr.{1,2}mer|realvnc|kaseya|cloudradar|server.?eye|rport|vnc';
      const suspicious = await rows(
        s,
        `SELECT DeviceId, ReportId FROM "DeviceProcessEvents"
           WHERE regexp_matches(lower(ProcessVersionInfoCompanyName), ?) OR regexp_matches(lower(ProcessVersionInfoProductName), ?)
         UNION ALL SELECT DeviceId, ReportId FROM "DeviceFileCertificateInfo" WHERE regexp_matches(lower(Signer), ?)`,
        [vendor, vendor, vendor],
      );
      expect(suspicious.length).toBeGreaterThan(0);
      for (const [id, rid] of suspicious) {
        const key = `${String(id)}|${String(rid)}`;
        expect(planted.has(key) || near.has(key), key).toBe(true);
      }
    });
  });

  it('fits everything into a shorter period when --days is 5 or less', async () => {
    const short = await generateInto(dir, 'short', { devices: 6, days: 3, seed: 7 });
    const start = NOW_NS - BigInt(3 * TICKS_PER_DAY) * 100n;
    expect(short.truth.planted.length).toBeGreaterThan(0);
    for (const p of short.truth.planted) {
      expect(p.profile).not.toBe('stale');
      for (const e of p.events) expect(isoToNanos(e.Timestamp) >= start).toBe(true);
    }
    for (const tool of RMM_TOOLS) {
      expect(short.summary.planted[tool].devicesInWindow, tool).toBe(short.summary.planted[tool].devices);
    }
  });

  it('refuses to add to a store that already has demo rows, and replaces them when asked', async () => {
    const { Store } = await import('../../src/store/store.js');
    const { generateDemo } = await import('../../src/store/demo/generate.js');
    const store = await Store.open(b.path);
    try {
      const before = await Promise.all(DEMO_TABLES.map((t) => tableHash(store, t)));
      await expect(generateDemo(store, { devices: 10, days: 7, seed: 1, now: NOW })).rejects.toThrow(
        /already has rows/,
      );
      const again = await generateDemo(store, { devices: 10, days: 7, seed: 1, now: NOW, replace: true });
      expect(again.summary.rows).toEqual(b.summary.rows);
      expect(await Promise.all(DEMO_TABLES.map((t) => tableHash(store, t)))).toEqual(before);
    } finally {
      store.close();
    }
  });
});
