import { dest, type Destination } from './destinations.js';
import { program, type Program } from './program.js';
import { digicert, sectigo } from './signatures.js';

/**
 * The RMM tools the demo plants besides the three seed tools: a mix an MSP-run estate really
 * shows (the MSP's own RMM, a patch tool, the helpdesk's remote control, and tools nobody
 * approved). Every value comes from the catalog (data/rmm) indicators the generated pack rules
 * (data/rules/rmm-pack/<id>) match on: company and product terms or file names for processes,
 * the signer for signatures, and only service domains the netconn rule lists for connections,
 * so every planted row of a tool is one its three rules report.
 *
 * None of them carries a seed rule's marker (no 'RealVNC'/'Krämer' company, no 'Kaseya' signer),
 * and their indicators do not overlap: no planted tool's rule matches another planted tool's rows.
 * Tool names are catalog names (`rmmCatalog().tool(name)` resolves them).
 */
export const EXTRA_TOOLS = [
  'AnyDesk',
  'TeamViewer',
  'Splashtop',
  'Atera',
  'NetSupport Manager',
  'Action1',
  'MeshCentral',
  'Zoho Assist',
] as const;
export type ExtraTool = (typeof EXTRA_TOOLS)[number];

/** How an extra tool runs: its service (first program) beacons; the others are periodic tasks. */
export interface ExtraToolDef {
  /** Share of the estate that runs it. */
  share: number;
  programs: readonly Program[];
  /** Minutes between the service's connections. */
  beaconMinutes: readonly [number, number];
  /** Hours between runs of each helper, in `programs` order after the service. */
  taskHours: readonly (readonly [number, number])[];
}

const SIG = {
  anydesk: digicert('AnyDesk Software GmbH', '2024-01-29T00:00:00Z', '2027-01-28T23:59:59Z'),
  teamviewer: digicert('TeamViewer Germany GmbH', '2024-06-03T00:00:00Z', '2027-06-02T23:59:59Z'),
  splashtop: digicert('Splashtop Inc.', '2023-08-16T00:00:00Z', '2026-08-15T23:59:59Z'),
  atera: digicert('Atera Networks Ltd', '2024-02-12T00:00:00Z', '2027-02-11T23:59:59Z'),
  netsupport: sectigo('NetSupport Ltd', '2023-11-20T00:00:00Z', '2026-11-19T23:59:59Z'),
  action1: sectigo('Action1 Corporation', '2024-05-07T00:00:00Z', '2027-05-06T23:59:59Z'),
  meshcentral: sectigo(
    'MOONWHITE TECHNOLOGIES PRIVATE LIMITED',
    '2024-09-10T00:00:00Z',
    '2026-09-09T23:59:59Z',
  ),
  zoho: digicert('Zoho Corporation Private Limited', '2024-03-26T00:00:00Z', '2027-03-25T23:59:59Z'),
} as const;

const ANYDESK = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const TEAMVIEWER = 'C:\\Program Files\\TeamViewer';
const SPLASHTOP = 'C:\\Program Files (x86)\\Splashtop\\Splashtop Remote\\Server';
const ATERA = 'C:\\Program Files\\ATERA Networks\\AteraAgent';
const NETSUPPORT = 'C:\\Program Files (x86)\\NetSupport\\NetSupport Manager';
const ACTION1 = 'C:\\Windows\\Action1';
const ZOHO = 'C:\\Program Files (x86)\\ZohoMeeting';

/** AnyDesk's relays listen on 6568 besides 443. */
const anyDeskRelay = (host: string, weight: number): Destination => dest(host, weight, 6568);

export const EXTRA_DEFS: Record<ExtraTool, ExtraToolDef> = {
  AnyDesk: {
    share: 0.08,
    beaconMinutes: [20, 90],
    taskHours: [[8, 20]],
    programs: [
      program('anydeskService', {
        path: ANYDESK,
        company: 'AnyDesk Software GmbH',
        product: 'AnyDesk',
        version: '8.1.0',
        description: 'AnyDesk',
        signature: SIG.anydesk,
        fileSize: 5_518_112,
        commandLines: [`"${ANYDESK}" --service`],
        destinations: [dest('boot.net.anydesk.com', 3), anyDeskRelay('relay-4f1b2a7c.net.anydesk.com', 1)],
      }),
      program('anydeskControl', {
        path: ANYDESK,
        company: 'AnyDesk Software GmbH',
        product: 'AnyDesk',
        version: '8.1.0',
        description: 'AnyDesk',
        signature: SIG.anydesk,
        fileSize: 5_518_112,
        commandLines: [`"${ANYDESK}" --control`, `"${ANYDESK}" --backend`],
      }),
    ],
  },
  TeamViewer: {
    share: 0.2,
    beaconMinutes: [30, 120],
    taskHours: [[10, 30]],
    programs: [
      program('teamviewerService', {
        path: `${TEAMVIEWER}\\TeamViewer_Service.exe`,
        company: 'TeamViewer Germany GmbH',
        product: 'TeamViewer',
        version: '15.60.3',
        description: 'TeamViewer 15',
        signature: SIG.teamviewer,
        fileSize: 16_420_864,
        destinations: [dest('router7.teamviewer.com', 3, 5938), dest('master11.teamviewer.com', 1)],
      }),
      program('teamviewerHooks', {
        path: `${TEAMVIEWER}\\tv_x64.exe`,
        company: 'TeamViewer Germany GmbH',
        product: 'TeamViewer',
        version: '15.60.3',
        description: 'TeamViewer 15',
        signature: SIG.teamviewer,
        fileSize: 402_432,
        commandLines: [
          `"${TEAMVIEWER}\\tv_x64.exe" --action hooks --log "${TEAMVIEWER}\\TeamViewer15_Logfile.log"`,
        ],
      }),
    ],
  },
  Splashtop: {
    share: 0.04,
    beaconMinutes: [40, 150],
    taskHours: [[6, 18]],
    programs: [
      program('splashtopService', {
        path: `${SPLASHTOP}\\SRService.exe`,
        company: 'Splashtop Inc.',
        product: 'Splashtop Streamer',
        version: '3.7.2.4',
        description: 'Splashtop Remote Service',
        signature: SIG.splashtop,
        fileSize: 3_276_328,
        destinations: [dest('st2-v3-dc.api.splashtop.com', 3), dest('relay.splashtop.com', 1)],
      }),
      program('splashtopAgent', {
        path: `${SPLASHTOP}\\SRAgent.exe`,
        company: 'Splashtop Inc.',
        product: 'Splashtop Streamer',
        version: '3.7.2.4',
        description: 'Splashtop Remote Agent',
        signature: SIG.splashtop,
        fileSize: 2_113_064,
        commandLines: [`"${SPLASHTOP}\\SRAgent.exe" -startup`],
      }),
    ],
  },
  Atera: {
    share: 0.16,
    beaconMinutes: [15, 60],
    taskHours: [[4, 12]],
    programs: [
      program('ateraAgent', {
        path: `${ATERA}\\AteraAgent.exe`,
        company: 'Atera Networks Ltd',
        product: 'AteraAgent',
        version: '1.8.7.2',
        description: 'AteraAgent',
        signature: SIG.atera,
        fileSize: 1_043_968,
        destinations: [
          dest('agent-api.atera.com', 4),
          dest('atera-agent-heartbeat.servicebus.windows.net', 2),
        ],
      }),
      program('ateraTaskScheduler', {
        path: `${ATERA}\\Packages\\AgentPackageTaskScheduler\\AgentPackageTaskScheduler.exe`,
        company: 'Atera Networks Ltd',
        product: 'AgentPackageTaskScheduler',
        version: '1.8.7.2',
        description: 'AgentPackageTaskScheduler',
        signature: SIG.atera,
        fileSize: 182_784,
        commandLines: [
          `"${ATERA}\\Packages\\AgentPackageTaskScheduler\\AgentPackageTaskScheduler.exe" "{guid}"`,
        ],
        destinations: [dest('packagesstore.blob.core.windows.net', 1)],
      }),
    ],
  },
  'NetSupport Manager': {
    share: 0.04,
    beaconMinutes: [60, 240],
    taskHours: [],
    programs: [
      program('netsupportClient', {
        path: `${NETSUPPORT}\\client32.exe`,
        company: 'NetSupport Ltd',
        product: 'NetSupport Remote Control',
        version: '14.10.0.4',
        description: 'NetSupport Client Application',
        signature: SIG.netsupport,
        fileSize: 124_400,
        commandLines: [`"${NETSUPPORT}\\client32.exe" /*`],
        destinations: [dest('geo.netsupportsoftware.com', 1)],
      }),
    ],
  },
  Action1: {
    share: 0.2,
    beaconMinutes: [30, 90],
    taskHours: [[12, 36]],
    programs: [
      program('action1Agent', {
        path: `${ACTION1}\\action1_agent.exe`,
        company: 'Action1 Corporation',
        product: 'Action1 Agent',
        version: '5.262.1.1',
        description: 'Action1 Endpoint Agent',
        signature: SIG.action1,
        fileSize: 9_823_744,
        commandLines: [`"${ACTION1}\\action1_agent.exe" service`],
        destinations: [dest('server.action1.com', 3), dest('a1-backend-packages.s3.amazonaws.com', 1)],
      }),
      program('action1Update', {
        path: `${ACTION1}\\action1_update.exe`,
        company: 'Action1 Corporation',
        product: 'Action1 Agent',
        version: '5.262.1.1',
        description: 'Action1 Agent Updater',
        signature: SIG.action1,
        fileSize: 2_405_376,
        commandLines: [`"${ACTION1}\\action1_update.exe" check`],
      }),
    ],
  },
  MeshCentral: {
    share: 0.04,
    beaconMinutes: [10, 45],
    taskHours: [],
    programs: [
      program('meshAgent', {
        path: 'C:\\Program Files\\Mesh Agent\\MeshAgent.exe',
        company: 'MeshCentral',
        product: 'MeshCentral Background Service Agent',
        version: '1.1.35',
        description: 'MeshCentral Background Service Agent',
        signature: SIG.meshcentral,
        fileSize: 3_571_712,
        commandLines: ['"C:\\Program Files\\Mesh Agent\\MeshAgent.exe"'],
        destinations: [dest('meshcentral.com', 1)],
      }),
    ],
  },
  'Zoho Assist': {
    share: 0.04,
    beaconMinutes: [45, 180],
    taskHours: [[8, 24]],
    programs: [
      program('zohoUrsService', {
        path: `${ZOHO}\\ZohoURSService.exe`,
        company: 'Zoho Corporation Private Limited',
        product: 'Zoho Assist',
        version: '110.0.3.229',
        description: 'Zoho Assist Unattended Remote Support Service',
        signature: SIG.zoho,
        fileSize: 1_652_224,
        destinations: [dest('assist.zoho.eu', 3), dest('downloads.zohocdn.com', 1)],
      }),
      program('zohoUrs', {
        path: `${ZOHO}\\ZohoURS.exe`,
        company: 'Zoho Corporation Private Limited',
        product: 'Zoho Assist',
        version: '110.0.3.229',
        description: 'Zoho Assist Unattended Remote Support',
        signature: SIG.zoho,
        fileSize: 6_018_560,
        commandLines: [`"${ZOHO}\\ZohoURS.exe" -service`],
      }),
    ],
  },
};
