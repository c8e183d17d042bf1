import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM } from './estate.js';
import { SOFTWARE } from './software.js';
import { TICKS_PER_MS, TICKS_PER_SECOND } from './ticks.js';
import type { DeviceTimeline, Proc } from './timeline.js';

/** The processes every later event hangs off, for one boot of a device. */
export interface BootState {
  /** 1 for the boot before the period, then one more per reboot. */
  n: number;
  at: number;
  kernel: Proc;
  smss: Proc;
  wininit: Proc;
  winlogon: Proc;
  services: Proc;
  lsass: Proc;
  /** svchost.exe instances by the service group they host. */
  svchost: { dcom: Proc; schedule: Proc; wuauserv: Proc; dnscache: Proc; eventlog: Proc; userSvc: Proc };
}

const SVC = SOFTWARE.svchost.path;

/**
 * Starts Windows the way it starts: kernel → smss → (csrss, wininit, winlogon); wininit →
 * (services, lsass); services → svchost instances. Boots before the period create the same tree
 * without reporting it, so processes seen later still have plausible parents and start times.
 */
export function bootDevice(tl: DeviceTimeline, n: number, at: number): BootState {
  const step = (ms: number) => at + ms * TICKS_PER_MS + tl.rng.int(0, TICKS_PER_MS - 1);
  const kernel = tl.start(at, null, SOFTWARE.ntoskrnl, { account: SYSTEM, boot: n });
  kernel.pid = 4;
  const smss = tl.start(step(1_850), kernel, SOFTWARE.smss, { boot: n });
  tl.start(step(3_900), smss, SOFTWARE.csrss, { boot: n });
  const wininit = tl.start(step(4_050), smss, SOFTWARE.wininit, { boot: n });
  const winlogon = tl.start(step(4_300), smss, SOFTWARE.winlogon, { boot: n, sessionId: 1 });
  const services = tl.start(step(4_700), wininit, SOFTWARE.services, { boot: n });
  const lsass = tl.start(step(4_760), wininit, SOFTWARE.lsass, { boot: n });
  const svc = (ms: number, cmd: string, account = SYSTEM) =>
    tl.start(step(ms), services, SOFTWARE.svchost, { boot: n, account, commandLine: `${SVC} ${cmd}` });
  const svchost = {
    dcom: svc(5_200, '-k DcomLaunch -p'),
    eventlog: svc(5_900, '-k LocalServiceNetworkRestricted -p -s EventLog', LOCAL_SERVICE),
    dnscache: svc(6_400, '-k NetworkService -p -s Dnscache', NETWORK_SERVICE),
    schedule: svc(7_100, '-k netsvcs -p -s Schedule'),
    wuauserv: svc(9_800, '-k netsvcs -p -s wuauserv'),
    userSvc: svc(11_300, '-k UnistackSvcGroup'),
  };
  // Session 0 helpers that start at every boot.
  tl.start(at + 14 * TICKS_PER_SECOND + tl.rng.int(0, TICKS_PER_SECOND), svchost.dcom, SOFTWARE.wmiPrvSE, {
    boot: n,
    account: NETWORK_SERVICE,
  });
  return { n, at, kernel, smss, wininit, winlogon, services, lsass, svchost };
}

/** Boot times: one before the period, then the occasional (patch) reboot at night. */
export function bootTimes(tl: DeviceTimeline): number[] {
  const rng = tl.rng;
  const { span } = tl.period;
  const dayTicks = 24 * 3600 * TICKS_PER_SECOND;
  const first = -rng.int(Math.round(0.2 * dayTicks), 9 * dayTicks);
  const out = [first];
  for (const midnight of tl.period.midnights()) {
    // About one reboot a week, in the maintenance window at 03:00 UTC.
    if (!rng.chance(tl.device.role === 'server' ? 0.08 : 0.14)) continue;
    const t = midnight + 3 * 3600 * TICKS_PER_SECOND + rng.int(0, 40 * 60 * TICKS_PER_SECOND);
    if (t > 0 && t < span - 3600 * TICKS_PER_SECOND) out.push(t);
  }
  return out;
}
