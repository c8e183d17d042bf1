import { quoteIdentDuckdb } from '../../sql/dialects/duckdb/ddl.js';
import { UserError } from '../../util/errors.js';
import type { Store } from '../store.js';
import { buildEstate } from './estate.js';
import { planExtraRmm, planRmm, RULE_WINDOW_TICKS, type PlantProfile } from './planted.js';
import { rngFor } from './random.js';
import { PLANTED_TOOLS, RMM_TOOLS, type PlantedSignal, type PlantedTool, type RmmTool } from './rmm.js';
import { TableWriter } from './row-writer.js';
import { simulateDevice } from './simulate.js';
import { DEMO_TABLES, type DemoEvent, type DemoTable } from './tables.js';
import { formatIsoTicks, Period } from './ticks.js';
import { TruthBuilder, type Truth } from './truth.js';

export interface DemoOptions {
  devices: number;
  days: number;
  seed: number;
  /** The end of the period, in 100 ns ticks since the Unix epoch. */
  now: bigint;
  /** Delete existing rows of the demo tables first (otherwise a non-empty table is an error). */
  replace?: boolean;
}

/** Progress reporting, shaped like the CLI's (kept structural so the store does not import the CLI). */
export interface DemoProgress {
  phase(name: string, total?: number): void;
  tick(n?: number): void;
}

const NO_PROGRESS: DemoProgress = { phase() {}, tick() {} };

/** The signal each seed rule reads. */
export const SEED_SIGNAL: Record<RmmTool, PlantedSignal> = {
  ServerEye: 'process',
  RPort: 'process',
  Kaseya: 'signature',
};

export interface DemoSummary {
  db: string;
  now: string;
  seed: number;
  devices: number;
  days: number;
  rows: Record<DemoTable, number>;
  /** Per tool, for the signal its seed rule reads; `*InWindow` counts the last 5 days. */
  planted: Record<
    RmmTool,
    { signal: PlantedSignal; devices: number; rows: number; devicesInWindow: number; rowsInWindow: number }
  >;
  /** Every planted tool (seed and extra): devices, signals seen, devices the example policy approves it on. */
  tools: { tool: PlantedTool; devices: number; signals: PlantedSignal[]; approvedDevices: number }[];
  nearMisses: number;
}

export const DEMO_LIMITS = { devices: { min: 1, max: 2000 }, days: { min: 1, max: 90 } } as const;

async function assertEmpty(store: Store): Promise<void> {
  for (const table of DEMO_TABLES) {
    const r = await store.query(`SELECT count(*) FROM ${quoteIdentDuckdb(table)}`);
    if (Number(r.rows[0]![0]) > 0) {
      throw new UserError('SF-DEMO-NOT-EMPTY', `the store ${store.path} already has rows in ${table}`, {
        hint: 'pass --replace to delete the rows of the demo tables first, or use another --db',
      });
    }
  }
}

/**
 * Generates the demo estate into `store` in one transaction and returns a summary and the truth.
 * With the same options (including `now`) the rows and the truth are identical on every run.
 */
export async function generateDemo(
  store: Store,
  opts: DemoOptions,
  progress: DemoProgress = NO_PROGRESS,
): Promise<{ summary: DemoSummary; truth: Truth }> {
  const { devices: count, days, seed } = opts;
  if (!Number.isInteger(count) || count < DEMO_LIMITS.devices.min || count > DEMO_LIMITS.devices.max)
    throw new RangeError(`devices out of range: ${count}`);
  if (!Number.isInteger(days) || days < DEMO_LIMITS.days.min || days > DEMO_LIMITS.days.max)
    throw new RangeError(`days out of range: ${days}`);
  if (!opts.replace) await assertEmpty(store);

  const period = new Period(opts.now, days);
  const estate = buildEstate(seed, count, rngFor(seed, 'estate'));
  const seedPlan = planRmm(period, count, rngFor(seed, 'rmm'));
  const workstations = estate.filter((d) => d.role === 'workstation').map((d) => d.index);
  const extraPlan = planExtraRmm(period, count, workstations, rngFor(seed, 'rmm-extra'));
  const plan = {
    plants: [...seedPlan.plants, ...extraPlan.plants],
    nearMisses: [...seedPlan.nearMisses, ...extraPlan.nearMisses],
  };
  const profiles = new Map<string, PlantProfile>(
    plan.plants.map((p) => [TruthBuilder.profileKey(p.tool, p.deviceIndex), p.profile]),
  );
  const truth = new TruthBuilder(opts.now, seed, days, estate, profiles);
  const rows = new Map<DemoTable, DemoEvent[]>(DEMO_TABLES.map((t) => [t, []]));

  progress.phase('simulating devices', count);
  for (const device of estate) {
    const events = simulateDevice(
      device,
      period,
      seed,
      estate,
      plan.plants.filter((p) => p.deviceIndex === device.index),
      plan.nearMisses.filter((n) => n.deviceIndex === device.index),
    );
    // Defender numbers a device's reports in the order they happen.
    events.sort((a, b) => a.t - b.t);
    const ids = rngFor(seed, 'report-id', device.index);
    let reportId = ids.int(1_000, 60_000);
    for (const e of events) {
      reportId += ids.int(1, 3);
      const ticks = period.at(e.t);
      Object.assign(e.row, {
        Timestamp: ticks,
        DeviceId: device.DeviceId,
        DeviceName: device.DeviceName,
        ReportId: reportId,
      });
      rows.get(e.table)!.push(e);
      if (e.mark) truth.add(device, e.table, e.mark, ticks, e.row, e.shared);
    }
    progress.tick();
  }

  const total = [...rows.values()].reduce((n, r) => n + r.length, 0);
  progress.phase('writing rows', total);
  await store.transaction(async () => {
    if (opts.replace)
      for (const table of DEMO_TABLES) await store.run(`DELETE FROM ${quoteIdentDuckdb(table)}`);
    for (const table of DEMO_TABLES) {
      const writer = await TableWriter.open(store, table, opts.now);
      try {
        let pending = 0;
        for (const e of rows.get(table)!) {
          writer.append(e.row, e.shared);
          if (++pending === 2000) {
            progress.tick(pending);
            pending = 0;
          }
        }
        progress.tick(pending);
      } finally {
        writer.close();
      }
    }
  });

  const built = truth.build();
  return { summary: summarize(store.path, opts, rows, built), truth: built };
}

function summarize(
  db: string,
  opts: DemoOptions,
  rows: Map<DemoTable, DemoEvent[]>,
  truth: Truth,
): DemoSummary {
  const windowStart = formatIsoTicks(opts.now - BigInt(RULE_WINDOW_TICKS));
  const planted = {} as DemoSummary['planted'];
  for (const tool of RMM_TOOLS) {
    const signal = SEED_SIGNAL[tool];
    const entries = truth.planted.filter((p) => p.tool === tool && p.signal === signal);
    // ISO strings with a fixed width compare in time order.
    const inWindow = entries.map((e) => e.events.filter((x) => x.Timestamp >= windowStart).length);
    planted[tool] = {
      signal,
      devices: entries.length,
      rows: entries.reduce((n, e) => n + e.count, 0),
      devicesInWindow: inWindow.filter((n) => n > 0).length,
      rowsInWindow: inWindow.reduce((a, b) => a + b, 0),
    };
  }
  return {
    db,
    now: truth.now,
    seed: opts.seed,
    devices: opts.devices,
    days: opts.days,
    rows: Object.fromEntries(DEMO_TABLES.map((t) => [t, rows.get(t)!.length])) as Record<DemoTable, number>,
    planted,
    tools: PLANTED_TOOLS.map((tool) => {
      const entries = truth.planted.filter((p) => p.tool === tool);
      const devices = new Set(entries.map((p) => p.DeviceId));
      const approved = new Set(entries.filter((p) => p.approved).map((p) => p.DeviceId));
      const signals = [...new Set(entries.map((p) => p.signal))];
      return { tool, devices: devices.size, signals, approvedDevices: approved.size };
    }),
    nearMisses: truth.nearMisses.length,
  };
}
