import type { BootState } from './boot.js';
import type { Account } from './estate.js';
import type { Program } from './program.js';
import { TICKS_PER_DAY, TICKS_PER_SECOND } from './ticks.js';
import type { DeviceTimeline, Proc } from './timeline.js';

/** A program that runs periodically under a service (an agent's check, an updater). */
export interface ServiceTask {
  program: Program;
  /** Ticks between runs, drawn uniformly from [min, max]. */
  every: readonly [number, number];
  account?: Account;
  /** Runs at exactly these offsets too (used to plant rows on a rule's window boundary). */
  at?: readonly number[];
}

/** A Windows service: started by services.exe at boot (or when installed), it beacons and runs tasks. */
export interface ServiceSpec {
  program: Program;
  account: Account;
  /** Installed at this offset (a negative value: before the period). */
  from: number;
  /** Removed at this offset (Infinity: still there at `now`). */
  until: number;
  /** Ticks between outbound connections to the program's destinations. */
  beacon?: readonly [number, number];
  tasks?: readonly ServiceTask[];
}

function destinationOf(tl: DeviceTimeline, p: Program) {
  return tl.rng.weighted(p.destinations, (d) => d.weight ?? 1);
}

/**
 * Runs every service over the boots of a device: one process per (service, boot) while the
 * service is installed, its beacons while it runs, its tasks as child processes, and a daily
 * signature inventory of each image that stays resident (Defender re-reports running images).
 */
export function runServices(
  tl: DeviceTimeline,
  boots: readonly BootState[],
  specs: readonly ServiceSpec[],
): void {
  const { span } = tl.period;
  for (let b = 0; b < boots.length; b++) {
    const boot = boots[b]!;
    const bootEnd = b + 1 < boots.length ? boots[b + 1]!.at : span;
    for (const spec of specs) {
      const startedAtBoot = boot.at + tl.rng.int(12, 90) * TICKS_PER_SECOND + tl.rng.int(0, TICKS_PER_SECOND);
      const start = Math.max(startedAtBoot, spec.from);
      const end = Math.min(bootEnd, spec.until, span);
      if (start >= end) continue;
      const proc = tl.start(start, boot.services, spec.program, { account: spec.account, boot: boot.n });
      runResident(tl, boot, proc, spec, start, end);
    }
  }
}

function runResident(
  tl: DeviceTimeline,
  boot: BootState,
  proc: Proc,
  spec: ServiceSpec,
  start: number,
  end: number,
): void {
  const rng = tl.rng;
  const from = Math.max(start, 0);
  if (spec.beacon && spec.program.destinations.length > 0) {
    for (
      let t = from + rng.int(spec.beacon[0], spec.beacon[1]) * 0.3;
      t < end;
      t += rng.int(spec.beacon[0], spec.beacon[1])
    ) {
      tl.connect(Math.round(t), proc, destinationOf(tl, spec.program));
    }
  }
  for (const task of spec.tasks ?? []) {
    const times: number[] = [];
    for (
      let t = from + rng.int(task.every[0], task.every[1]) * rng.next();
      t < end;
      t += rng.int(task.every[0], task.every[1])
    ) {
      times.push(Math.round(t));
    }
    for (const t of task.at ?? []) if (t >= start && t < end) times.push(t);
    for (const t of times) {
      const child = tl.start(t, proc, task.program, { account: task.account ?? spec.account, boot: boot.n });
      if (task.program.destinations.length > 0) {
        const n = rng.int(1, 2);
        for (let i = 0; i < n; i++)
          tl.connect(
            t + rng.int(1, 30) * TICKS_PER_SECOND + rng.int(0, TICKS_PER_SECOND),
            child,
            destinationOf(tl, task.program),
          );
      }
    }
  }
  // Daily signature inventory of the resident image.
  const firstDay = Math.floor(from / TICKS_PER_DAY);
  for (let day = firstDay; day * TICKS_PER_DAY < end; day++) {
    const lo = Math.max(from, day * TICKS_PER_DAY);
    const hi = Math.min(end, (day + 1) * TICKS_PER_DAY);
    if (hi > lo) tl.sawImage(lo + Math.floor(rng.next() * (hi - lo)), spec.program);
  }
}
