import type { BootState } from './boot.js';
import { DC_IP, FILE_SERVER_IP, IIS_APPPOOL, NETWORK_SERVICE, SYSTEM, type Device } from './estate.js';
import { dest } from './destinations.js';
import type { Program } from './program.js';
import { SOFTWARE } from './software.js';
import { TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND } from './ticks.js';
import type { DeviceTimeline, Proc } from './timeline.js';

const WINDOWS_UPDATE = [
  dest('fe3cr.delivery.mp.microsoft.com', 3),
  dest('slscr.update.microsoft.com', 2),
  dest('ctldl.windowsupdate.com', 2, 80),
  dest('settings-win.data.microsoft.com', 2),
  dest('login.live.com', 1),
];

/** Which boot is current at offset `t`. */
export function bootAt(boots: readonly BootState[], t: number): BootState {
  let current = boots[0]!;
  for (const b of boots) if (b.at <= t) current = b;
  return current;
}

/**
 * What Windows does by itself in a day: scheduled tasks, COM servers, Defender signature
 * updates, browser updaters, DNS and Kerberos traffic. `[from, to]` is when the machine is busy
 * (workstations: daytime; servers: the whole day).
 */
export function systemDay(tl: DeviceTimeline, boots: readonly BootState[], from: number, to: number): void {
  const rng = tl.rng;
  const d = tl.device;
  const at = () => from + Math.floor(rng.next() * (to - from));
  const run = (parent: (b: BootState) => Proc, p: Program, count: number, account = SYSTEM): void => {
    for (let i = 0; i < count; i++) {
      const t = at();
      const b = bootAt(boots, t);
      const proc = tl.start(t, parent(b), p, { account, boot: b.n });
      if (p.destinations.length > 0)
        tl.connect(
          t + rng.int(1, 20) * TICKS_PER_SECOND,
          proc,
          rng.weighted(p.destinations, (x) => x.weight ?? 1),
        );
    }
  };
  const schedule = (b: BootState) => b.svchost.schedule;
  const dcom = (b: BootState) => b.svchost.dcom;
  run(schedule, SOFTWARE.taskhostw, rng.int(2, 4));
  run(schedule, SOFTWARE.mpCmdRun, rng.int(1, 3));
  run(schedule, SOFTWARE.edgeUpdate, rng.int(1, 2));
  if (d.role === 'workstation') {
    run(schedule, SOFTWARE.googleUpdate, rng.int(0, 2));
    run(dcom, SOFTWARE.backgroundTaskHost, rng.int(1, 2), d.user);
    run(dcom, SOFTWARE.searchProtocolHost, rng.int(1, 3));
    if (d.apps.includes('acrobat') && rng.chance(0.5)) run(schedule, SOFTWARE.adobeArm, 1);
  }
  run(dcom, SOFTWARE.wmiPrvSE, rng.int(1, 3), NETWORK_SERVICE);
  run(dcom, SOFTWARE.dllhost, rng.int(0, 2));
  run(dcom, SOFTWARE.mousoCoreWorker, rng.int(0, 1));
  if (rng.chance(0.3)) run(schedule, SOFTWARE.compatTelRunner, 1);
  if (rng.chance(0.3)) run(schedule, SOFTWARE.rundll32, 1);

  for (let i = rng.int(1, 3); i > 0; i--) {
    const t = at();
    tl.connect(
      t,
      bootAt(boots, t).svchost.wuauserv,
      rng.weighted(WINDOWS_UPDATE, (x) => x.weight ?? 1),
    );
  }
  if (d.group !== 'dc') {
    for (let i = rng.int(3, 8); i > 0; i--) {
      const t = at();
      tl.connectInternal(t, bootAt(boots, t).svchost.dnscache, DC_IP, 53, 'Udp');
    }
    for (let i = rng.int(1, 3); i > 0; i--) {
      const t = at();
      tl.connectInternal(t, bootAt(boots, t).lsass, DC_IP, 389);
    }
  }
}

/** Inbound traffic a server role receives from the workstations, and the admin's visits. */
export function serverDay(
  tl: DeviceTimeline,
  boots: readonly BootState[],
  midnight: number,
  clients: readonly Device[],
  weekday: boolean,
): void {
  const rng = tl.rng;
  const d = tl.device;
  const business = () => midnight + 7 * TICKS_PER_HOUR + Math.floor(rng.next() * 11 * TICKS_PER_HOUR);
  const clientIp = () => (clients.length > 0 ? rng.pick(clients).localIp : '10.20.8.10');
  const inbound = (who: (b: BootState) => Proc, port: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const t = business();
      tl.accept(t, who(bootAt(boots, t)), clientIp(), port);
    }
  };
  const busy = weekday ? 1 : 0.2;
  switch (d.group) {
    case 'dc':
      inbound((b) => b.lsass, 88, Math.round(rng.int(15, 35) * busy));
      inbound((b) => b.lsass, 389, Math.round(rng.int(10, 25) * busy));
      break;
    case 'file':
      inbound((b) => b.kernel, 445, Math.round(rng.int(10, 30) * busy));
      break;
    case 'web':
    case 'app': {
      const t = midnight + rng.int(1, 5) * TICKS_PER_HOUR;
      const b = bootAt(boots, t);
      // IIS starts its worker process on the first request of the day (WAS hosts it in svchost).
      const w3wp = tl.start(t, b.svchost.schedule, SOFTWARE.w3wp, { account: IIS_APPPOOL, boot: b.n });
      for (let i = Math.round(rng.int(10, 30) * busy); i > 0; i--)
        tl.accept(business(), w3wp, clientIp(), 443);
      break;
    }
  }
  // Now and then the administrator logs on over RDP to look after the server.
  if (weekday && rng.chance(0.3)) {
    const t = business();
    const b = bootAt(boots, t);
    const admin = d.user;
    const logonId = rng.int(0x100000, 0xfffffff);
    const from = clients.find((c) => c.group === 'it') ?? clients[0];
    tl.logon(t, admin, {
      logonType: 'RemoteInteractive',
      logonId,
      protocol: 'Kerberos',
      remoteIp: from?.localIp ?? '10.20.8.10',
      remoteDeviceName: from?.DeviceName.split('.')[0]?.toUpperCase() ?? '',
      initiating: b.lsass,
      localAdmin: true,
    });
    const as = { account: admin, logonId, sessionId: 2, boot: b.n } as const;
    const userinit = tl.start(t + 3 * TICKS_PER_SECOND, b.winlogon, SOFTWARE.userinit, as);
    const explorer = tl.start(t + 5 * TICKS_PER_SECOND, userinit, SOFTWARE.explorer, as);
    tl.start(t + 6 * TICKS_PER_SECOND, b.svchost.userSvc, SOFTWARE.rdpclip, as);
    const ps = tl.start(t + rng.int(1, 10) * TICKS_PER_MINUTE, explorer, SOFTWARE.powershell, {
      ...as,
      integrity: 'High',
      elevation: 'TokenElevationTypeFull',
    });
    tl.start(ps.created + TICKS_PER_SECOND / 2, ps, SOFTWARE.conhost, { boot: b.n });
    if (rng.chance(0.5))
      tl.connectInternal(ps.created + rng.int(5, 60) * TICKS_PER_SECOND, ps, FILE_SERVER_IP, 445);
  }
}
