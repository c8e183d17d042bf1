import { deviceIdOf, guidOf, numberOf } from './fake-ids.js';
import type { Rng } from './random.js';
import type { SoftwareKey } from './software.js';

/**
 * The demo company: Contoso, one Active Directory domain, a few departments with workstations and
 * a handful of servers. Names follow what Defender reports: DeviceName is the lowercase FQDN,
 * accounts are `domain\name` with the domain in lowercase.
 */
export const DOMAIN_FQDN = 'contoso.local';
export const DOMAIN_NETBIOS = 'contoso';
export const UPN_SUFFIX = 'contoso.com';
/** Documentation range (RFC 5737): the office's public egress address. */
export const OFFICE_PUBLIC_IP = '203.0.113.24';
export const DC_IP = '10.20.0.10';
export const FILE_SERVER_IP = '10.20.0.21';

export interface Account {
  domain: string;
  name: string;
  sid: string;
  upn: string;
  objectId: string;
  /** Folder under C:\Users (users only). */
  profile: string;
  /** Well-known logon id for service accounts; 0 for users (a new one per logon session). */
  logonId: number;
}

export const SYSTEM: Account = {
  domain: 'nt authority',
  name: 'system',
  sid: 'S-1-5-18',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 999,
};
export const LOCAL_SERVICE: Account = {
  domain: 'nt authority',
  name: 'local service',
  sid: 'S-1-5-19',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 997,
};
export const NETWORK_SERVICE: Account = {
  domain: 'nt authority',
  name: 'network service',
  sid: 'S-1-5-20',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 996,
};

/** Virtual service accounts (their SIDs are derived from the service name, as Windows does). */
export const MSSQL_SERVICE: Account = {
  domain: 'nt service',
  name: 'mssqlserver',
  sid: 'S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 0,
};
export const SQLAGENT_SERVICE: Account = {
  domain: 'nt service',
  name: 'sqlserveragent',
  sid: 'S-1-5-80-344959196-2060754871-2302487193-2804545603-1466107430',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 0,
};
export const IIS_APPPOOL: Account = {
  domain: 'iis apppool',
  name: 'intranet',
  sid: 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415',
  upn: '',
  objectId: '',
  profile: '',
  logonId: 0,
};

export type DeviceRole = 'workstation' | 'server';

export interface Device {
  index: number;
  DeviceId: string;
  DeviceName: string;
  role: DeviceRole;
  /** Department for workstations, server role for servers (`fin`, `sql`, …). */
  group: string;
  localIp: string;
  osPlatform: string;
  osBuild: number;
  osVersionInfo: string;
  osFileVersion: string;
  model: string;
  vendor: string;
  aadDeviceId: string;
  /** The person who uses the workstation (servers: the IT admin who logs on now and then). */
  user: Account;
  /** Applications beyond the baseline, chosen per department. */
  apps: readonly SoftwareKey[];
}

const DEPARTMENTS = [
  { code: 'fin', weight: 4, apps: ['excel', 'acrobat', 'sevenZip'] },
  { code: 'hr', weight: 2, apps: ['word', 'acrobat', 'zoom'] },
  { code: 'eng', weight: 4, apps: ['vscode', 'git', 'firefox', 'notepadPlusPlus', 'slack', 'powershell'] },
  { code: 'sales', weight: 3, apps: ['zoom', 'powerpnt', 'excel', 'slack'] },
  { code: 'mkt', weight: 2, apps: ['powerpnt', 'vlc', 'acrobat', 'slack'] },
  { code: 'it', weight: 2, apps: ['powershell', 'mstsc', 'notepadPlusPlus', 'sevenZip', 'firefox'] },
  { code: 'legal', weight: 1, apps: ['word', 'acrobat'] },
] as const satisfies readonly { code: string; weight: number; apps: readonly SoftwareKey[] }[];

const SERVER_ROLES = ['dc', 'file', 'sql', 'app', 'web'] as const;

const FIRST = [
  'anna',
  'ben',
  'carla',
  'david',
  'elena',
  'felix',
  'greta',
  'hannah',
  'ivan',
  'julia',
  'karl',
  'lena',
  'marco',
  'nina',
  'oskar',
  'paula',
  'quentin',
  'rosa',
  'stefan',
  'tanja',
  'uwe',
  'vera',
  'william',
  'xenia',
  'yusuf',
  'zoe',
];
const LAST = [
  'schmidt',
  'miller',
  'nguyen',
  'garcia',
  'novak',
  'fischer',
  'okafor',
  'rossi',
  'larsen',
  'kowalski',
  'dubois',
  'weber',
  'tanaka',
  'silva',
  'meyer',
  'brown',
  'haddad',
  'jansen',
  'costa',
  'wagner',
];

const LAPTOPS = [
  { vendor: 'Dell Inc.', model: 'Latitude 5440' },
  { vendor: 'Dell Inc.', model: 'Latitude 7440' },
  { vendor: 'LENOVO', model: '21HES0KN00' },
  { vendor: 'HP', model: 'HP EliteBook 840 14 inch G10 Notebook PC' },
];
const SERVER_HARDWARE = [
  { vendor: 'VMware, Inc.', model: 'VMware20,1' },
  { vendor: 'Microsoft Corporation', model: 'Virtual Machine' },
];

/** A domain SID prefix unique to the generated estate. */
function domainSid(seed: number): string {
  return `S-1-5-21-${1_000_000_000 + (numberOf(`dom1:${seed}`) % 999_999_999)}-${1_000_000_000 + (numberOf(`dom2:${seed}`) % 999_999_999)}-${1_000_000_000 + (numberOf(`dom3:${seed}`) % 999_999_999)}`;
}

function userAccount(seed: number, first: string, last: string, rid: number, taken: Set<string>): Account {
  let name = `${first[0]}${last}`;
  for (let i = 2; taken.has(name); i++) name = `${first[0]}${last}${i}`;
  taken.add(name);
  return {
    domain: DOMAIN_NETBIOS,
    name,
    sid: `${domainSid(seed)}-${rid}`,
    upn: `${first}.${last}@${UPN_SUFFIX}`,
    objectId: guidOf(`user:${seed}:${name}`),
    profile: name,
    logonId: 0,
  };
}

/** Domain controllers and file servers sit at the addresses clients talk to (DC_IP, FILE_SERVER_IP). */
function serverIp(role: string, n: number, ordinal: number): string {
  if (role === 'dc') return `10.20.0.${9 + n}`;
  if (role === 'file') return `10.20.0.${20 + n}`;
  return `10.20.0.${40 + ordinal}`;
}

/**
 * `count` devices: about one in six is a server (at least one from 6 devices on), the rest
 * are workstations spread over the departments.
 */
export function buildEstate(seed: number, count: number, rng: Rng): Device[] {
  const servers = count >= 6 ? Math.max(1, Math.round(count / 6)) : 0;
  const takenNames = new Set<string>();
  const perGroup = new Map<string, number>();
  const devices: Device[] = [];
  // Servers see an administrator, not a regular user (a separate admin account, as is good practice).
  const admin: Account = {
    ...userAccount(seed, 'tom', 'admin', 1104, takenNames),
    name: 'adm-tadmin',
    upn: `adm-tadmin@${UPN_SUFFIX}`,
    profile: 'adm-tadmin',
  };
  for (let i = 0; i < count; i++) {
    const isServer = i >= count - servers;
    const serverOrdinal = i - (count - servers);
    const group = isServer
      ? SERVER_ROLES[serverOrdinal % SERVER_ROLES.length]!
      : rng.weighted(DEPARTMENTS, (d) => d.weight).code;
    const n = (perGroup.get(group) ?? 0) + 1;
    perGroup.set(group, n);
    // Workstation numbers are sparse, as after years of replacements; servers count from 01.
    const name = isServer
      ? `srv-${group}-${String(n).padStart(2, '0')}`
      : `ws-${group}-${String(rng.int(1, 60) + (n - 1) * 60).padStart(3, '0')}`;
    const DeviceName = `${name}.${DOMAIN_FQDN}`;
    const hardware = rng.pick(isServer ? SERVER_HARDWARE : LAPTOPS);
    const user = isServer
      ? admin
      : userAccount(seed, rng.pick(FIRST), rng.pick(LAST), 1200 + i * 7 + rng.int(0, 6), takenNames);
    const dept = DEPARTMENTS.find((d) => d.code === group);
    devices.push({
      index: i,
      DeviceId: deviceIdOf(`${seed}:${i}:${DeviceName}`),
      DeviceName,
      role: isServer ? 'server' : 'workstation',
      group,
      localIp: isServer
        ? serverIp(group, n, serverOrdinal)
        : `10.20.${8 + Math.floor(i / 200)}.${10 + (i % 200)}`,
      osPlatform: isServer ? 'WindowsServer2022' : 'Windows11',
      osBuild: isServer ? 20348 : 22631,
      osVersionInfo: isServer ? '21H2' : '23H2',
      osFileVersion: isServer ? '10.0.20348.2849' : '10.0.22621.4541',
      model: hardware.model,
      vendor: hardware.vendor,
      aadDeviceId: guidOf(`aad:${seed}:${i}`),
      user,
      apps: dept ? dept.apps : [],
    });
  }
  return devices;
}
