import { bootAt, serverDay, systemDay } from './background.js';
import { bootDevice, bootTimes } from './boot.js';
import { MSSQL_SERVICE, SQLAGENT_SERVICE, SYSTEM, type Account, type Device } from './estate.js';
import { plantedServices, plantOneOffs, type NearMissPlacement, type Plant } from './planted.js';
import { rngFor } from './random.js';
import type { ServiceSpec } from './services.js';
import { runServices } from './services.js';
import { SOFTWARE } from './software.js';
import type { DemoEvent } from './tables.js';
import { TICKS_PER_HOUR, TICKS_PER_MINUTE, type Period } from './ticks.js';
import { DeviceTimeline } from './timeline.js';
import { workstationSession, type Session } from './workday.js';

const ALWAYS = { from: -Infinity, until: Infinity };

/** The services every device of its kind runs (security agents, VPN, Office, server roles). */
function ordinaryServices(tl: DeviceTimeline): ServiceSpec[] {
  const m = TICKS_PER_MINUTE;
  const h = TICKS_PER_HOUR;
  const d = tl.device;
  const specs: ServiceSpec[] = [
    // Defender keeps its own telemetry connections mostly out of the table; a few a day remain.
    { program: SOFTWARE.msMpEng, account: SYSTEM, ...ALWAYS, beacon: [2 * h, 5 * h] },
    {
      program: SOFTWARE.msSense,
      account: SYSTEM,
      ...ALWAYS,
      beacon: [1 * h, 3 * h],
      tasks: [{ program: SOFTWARE.senseCncProxy, every: [3 * h, 8 * h] }],
    },
  ];
  // A CrowdStrike pilot runs on part of the estate, next to Defender in passive mode.
  if (tl.rng.chance(0.4))
    specs.push({ program: SOFTWARE.csFalconService, account: SYSTEM, ...ALWAYS, beacon: [45 * m, 120 * m] });
  if (d.role === 'workstation') {
    specs.push({ program: SOFTWARE.vpnAgent, account: SYSTEM, ...ALWAYS, beacon: [3 * h, 6 * h] });
    specs.push({ program: SOFTWARE.officeC2R, account: SYSTEM, ...ALWAYS, beacon: [4 * h, 8 * h] });
  }
  if (d.group === 'sql') {
    specs.push({ program: SOFTWARE.sqlservr, account: MSSQL_SERVICE, ...ALWAYS });
    specs.push({ program: SOFTWARE.sqlAgent, account: SQLAGENT_SERVICE, ...ALWAYS });
  }
  if (d.group === 'file') specs.push({ program: SOFTWARE.dfsrs, account: SYSTEM, ...ALWAYS });
  return specs;
}

/**
 * Everything that happens on one device over the period, planted activity and near misses
 * included. Each device has its own random stream, so devices do not depend on each other.
 */
export function simulateDevice(
  device: Device,
  period: Period,
  seed: number,
  estate: readonly Device[],
  plants: readonly Plant[],
  nearMisses: readonly NearMissPlacement[],
): DemoEvent[] {
  const tl = new DeviceTimeline(device, period, rngFor(seed, 'device', device.index));
  const rng = tl.rng;
  const boots = bootTimes(tl).map((at, i) => bootDevice(tl, i + 1, at));
  runServices(tl, boots, [...ordinaryServices(tl), ...plantedServices(plants)]);

  const sessions: Session[] = [];
  const clients = estate.filter((d) => d.role === 'workstation');
  for (const midnight of period.midnights()) {
    const weekday = ((w) => w >= 1 && w <= 5)(period.weekday(midnight + 12 * TICKS_PER_HOUR));
    if (device.role === 'workstation') {
      if (rng.chance(weekday ? 0.93 : 0.06)) {
        const from =
          midnight +
          Math.round(
            rng.around(7.9 * TICKS_PER_HOUR, 0.5 * TICKS_PER_HOUR, 6.5 * TICKS_PER_HOUR, 10 * TICKS_PER_HOUR),
          );
        const to =
          midnight +
          Math.round(
            rng.around(17.3 * TICKS_PER_HOUR, 0.7 * TICKS_PER_HOUR, 15 * TICKS_PER_HOUR, 21 * TICKS_PER_HOUR),
          );
        sessions.push(workstationSession(tl, bootAt(boots, from), from, to));
      }
      systemDay(tl, boots, midnight + 6.5 * TICKS_PER_HOUR, midnight + 20 * TICKS_PER_HOUR);
    } else {
      systemDay(tl, boots, midnight, midnight + 24 * TICKS_PER_HOUR);
      serverDay(tl, boots, midnight, clients, weekday);
    }
  }
  plantOneOffs(tl, boots, plants, nearMisses, sessions);

  // Defender's device inventory, refreshed every few hours.
  for (
    let t = rng.int(0, 3 * TICKS_PER_HOUR);
    t <= period.span;
    t += 3 * TICKS_PER_HOUR + rng.int(-10, 10) * TICKS_PER_MINUTE
  ) {
    const loggedOn: Account[] = sessions.filter((s) => s.from <= t && t <= s.to).map((s) => s.account);
    tl.deviceInfo(t, loggedOn);
  }
  return tl.events;
}
