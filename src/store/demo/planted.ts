import { bootAt } from './background.js';
import type { BootState } from './boot.js';
import { SYSTEM } from './estate.js';
import type { Rng } from './random.js';
import {
  ALL_PLANTED_PROGRAMS,
  NEAR_MISSES,
  PLANTED_PROGRAMS,
  RMM_TOOLS,
  type NearMissDef,
  type PlantedTool,
  type RmmTool,
} from './rmm.js';
import { EXTRA_DEFS, EXTRA_TOOLS } from './rmm-extra.js';
import { EXTRA_NEAR_MISSES } from './rmm-extra-near.js';
import type { ServiceSpec } from './services.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND, type Period } from './ticks.js';
import type { DeviceTimeline } from './timeline.js';
import type { Session } from './workday.js';

/** The seed rules look back 5 days (`now(-5d)`). */
export const RULE_WINDOW_TICKS = 5 * TICKS_PER_DAY;

/**
 * How a planted tool's activity sits relative to the rules' 5-day window:
 * - `spanning`: installed before the window (before the period, or early in it) and still there;
 *   when the period is longer than 5 days it also gets one row exactly on the window's start and
 *   one a single tick (100 ns) before it;
 * - `stale`: installed and removed again before the window (needs a period longer than 6 days);
 * - `recent`: installed inside the window.
 */
export type PlantProfile = 'spanning' | 'stale' | 'recent';

export interface Plant {
  tool: PlantedTool;
  deviceIndex: number;
  profile: PlantProfile;
  from: number;
  until: number;
  /** Offsets that must carry a planted row (the window boundary), empty if none. */
  boundary: number[];
}

export interface NearMissPlacement {
  def: NearMissDef;
  deviceIndex: number;
  times: number[];
}

export interface RmmPlan {
  plants: Plant[];
  nearMisses: NearMissPlacement[];
}

const SHARE: Record<RmmTool, number> = { ServerEye: 0.12, RPort: 0.08, Kaseya: 0.12 };
const PROFILE_ORDER: readonly PlantProfile[] = ['spanning', 'stale', 'recent'];

function between(rng: Rng, lo: number, hi: number): number {
  return hi <= lo ? lo : lo + Math.floor(rng.next() * (hi - lo));
}

/** Places one tool on `n` random devices, cycling through the profiles. */
function placeTool(tool: PlantedTool, n: number, period: Period, deviceCount: number, rng: Rng): Plant[] {
  const { span } = period;
  const w = period.before(RULE_WINDOW_TICKS); // offset of now - 5d; <= 0 when the period is 5 days or less
  const devices = rng.sample([...Array(deviceCount).keys()], n);
  return devices.map((deviceIndex, i): Plant => {
    let profile = PROFILE_ORDER[i % PROFILE_ORDER.length]!;
    if (profile === 'stale' && w < TICKS_PER_DAY) profile = 'recent';
    let from: number;
    let until = Infinity;
    if (profile === 'spanning') {
      from =
        w > TICKS_PER_DAY
          ? between(rng, 0, w - 6 * TICKS_PER_HOUR)
          : -between(rng, TICKS_PER_DAY, 3 * TICKS_PER_DAY);
    } else if (profile === 'stale') {
      from = between(rng, 0, Math.floor(w / 3));
      until = w - between(rng, 2 * TICKS_PER_HOUR, Math.min(w - from - 6 * TICKS_PER_HOUR, TICKS_PER_DAY));
    } else {
      const lo = Math.max(w, 0) + TICKS_PER_HOUR;
      from = between(rng, lo, Math.max(lo, span - 12 * TICKS_PER_HOUR));
    }
    const boundary = profile === 'spanning' && w >= 1 ? [w, w - 1] : [];
    return { tool, deviceIndex, profile, from, until, boundary };
  });
}

/** Near misses of `defs`, each on one or two of `eligible` devices at a few times in the window. */
function placeNearMisses(
  defs: readonly NearMissDef[],
  period: Period,
  eligible: (def: NearMissDef) => number[],
  rng: Rng,
  deviceCount: number,
): NearMissPlacement[] {
  const w = period.before(RULE_WINDOW_TICKS);
  const lo = Math.max(w, 0) + TICKS_PER_HOUR;
  const hi = period.span - 30 * TICKS_PER_MINUTE;
  const out: NearMissPlacement[] = [];
  for (const def of defs) {
    for (const deviceIndex of rng.sample(eligible(def), deviceCount >= 10 ? 2 : 1)) {
      const times = Array.from({ length: rng.int(1, 3) }, () => between(rng, lo, hi));
      out.push({ def, deviceIndex, times });
    }
  }
  return out;
}

/** Chooses the devices that run each seed tool and when, and where their near misses go. */
export function planRmm(period: Period, deviceCount: number, rng: Rng): RmmPlan {
  const plants = RMM_TOOLS.flatMap((tool) =>
    placeTool(tool, Math.max(1, Math.round(deviceCount * SHARE[tool])), period, deviceCount, rng),
  );
  const all = [...Array(deviceCount).keys()];
  const nearMisses = placeNearMisses(NEAR_MISSES, period, () => all, rng, deviceCount);
  return { plants, nearMisses };
}

/**
 * The same for the extra tools, from its own random stream (so the seed tools' plan does not
 * change). Network near misses are a user's browsing, so they go on workstations (`workstations`
 * lists their indexes; all devices when there are none).
 */
export function planExtraRmm(period: Period, deviceCount: number, workstations: number[], rng: Rng): RmmPlan {
  const plants = EXTRA_TOOLS.flatMap((tool) =>
    placeTool(tool, Math.max(1, Math.round(deviceCount * EXTRA_DEFS[tool].share)), period, deviceCount, rng),
  );
  const all = [...Array(deviceCount).keys()];
  const users = workstations.length > 0 ? workstations : all;
  const nearMisses = placeNearMisses(
    EXTRA_NEAR_MISSES,
    period,
    (def) => (def.signal === 'network' ? users : all),
    rng,
    deviceCount,
  );
  return { plants, nearMisses };
}

/** The planted tools as Windows services with the beacons and periodic tasks such agents have. */
export function plantedServices(plants: readonly Plant[]): ServiceSpec[] {
  return plants.map((p): ServiceSpec => {
    const [service, ...helpers] = ALL_PLANTED_PROGRAMS[p.tool];
    const base = { program: service!, account: SYSTEM, from: p.from, until: p.until };
    const h = TICKS_PER_HOUR;
    const m = TICKS_PER_MINUTE;
    switch (p.tool) {
      case 'ServerEye':
        return {
          ...base,
          beacon: [60 * m, 180 * m],
          tasks: [
            { program: helpers[0]!, every: [3 * h, 8 * h], at: p.boundary },
            { program: helpers[1]!, every: [20 * h, 30 * h] },
          ],
        };
      case 'RPort':
        return {
          ...base,
          beacon: [60 * m, 240 * m],
          tasks: [{ program: helpers[0]!, every: [6 * h, 16 * h], at: p.boundary }],
        };
      case 'Kaseya':
        return {
          ...base,
          beacon: [45 * m, 150 * m],
          tasks: [
            { program: helpers[0]!, every: [2 * h, 6 * h] },
            { program: helpers[1]!, every: [12 * h, 36 * h] },
          ],
        };
      default: {
        // Extra tools: the service beacons; the first helper also runs on the window boundary.
        const def = EXTRA_DEFS[p.tool];
        return {
          ...base,
          beacon: [def.beaconMinutes[0] * m, def.beaconMinutes[1] * m],
          tasks: helpers.map((program, i) => ({
            program,
            every: [def.taskHours[i]![0] * h, def.taskHours[i]![1] * h] as const,
            at: i === 0 ? p.boundary : [],
          })),
        };
      }
    }
  });
}

/**
 * Rows that are not services: the Kaseya signature rows on the window boundary (the Kaseya rule
 * reads signatures, not processes) and the near misses.
 */
export function plantOneOffs(
  tl: DeviceTimeline,
  boots: readonly BootState[],
  plants: readonly Plant[],
  nearMisses: readonly NearMissPlacement[],
  sessions: readonly Session[] = [],
): void {
  for (const p of plants) {
    if (p.tool !== 'Kaseya') continue;
    for (const t of p.boundary) tl.certificate(t, PLANTED_PROGRAMS.Kaseya[0]);
  }
  for (const nm of nearMisses) {
    for (const t of nm.times) {
      if (nm.def.signal === 'signature') {
        tl.certificate(t, nm.def.program);
      } else if (nm.def.signal === 'network') {
        browseTo(tl, boots, sessions, t, nm.def);
      } else {
        const b = bootAt(boots, t);
        tl.start(t, b.services, nm.def.program, { account: SYSTEM, boot: b.n });
      }
    }
  }
}

/**
 * A user opens a vendor's site in the browser: in the session at `t`, else in the next one (or
 * the last), so the browser runs under the user's explorer.exe like any other browsing.
 */
function browseTo(
  tl: DeviceTimeline,
  boots: readonly BootState[],
  sessions: readonly Session[],
  t: number,
  def: NearMissDef,
): void {
  const s =
    sessions.find((x) => x.from <= t && t <= x.to) ?? sessions.find((x) => x.from > t) ?? sessions.at(-1);
  const at = s ? Math.min(Math.max(t, s.from + 10 * TICKS_PER_MINUTE), s.to - 5 * TICKS_PER_MINUTE) : t;
  const b = bootAt(boots, at);
  const proc = s
    ? tl.start(at, s.explorer, def.program, { account: s.account, boot: s.boot })
    : tl.start(at, b.services, def.program, { account: SYSTEM, boot: b.n });
  tl.connect(
    at + tl.rng.int(1, 4) * TICKS_PER_SECOND + tl.rng.int(0, TICKS_PER_SECOND - 1),
    proc,
    def.destination!,
    false,
    def,
  );
}
