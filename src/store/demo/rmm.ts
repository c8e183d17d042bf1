import { dest, type Destination } from './destinations.js';
import { program, type Program } from './program.js';
import { EXTRA_DEFS, EXTRA_TOOLS, type ExtraTool } from './rmm-extra.js';
import { EXTRA_NEAR_MISSES } from './rmm-extra-near.js';
import { SIGNATURES as S } from './signatures.js';

/**
 * The planted Remote Monitoring and Management activity and its near misses: the ground truth the
 * seed hunting rules are tested against. Matching in those rules is KQL `has`: a case-insensitive
 * whole-term match (semantics.md 1.1-1.3), so every near miss below differs from a planted value
 * only in where the term boundaries fall, or in the one field the rule pairs it with.
 *
 * Near misses also avoid the file names the generated RMM pack (data/rules/rmm-pack) matches on
 * (`servereye*.exe`, `rport.exe`, `agentmon.exe` …), so they stay negatives for those rules too;
 * the RealVNC ones are real RealVNC products, which the pack's RealVNC rules rightly report.
 *
 * Seed rules and what they require (ProcessVersionInfo* = PVI*):
 * - ServerEye: PVI CompanyName has 'Krämer IT Solutions GmbH' and ProductName has_any ('ServerEye', 'Server-Eye')
 * - RPort:     PVI CompanyName has 'RealVNC' and ProductName has 'rport'
 * - Kaseya:    DeviceFileCertificateInfo Signer has 'Kaseya'
 */
export const RMM_TOOLS = ['ServerEye', 'RPort', 'Kaseya'] as const;
export type RmmTool = (typeof RMM_TOOLS)[number];

/** Every tool the demo plants: the seed tools first, then the catalog mix of rmm-extra.ts. */
export type PlantedTool = RmmTool | ExtraTool;
export const PLANTED_TOOLS: readonly PlantedTool[] = [...RMM_TOOLS, ...EXTRA_TOOLS];

export function isSeedTool(tool: PlantedTool): tool is RmmTool {
  return (RMM_TOOLS as readonly string[]).includes(tool);
}

/** What kind of evidence a planted row is: a process start, a file signature, a connection. */
export type PlantedSignal = 'process' | 'signature' | 'network';

const SERVER_EYE_DIR = 'C:\\Program Files (x86)\\Server-Eye';
const KRAEMER = 'Krämer IT Solutions GmbH';

export const PLANTED_PROGRAMS = {
  ServerEye: [
    program('serverEyeService', {
      path: `${SERVER_EYE_DIR}\\ServerEye.Service.exe`,
      company: KRAEMER,
      product: 'ServerEye',
      version: '4.0.2411.12',
      description: 'Server-Eye Service',
      signature: S.kraemerIt,
      fileSize: 1_843_712,
      commandLines: [`"${SERVER_EYE_DIR}\\ServerEye.Service.exe"`],
      destinations: [dest('occ.server-eye.de', 4), dest('api.server-eye.de', 2)],
    }),
    program('serverEyeAgent', {
      path: `${SERVER_EYE_DIR}\\Server-Eye.Agent.exe`,
      company: KRAEMER,
      product: 'Server-Eye',
      version: '4.0.2411.12',
      description: 'Server-Eye Sensorhub Agent',
      signature: S.kraemerIt,
      fileSize: 2_964_480,
      commandLines: [
        `"${SERVER_EYE_DIR}\\Server-Eye.Agent.exe" --run-checks`,
        `"${SERVER_EYE_DIR}\\Server-Eye.Agent.exe" --sensorhub`,
      ],
      destinations: [dest('occ.server-eye.de', 3), dest('update.server-eye.de', 1)],
    }),
    program('serverEyeUpdater', {
      path: `${SERVER_EYE_DIR}\\ServerEye.Updater.exe`,
      company: KRAEMER,
      product: 'Server-Eye',
      version: '4.0.2411.12',
      description: 'Server-Eye Updater',
      signature: S.kraemerIt,
      fileSize: 611_328,
      commandLines: [`"${SERVER_EYE_DIR}\\ServerEye.Updater.exe" /check`],
      destinations: [dest('update.server-eye.de', 1)],
    }),
  ],
  RPort: [
    program('rport', {
      path: 'C:\\Program Files\\rport\\rport.exe',
      company: 'RealVNC Ltd.',
      product: 'RPort',
      version: '0.9.12',
      description: 'RPort remote access client',
      signature: null,
      fileSize: 12_457_984,
      commandLines: [
        '"C:\\Program Files\\rport\\rport.exe" -c "C:\\Program Files\\rport\\rport.conf"',
        '"C:\\Program Files\\rport\\rport.exe" --service start',
      ],
      destinations: [dest('fabrikam-it.users.rport.io', 1)],
    }),
    program('rportClient', {
      path: 'C:\\Program Files\\rport\\rport-client.exe',
      company: 'RealVNC Ltd.',
      product: 'rport client',
      version: '0.9.12',
      description: 'rport client helper',
      signature: null,
      fileSize: 4_110_336,
      commandLines: ['"C:\\Program Files\\rport\\rport-client.exe" run-script --timeout 60'],
      destinations: [dest('fabrikam-it.users.rport.io', 1)],
    }),
  ],
  Kaseya: [
    program('kaseyaAgentMon', {
      path: 'C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\AgentMon.exe',
      company: 'Kaseya',
      product: 'Kaseya Agent',
      version: '9.5.0.24',
      description: 'Kaseya Agent Monitor',
      signature: S.kaseyaHoldings,
      fileSize: 4_325_888,
      commandLines: ['"C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\AgentMon.exe"'],
      destinations: [dest('vsa.fabrikam.kaseya.net', 4), dest('stun.kaseya.com', 1)],
    }),
    program('kaseyaUserTask', {
      path: 'C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\KaUsrTsk.exe',
      company: 'Kaseya',
      product: 'Kaseya Agent',
      version: '9.5.0.24',
      description: 'Kaseya Agent User Task',
      signature: S.kaseyaCorporation,
      fileSize: 1_178_624,
      commandLines: ['"C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\KaUsrTsk.exe" -s'],
    }),
    program('kaseyaLiveConnect', {
      path: 'C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\KaseyaRemoteControlHost.exe',
      company: 'Kaseya',
      product: 'Kaseya Remote Control',
      version: '9.5.0.24',
      description: 'Kaseya Remote Control Host',
      signature: S.kaseyaUs,
      fileSize: 7_501_312,
      commandLines: ['"C:\\Program Files (x86)\\Kaseya\\FABRIKAM231108\\KaseyaRemoteControlHost.exe"'],
      destinations: [dest('vsa.fabrikam.kaseya.net', 1)],
    }),
  ],
} satisfies Record<RmmTool, Program[]>;

export interface NearMissDef<T extends PlantedTool = PlantedTool> {
  /** Stable name of the trap, e.g. `servereye-product-suffix`. */
  kind: string;
  /** The tool whose rule it nearly matches (a seed rule, or the pack rule of an extra tool). */
  tool: T;
  /**
   * `process`: DeviceProcessEvents rows; `signature`: DeviceFileCertificateInfo rows only;
   * `network`: one DeviceNetworkEvents row from `program` to `destination` (the program itself
   * is ordinary software, so its other rows are not near misses).
   */
  signal: PlantedSignal;
  program: Program;
  destination?: Destination;
  why: string;
}

function nearMissProgram(
  key: string,
  path: string,
  company: string,
  product: string,
  signatureOrNull: Program['signature'],
): Program {
  return program(key, {
    path,
    company,
    product,
    version: '2.1.0.0',
    description: product,
    signature: signatureOrNull,
    fileSize: 1_048_576 + ((key.length * 7919) % 500_000),
  });
}

export const NEAR_MISSES: readonly NearMissDef<RmmTool>[] = [
  {
    kind: 'servereye-product-suffix',
    tool: 'ServerEye',
    signal: 'process',
    program: nearMissProgram(
      'nmServerEyeX',
      'C:\\Program Files\\ServerEyeX\\SEXMonitor.exe',
      KRAEMER,
      'ServerEyeX',
      null,
    ),
    why: "the term is 'ServerEyeX', not 'ServerEye'",
  },
  {
    kind: 'servereye-product-space',
    tool: 'ServerEye',
    signal: 'process',
    program: nearMissProgram(
      'nmServerEyeSpace',
      'C:\\Program Files (x86)\\Server Eye\\SEConfig.exe',
      KRAEMER,
      'Server Eye',
      null,
    ),
    why: "terms 'Server' and 'Eye': neither 'ServerEye' nor the literal 'Server-Eye'",
  },
  {
    kind: 'servereye-company-other-product',
    tool: 'ServerEye',
    signal: 'process',
    program: nearMissProgram(
      'nmKraemerBackup',
      'C:\\Program Files\\Kraemer IT\\Backup Manager\\BackupManager.exe',
      KRAEMER,
      'Backup Manager',
      null,
    ),
    why: 'the right company, but the product is not ServerEye',
  },
  {
    kind: 'servereye-company-ascii-spelling',
    tool: 'ServerEye',
    signal: 'process',
    program: nearMissProgram(
      'nmKraemerAscii',
      'C:\\Program Files\\Kraemer IT\\Portable\\SEPortable.exe',
      'Kraemer IT Solutions GmbH',
      'ServerEye',
      null,
    ),
    why: "'Kraemer' is not 'Krämer' (the rule needs the umlaut)",
  },
  {
    kind: 'rport-realvnc-vnc-server',
    tool: 'RPort',
    signal: 'process',
    program: nearMissProgram(
      'nmVncServer',
      'C:\\Program Files\\RealVNC\\VNC Server\\vncserver.exe',
      'RealVNC Ltd',
      'VNC Server',
      null,
    ),
    why: "RealVNC, but no 'rport' term in the product (RealVNC's own rules would flag it)",
  },
  {
    kind: 'rport-realvnc-vnc-viewer',
    tool: 'RPort',
    signal: 'process',
    program: nearMissProgram(
      'nmVncViewer',
      'C:\\Program Files\\RealVNC\\VNC Viewer\\vncviewer.exe',
      'RealVNC Ltd',
      'VNC Viewer',
      null,
    ),
    why: "RealVNC, but no 'rport' term in the product",
  },
  {
    kind: 'rport-other-company',
    tool: 'RPort',
    signal: 'process',
    program: nearMissProgram(
      'nmRportCloudradar',
      'C:\\Program Files\\cloudradar\\rport\\rport-agent.exe',
      'cloudradar GmbH',
      'RPort',
      null,
    ),
    why: "the real RPort vendor, but the rule requires the term 'RealVNC' in the company",
  },
  {
    kind: 'kaseya-signer-longer-term',
    tool: 'Kaseya',
    signal: 'signature',
    program: nearMissProgram(
      'nmKaseyaOne',
      'C:\\Program Files\\KaseyaOne Partners\\K1Sync.exe',
      'KaseyaOne Partners Ltd',
      'K1 Sync',
      S.kaseyaOnePartners,
    ),
    why: "the term is 'KaseyaOne', not 'Kaseya'",
  },
  {
    kind: 'kaseya-signer-prefixed-term',
    tool: 'Kaseya',
    signal: 'signature',
    program: nearMissProgram(
      'nmNotKaseya',
      'C:\\Users\\Public\\Downloads\\NotKaseya-Setup.exe',
      'NotKaseya Ltd',
      'NotKaseya Setup',
      S.notKaseya,
    ),
    why: "the term is 'NotKaseya', not 'Kaseya'",
  },
  {
    kind: 'kaseya-signer-suffixed-term',
    tool: 'Kaseya',
    signal: 'signature',
    program: nearMissProgram(
      'nmKaseyanet',
      'C:\\Program Files\\Kaseyanet\\knagent.exe',
      'Kaseyanet Inc',
      'Kaseyanet Agent',
      S.kaseyanet,
    ),
    why: "the term is 'Kaseyanet', not 'Kaseya'",
  },
];

/** The programs of every planted tool (the service first). */
export const ALL_PLANTED_PROGRAMS: Record<PlantedTool, readonly Program[]> = {
  ...PLANTED_PROGRAMS,
  ...(Object.fromEntries(EXTRA_TOOLS.map((t) => [t, EXTRA_DEFS[t].programs])) as Record<
    ExtraTool,
    readonly Program[]
  >),
};

/** Every near miss: the seed rules' first, then the extra tools'. */
export const ALL_NEAR_MISSES: readonly NearMissDef[] = [...NEAR_MISSES, ...EXTRA_NEAR_MISSES];

const PLANTED_TOOL_BY_KEY = new Map<string, PlantedTool>(
  PLANTED_TOOLS.flatMap((tool) => ALL_PLANTED_PROGRAMS[tool].map((p) => [p.key, tool] as const)),
);
// Network near misses reuse ordinary programs (a browser): they are marked per connection instead.
const NEAR_MISS_BY_KEY = new Map<string, NearMissDef>(
  ALL_NEAR_MISSES.filter((n) => n.signal !== 'network').map((n) => [n.program.key, n]),
);

/** The RMM tool a program belongs to, if it is planted. */
export function plantedToolOf(p: Program): PlantedTool | undefined {
  return PLANTED_TOOL_BY_KEY.get(p.key);
}

/** The near miss a program stands for, if any. */
export function nearMissOf(p: Program): NearMissDef | undefined {
  return NEAR_MISS_BY_KEY.get(p.key);
}
