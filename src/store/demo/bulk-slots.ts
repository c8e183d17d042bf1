import { dest, publicIpFor, hostOf, type Destination } from './destinations.js';
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM, type Account } from './estate.js';
import { hexOf } from './fake-ids.js';
import { hashesOf, versionOn, type Program } from './program.js';
import { NEAR_MISSES, PLANTED_PROGRAMS, type RmmTool } from './rmm.js';
import { SOFTWARE as S, type SoftwareKey } from './software.js';

/**
 * The bulk generators pick each row's content from a small table of "slots" by hashing the row
 * number; a slot is one fully resolved variant of a row (program, parent, command line …).
 * Ordinary slots are repeated by weight, so a uniform pick follows the weights; planted and
 * near-miss slots are picked separately with a known probability.
 */
export type SlotKind = 'ordinary' | 'planted' | 'nearMiss';

/** Who a slot's process runs as: a fixed service account, or the device's user. */
export type SlotAccount = Account | 'user';

export interface ProcessSlot {
  kind: SlotKind;
  /** Tool (planted) or near-miss kind; '' for ordinary rows. */
  label: string;
  program: Program;
  parent: Program;
  grandparent: Program;
  commandLine: string;
  parentCommandLine: string;
  account: SlotAccount;
}

export interface NetworkSlot {
  kind: SlotKind;
  label: string;
  program: Program;
  parent: Program;
  commandLine: string;
  account: SlotAccount;
  destination: Destination;
  remoteIp: string;
}

export interface CertificateSlot {
  kind: SlotKind;
  label: string;
  program: Program;
}

/**
 * Every planted tool has this many slots, every near-miss kind exactly one, in a fixed order
 * (ordinary, planted by tool, near misses): the SQL finds a slot's tool or kind by arithmetic.
 */
export const SLOTS_PER_TOOL = 6;

/** A Windows 11 workstation's OS file version: bulk rows all look like workstations. */
export const BULK_OS_FILE_VERSION = '10.0.22621.4541';

interface Recipe {
  program: SoftwareKey;
  parent: SoftwareKey;
  account: SlotAccount;
  weight: number;
  /** Only command lines containing this text (e.g. `--type=renderer`). */
  cmd?: string;
}

const R = (
  program: SoftwareKey,
  parent: SoftwareKey,
  account: SlotAccount,
  weight: number,
  cmd?: string,
): Recipe => ({ program, parent, account, weight, ...(cmd ? { cmd } : {}) });

/** Process starts on a typical Windows estate, by relative frequency. */
const PROCESS_RECIPES: readonly Recipe[] = [
  R('chrome', 'explorer', 'user', 6),
  R('chrome', 'chrome', 'user', 18, '--type='),
  R('msedge', 'explorer', 'user', 4),
  R('msedge', 'msedge', 'user', 10, '--type='),
  R('firefox', 'explorer', 'user', 2),
  R('firefox', 'firefox', 'user', 5, '-contentproc'),
  R('svchost', 'services', SYSTEM, 3),
  R('taskhostw', 'svchost', 'user', 6),
  R('backgroundTaskHost', 'svchost', 'user', 4),
  R('runtimeBroker', 'svchost', 'user', 4),
  R('wmiPrvSE', 'svchost', NETWORK_SERVICE, 4),
  R('dllhost', 'svchost', SYSTEM, 3),
  R('searchProtocolHost', 'svchost', SYSTEM, 5),
  R('conhost', 'cmd', 'user', 4),
  R('conhost', 'powershell', 'user', 2),
  R('cmd', 'explorer', 'user', 2),
  R('powershell', 'explorer', 'user', 1),
  R('ipconfig', 'cmd', 'user', 1),
  R('mpCmdRun', 'svchost', SYSTEM, 3),
  R('edgeUpdate', 'svchost', SYSTEM, 2),
  R('googleUpdate', 'svchost', SYSTEM, 2),
  R('compatTelRunner', 'svchost', SYSTEM, 1),
  R('mousoCoreWorker', 'svchost', SYSTEM, 1),
  R('rundll32', 'svchost', SYSTEM, 1),
  R('msiexec', 'services', SYSTEM, 1),
  R('sihost', 'svchost', 'user', 1),
  R('ctfmon', 'svchost', 'user', 1),
  R('userinit', 'winlogon', 'user', 1),
  R('explorer', 'userinit', 'user', 1),
  R('senseCncProxy', 'msSense', SYSTEM, 1),
  R('outlook', 'explorer', 'user', 2),
  R('word', 'explorer', 'user', 2),
  R('excel', 'explorer', 'user', 2),
  R('powerpnt', 'explorer', 'user', 1),
  R('acrobat', 'explorer', 'user', 1),
  R('teams', 'explorer', 'user', 2),
  R('msedgewebview2', 'teams', 'user', 4),
  R('oneDrive', 'explorer', 'user', 2),
  R('slack', 'explorer', 'user', 1),
  R('zoom', 'explorer', 'user', 1),
  R('vscode', 'explorer', 'user', 1),
  R('git', 'vscode', 'user', 2),
  R('sevenZip', 'explorer', 'user', 1),
  R('notepadPlusPlus', 'explorer', 'user', 1),
  R('vlc', 'explorer', 'user', 1),
];

/** The usual parents of programs, for the grandparent columns. */
const PARENT_OF: Partial<Record<SoftwareKey, SoftwareKey>> = {
  explorer: 'userinit',
  userinit: 'winlogon',
  winlogon: 'smss',
  services: 'wininit',
  wininit: 'smss',
  svchost: 'services',
  msSense: 'services',
  chrome: 'explorer',
  msedge: 'explorer',
  firefox: 'explorer',
  cmd: 'explorer',
  powershell: 'explorer',
  teams: 'explorer',
  vscode: 'explorer',
};

function commandLinesFor(p: Program, filter: string | undefined): string[] {
  const all = p.commandLines.filter((c) =>
    filter ? c.includes(filter) : !c.includes('--type=') && !c.includes('-contentproc'),
  );
  return all.length > 0 ? all : ['"{path}"'];
}

/**
 * Placeholders other than `{user}` get fixed values per slot (`{user}` is resolved per device in
 * SQL): variety comes from the many slots, not from per-row string building.
 */
function fixPlaceholders(template: string, p: Program, salt: number): string {
  const n = 1000 + (parseInt(hexOf('md5', `${p.key}:${salt}`).slice(0, 6), 16) % 90_000);
  return template
    .replaceAll('{path}', p.path)
    .replaceAll('{n}', String(n))
    .replaceAll('{port}', String(1000 + (n % 9000)))
    .replaceAll(
      '{guid}',
      `{${hexOf('md5', `guid:${p.key}:${salt}`)
        .toUpperCase()
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}}`,
    )
    .replaceAll('{doc}', `C:\\Users\\{user}\\OneDrive - Contoso\\Documents\\Report ${n % 97}`);
}

function firstCommandLine(p: Program): string {
  return fixPlaceholders(commandLinesFor(p, undefined)[0]!, p, 0);
}

function grandparentOf(parent: SoftwareKey): Program {
  return S[PARENT_OF[parent] ?? 'services'];
}

export function ordinaryProcessSlots(): ProcessSlot[] {
  const out: ProcessSlot[] = [];
  for (const r of PROCESS_RECIPES) {
    const program = S[r.program];
    const templates = commandLinesFor(program, r.cmd);
    for (let i = 0; i < r.weight * 2; i++) {
      out.push({
        kind: 'ordinary',
        label: '',
        program,
        parent: S[r.parent],
        grandparent: grandparentOf(r.parent),
        commandLine: fixPlaceholders(templates[i % templates.length]!, program, i),
        parentCommandLine: firstCommandLine(S[r.parent]),
        account: r.account,
      });
    }
  }
  return out;
}

/** Planted process slots: each tool gets the same number of slots, spread over its programs. */
export function plantedProcessSlots(tools: readonly RmmTool[]): ProcessSlot[] {
  const out: ProcessSlot[] = [];
  for (const tool of tools) {
    const [service, ...helpers] = PLANTED_PROGRAMS[tool];
    const programs = [service!, ...helpers];
    for (let i = 0; i < SLOTS_PER_TOOL; i++) {
      const program = programs[i % programs.length]!;
      const isService = program === service;
      out.push({
        kind: 'planted',
        label: tool,
        program,
        parent: isService ? S.services : service!,
        grandparent: isService ? S.wininit : S.services,
        commandLine: fixPlaceholders(program.commandLines[i % program.commandLines.length]!, program, i),
        parentCommandLine: isService ? firstCommandLine(S.services) : firstCommandLine(service!),
        account: SYSTEM,
      });
    }
  }
  return out;
}

export function nearMissProcessSlots(): ProcessSlot[] {
  return NEAR_MISSES.filter((n) => n.signal === 'process').map((n) => ({
    kind: 'nearMiss' as const,
    label: n.kind,
    program: n.program,
    parent: S.services,
    grandparent: S.wininit,
    commandLine: `"${n.program.path}"`,
    parentCommandLine: firstCommandLine(S.services),
    account: SYSTEM,
  }));
}

/** Programs that talk to the network, with how much of the traffic is theirs. */
const NETWORK_RECIPES: readonly [SoftwareKey, SoftwareKey, SlotAccount, number][] = [
  ['chrome', 'explorer', 'user', 10],
  ['msedge', 'explorer', 'user', 6],
  ['firefox', 'explorer', 'user', 3],
  ['teams', 'explorer', 'user', 4],
  ['msedgewebview2', 'teams', 'user', 2],
  ['outlook', 'explorer', 'user', 4],
  ['oneDrive', 'explorer', 'user', 3],
  ['msSense', 'services', SYSTEM, 3],
  ['msMpEng', 'services', SYSTEM, 2],
  ['csFalconService', 'services', SYSTEM, 2],
  ['word', 'explorer', 'user', 1],
  ['excel', 'explorer', 'user', 1],
  ['zoom', 'explorer', 'user', 1],
  ['slack', 'explorer', 'user', 2],
  ['officeC2R', 'services', SYSTEM, 1],
  ['edgeUpdate', 'svchost', SYSTEM, 1],
  ['googleUpdate', 'svchost', SYSTEM, 1],
  ['vpnAgent', 'services', SYSTEM, 1],
  ['acrobat', 'explorer', 'user', 1],
  ['mpCmdRun', 'svchost', SYSTEM, 1],
  ['vscode', 'explorer', 'user', 1],
  ['git', 'vscode', 'user', 1],
];

function networkSlotsFor(
  kind: SlotKind,
  label: string,
  program: Program,
  parent: Program,
  account: SlotAccount,
  slots: number,
  destinations = program.destinations,
): NetworkSlot[] {
  const total = destinations.reduce((n, d) => n + (d.weight ?? 1), 0);
  const out: NetworkSlot[] = [];
  for (const d of destinations) {
    const count = Math.max(1, Math.round((slots * (d.weight ?? 1)) / total));
    for (let i = 0; i < count; i++) {
      out.push({
        kind,
        label,
        program,
        parent,
        commandLine: firstCommandLine(program),
        account,
        destination: d,
        remoteIp: publicIpFor(hostOf(d.url)),
      });
    }
  }
  return out;
}

export function ordinaryNetworkSlots(): NetworkSlot[] {
  return NETWORK_RECIPES.flatMap(([p, parent, account, weight]) =>
    networkSlotsFor('ordinary', '', S[p], S[parent], account, weight * 8),
  );
}

export function plantedNetworkSlots(tools: readonly RmmTool[]): NetworkSlot[] {
  return tools.flatMap((tool) => {
    const pairs = PLANTED_PROGRAMS[tool].flatMap((p) => p.destinations.map((d) => ({ p, d })));
    return Array.from({ length: SLOTS_PER_TOOL }, (_, i) => {
      const { p, d } = pairs[i % pairs.length]!;
      return networkSlotsFor('planted', tool, p, S.services, SYSTEM, 1, [d])[0]!;
    });
  });
}

/** The process near misses connecting where the real tool would (for the netconn rules). */
const NEAR_MISS_URLS: Record<RmmTool, Destination> = {
  ServerEye: dest('occ.server-eye.de'),
  RPort: dest('fabrikam-it.users.rport.io'),
  Kaseya: dest('vsa.fabrikam.kaseya.net'),
};

export function nearMissNetworkSlots(): NetworkSlot[] {
  return NEAR_MISSES.filter((n) => n.signal === 'process').flatMap((n) =>
    networkSlotsFor('nearMiss', n.kind, n.program, S.services, SYSTEM, 1, [NEAR_MISS_URLS[n.tool]]),
  );
}

export function ordinaryCertificateSlots(): CertificateSlot[] {
  const out: CertificateSlot[] = [];
  for (const p of Object.values(S) as Program[]) {
    if (!p.signature) continue;
    const weight = p.signature.signer === 'Microsoft Windows' ? 3 : 2;
    for (let i = 0; i < weight; i++) out.push({ kind: 'ordinary', label: '', program: p });
  }
  return out;
}

export function plantedCertificateSlots(tools: readonly RmmTool[]): CertificateSlot[] {
  return tools.flatMap((tool) => {
    const signed = PLANTED_PROGRAMS[tool].filter((p) => p.signature);
    return Array.from({ length: SLOTS_PER_TOOL }, (_, i) => ({
      kind: 'planted' as const,
      label: tool,
      program: signed[i % signed.length]!,
    }));
  });
}

export function nearMissCertificateSlots(): CertificateSlot[] {
  return NEAR_MISSES.filter((n) => n.signal === 'signature').map((n) => ({
    kind: 'nearMiss' as const,
    label: n.kind,
    program: n.program,
  }));
}

/** Account columns for a fixed account (NULL-free; `user` slots take the device's user in SQL). */
export function accountColumns(
  a: SlotAccount,
): { domain: string; name: string; sid: string; upn: string; objectId: string; integrity: string } | null {
  if (a === 'user') return null;
  const integrity = a === SYSTEM || a === LOCAL_SERVICE || a === NETWORK_SERVICE ? 'System' : 'High';
  return { domain: a.domain, name: a.name, sid: a.sid, upn: a.upn, objectId: a.objectId, integrity };
}

export function programColumns(p: Program): Record<string, string | number> {
  const h = hashesOf(p, BULK_OS_FILE_VERSION);
  return {
    FileName: p.fileName,
    FolderPath: p.path,
    SHA1: h.SHA1,
    SHA256: h.SHA256,
    MD5: h.MD5,
    FileSize: p.fileSize,
    CompanyName: p.company,
    ProductName: p.product,
    ProductVersion: versionOn(p, BULK_OS_FILE_VERSION),
    InternalFileName: p.internalFileName,
    OriginalFileName: p.originalFileName,
    FileDescription: p.description,
  };
}
