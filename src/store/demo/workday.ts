import type { BootState } from './boot.js';
import { DC_IP, FILE_SERVER_IP, type Account } from './estate.js';
import type { Program } from './program.js';
import { SOFTWARE, type SoftwareKey } from './software.js';
import { TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND } from './ticks.js';
import type { DeviceTimeline, Proc } from './timeline.js';

/** A user's interactive logon on a workstation, from logon to logoff. */
export interface Session {
  from: number;
  to: number;
  account: Account;
  explorer: Proc;
  boot: number;
}

const BROWSERS: readonly SoftwareKey[] = ['chrome', 'msedge', 'firefox'];
const DOWNLOADS = [
  { name: 'invoice_2024-1187.pdf', url: 'https://billing.fabrikam.com/invoices/2024-1187.pdf' },
  { name: 'export-contacts.zip', url: 'https://contoso.my.salesforce.com/servlet/servlet.ReportList' },
  {
    name: 'Q3-results.xlsx',
    url: 'https://contoso.sharepoint.com/sites/finance/Shared%20Documents/Q3-results.xlsx',
  },
  { name: 'ChromeSetup.exe', url: 'https://dl.google.com/chrome/install/ChromeSetup.exe' },
  { name: 'travel-policy.pdf', url: 'https://contoso.sharepoint.com/sites/hr/Policies/travel-policy.pdf' },
];

function seconds(tl: DeviceTimeline, min: number, max: number): number {
  return tl.rng.int(min * TICKS_PER_SECOND, max * TICKS_PER_SECOND);
}

/** The browser a user prefers, stable per device. */
export function preferredBrowser(tl: DeviceTimeline): Program {
  const key = tl.device.apps.includes('firefox') ? 'firefox' : BROWSERS[tl.device.index % 2]!;
  return SOFTWARE[key];
}

/**
 * One working day at a workstation: logon, the shell and its startup apps, then the user opening
 * mail, browsers, documents and department tools, each talking to its usual hosts.
 */
export function workstationSession(tl: DeviceTimeline, boot: BootState, from: number, to: number): Session {
  const rng = tl.rng;
  const user = tl.device.user;
  const logonId = rng.int(0x100000, 0xfffffff);
  const elevation = tl.device.group === 'it' ? 'TokenElevationTypeLimited' : 'TokenElevationTypeDefault';
  const as = { account: user, logonId, sessionId: 1, boot: boot.n, elevation } as const;

  if (rng.chance(0.06)) {
    tl.logon(from - seconds(tl, 20, 90), user, {
      logonType: 'Interactive',
      logonId: 0,
      failed: 'InvalidUserNameOrPassword',
      initiating: boot.lsass,
    });
  }
  tl.logon(from, user, { logonType: 'Interactive', logonId, protocol: 'Kerberos', initiating: boot.lsass });
  tl.connectInternal(from + seconds(tl, 0, 2), boot.lsass, DC_IP, 88);
  const userinit = tl.start(from + seconds(tl, 2, 4), boot.winlogon, SOFTWARE.userinit, as);
  const explorer = tl.start(from + seconds(tl, 4, 7), userinit, SOFTWARE.explorer, as);
  tl.start(from + seconds(tl, 3, 5), boot.svchost.userSvc, SOFTWARE.sihost, as);
  tl.start(from + seconds(tl, 5, 9), boot.svchost.dcom, SOFTWARE.runtimeBroker, as);
  tl.start(from + seconds(tl, 6, 12), boot.svchost.schedule, SOFTWARE.ctfmon, as);
  tl.connectInternal(from + seconds(tl, 8, 20), explorer, FILE_SERVER_IP, 445);
  const session: Session = { from, to, account: user, explorer, boot: boot.n };

  // Startup apps.
  const startup: Program[] = [SOFTWARE.oneDrive, SOFTWARE.teams, SOFTWARE.vpnUi];
  if (tl.device.apps.includes('slack')) startup.push(SOFTWARE.slack);
  for (const p of startup) {
    const proc = runApp(tl, session, p, from + seconds(tl, 15, 120), to);
    if (p === SOFTWARE.teams) {
      for (let i = 0; i < 2; i++)
        runApp(tl, session, SOFTWARE.msedgewebview2, proc.created + seconds(tl, 2, 20), to, proc);
    }
  }
  runApp(tl, session, SOFTWARE.outlook, from + seconds(tl, 120, 900), to);

  // The day's work: a weighted pool of the baseline apps and the department's tools.
  const browser = preferredBrowser(tl);
  const pool: { p: Program; w: number }[] = [
    { p: browser, w: 5 },
    { p: SOFTWARE.word, w: 1.5 },
    { p: SOFTWARE.excel, w: 1.5 },
    { p: SOFTWARE.acrobat, w: 0.7 },
    { p: SOFTWARE.notepad, w: 0.4 },
    ...tl.device.apps.map((k) => ({ p: SOFTWARE[k], w: 2 })),
  ];
  const launches = rng.int(6, 14);
  for (let i = 0; i < launches; i++) {
    const t =
      from + 10 * TICKS_PER_MINUTE + Math.floor(rng.next() * Math.max(1, to - from - 20 * TICKS_PER_MINUTE));
    runApp(tl, session, rng.weighted(pool, (x) => x.w).p, t, to);
  }

  // Screen unlocks after breaks.
  for (let i = rng.int(0, 3); i > 0; i--) {
    const t = from + Math.floor(rng.next() * (to - from));
    tl.logon(t, user, {
      logonType: 'Unlock',
      logonId: rng.int(0x100000, 0xfffffff),
      protocol: 'Kerberos',
      initiating: boot.lsass,
    });
  }
  return session;
}

/** Starts an app in the session and lets it do what that app does until it is closed. */
function runApp(
  tl: DeviceTimeline,
  s: Session,
  p: Program,
  t: number,
  sessionEnd: number,
  parent: Proc = s.explorer,
): Proc {
  const rng = tl.rng;
  // Child-process command lines (--type=renderer …) are for the browser's own children.
  const launchable = p.commandLines.filter((c) => !c.includes('--type=') && !c.includes('-contentproc'));
  const commandLine = tl.resolve(launchable.length > 0 ? rng.pick(launchable) : '"{path}"', p, s.account);
  const proc = tl.start(t, parent, p, { commandLine, boot: s.boot });
  const end = Math.min(
    sessionEnd,
    t +
      Math.round(rng.around(TICKS_PER_HOUR, 40 * TICKS_PER_MINUTE, 2 * TICKS_PER_MINUTE, 9 * TICKS_PER_HOUR)),
  );
  const life = Math.max(TICKS_PER_MINUTE, end - t);
  const browser = BROWSERS.some((k) => SOFTWARE[k] === p);

  if (browser) {
    // Multi-process browsers: a GPU process, a network service and a few renderers.
    for (const cmd of p.commandLines.filter((c) => c.includes('--type=') || c.includes('-contentproc'))) {
      const copies = cmd.includes('renderer') || cmd.includes('-contentproc') ? rng.int(2, 5) : 1;
      for (let i = 0; i < copies; i++)
        tl.start(t + seconds(tl, 1, 240), proc, p, {
          commandLine: tl.resolve(cmd, p, s.account),
          boot: s.boot,
        });
    }
    if (rng.chance(0.3)) {
      const dl = rng.pick(DOWNLOADS);
      tl.fileEvent(
        t + Math.floor(rng.next() * life),
        proc,
        'FileCreated',
        `C:\\Users\\${s.account.profile}\\Downloads\\${dl.name}`,
        { originUrl: dl.url },
      );
    }
  }
  const connections = p.destinations.length === 0 ? 0 : browser ? rng.int(6, 20) : rng.int(1, 5);
  for (let i = 0; i < connections; i++) {
    tl.connect(
      t + Math.floor(rng.next() * life),
      proc,
      rng.weighted(p.destinations, (d) => d.weight ?? 1),
      rng.chance(0.02),
    );
  }
  appSpecifics(tl, s, p, proc, t, life);
  return proc;
}

function appSpecifics(tl: DeviceTimeline, s: Session, p: Program, proc: Proc, t: number, life: number): void {
  const rng = tl.rng;
  const at = () => t + Math.floor(rng.next() * life);
  const docs = `C:\\Users\\${s.account.profile}\\OneDrive - Contoso\\Documents`;
  switch (p.key) {
    case 'word':
    case 'excel':
    case 'powerpnt': {
      const ext = p.key === 'word' ? 'docx' : p.key === 'excel' ? 'xlsx' : 'pptx';
      const name = `${rng.pick(['Q3 forecast', 'Budget 2025', 'Board deck', 'Contract draft v3', 'Minutes weekly sync'])}.${ext}`;
      for (let i = rng.int(1, 3); i > 0; i--) tl.fileEvent(at(), proc, 'FileModified', `${docs}\\${name}`);
      break;
    }
    case 'sevenZip': {
      const n = rng.int(1000, 9999);
      const ex = tl.start(t + seconds(tl, 5, 60), proc, SOFTWARE.sevenZipG, { boot: s.boot });
      for (let i = rng.int(2, 6); i > 0; i--) {
        tl.fileEvent(
          ex.created + seconds(tl, 1, 20),
          ex,
          'FileCreated',
          `C:\\Users\\${s.account.profile}\\Downloads\\export-${n}\\contacts-${i}.csv`,
        );
      }
      break;
    }
    case 'powershell':
    case 'cmd':
      tl.start(t + seconds(tl, 0, 1), proc, SOFTWARE.conhost, { boot: s.boot });
      if (rng.chance(0.5)) tl.start(t + seconds(tl, 2, 120), proc, SOFTWARE.ipconfig, { boot: s.boot });
      break;
    case 'mstsc':
      tl.connectInternal(
        t + seconds(tl, 1, 5),
        proc,
        rng.pick(['10.20.0.21', '10.20.0.41', '10.20.0.42']),
        3389,
      );
      break;
    case 'vscode':
      if (rng.chance(0.7)) {
        const git = tl.start(t + seconds(tl, 30, 600), proc, SOFTWARE.git, { boot: s.boot });
        tl.connect(
          git.created + seconds(tl, 1, 3),
          git,
          rng.weighted(SOFTWARE.git.destinations, (d) => d.weight ?? 1),
        );
      }
      break;
    case 'outlook':
      if (rng.chance(0.4)) {
        tl.fileEvent(
          at(),
          proc,
          'FileCreated',
          `C:\\Users\\${s.account.profile}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7QX2ND1B\\${rng.pick(['Agenda.docx', 'Invoice 2024-1187.pdf', 'Price list EMEA.xlsx'])}`,
        );
      }
      break;
  }
}
