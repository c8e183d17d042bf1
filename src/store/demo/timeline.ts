import { hostOf, publicIpFor, type Destination } from './destinations.js';
import type { Account, Device } from './estate.js';
import { DC_IP, DOMAIN_NETBIOS, OFFICE_PUBLIC_IP } from './estate.js';
import { fileHashesOf, guidOf, hexOf, numberOf } from './fake-ids.js';
import { hashesOf, versionOn, type Program } from './program.js';
import type { Rng } from './random.js';
import { machineGroupOf } from './approved.js';
import { nearMissOf, plantedToolOf, type NearMissDef } from './rmm.js';
import type { Signature } from './signatures.js';
import type { DemoEvent, DemoTable, EventMark, Row } from './tables.js';
import { parseIsoTicks, TICKS_PER_DAY, TICKS_PER_MINUTE, TICKS_PER_SECOND, type Period } from './ticks.js';
import { columnsOf } from './row-writer.js';

export type Integrity = 'System' | 'High' | 'Medium' | 'Low';
export type Elevation = 'TokenElevationTypeDefault' | 'TokenElevationTypeFull' | 'TokenElevationTypeLimited';

/** A running process: what later events report as their InitiatingProcess*. */
export interface Proc {
  program: Program;
  pid: number;
  /** Tick offset in the period; negative for processes started before it (e.g. at boot). */
  created: number;
  path: string;
  commandLine: string;
  account: Account;
  logonId: number;
  integrity: Integrity;
  elevation: Elevation;
  sessionId: number;
  /** Windows process start key: boot number in the high bits, a per-boot counter below. */
  uniqueId: string;
  parent: Proc | null;
  /** InitiatingProcess* columns per table, built on first use (a process initiates many events). */
  initiating?: Map<DemoTable, Row>;
}

export interface StartOptions {
  /** Defaults to the parent's account (the creator's token). */
  account?: Account;
  logonId?: number;
  integrity?: Integrity;
  elevation?: Elevation;
  sessionId?: number;
  commandLine?: string;
  /** Boot number for the process start key. */
  boot?: number;
}

const DOCS = [
  'Q3 forecast',
  'Budget 2025',
  'Customer list',
  'Travel expenses',
  'Onboarding checklist',
  'Board deck',
  'Contract draft v3',
  'Release notes',
  'Team offsite',
  'Invoice 2024-1187',
  'Price list EMEA',
  'Minutes weekly sync',
];

/** Signer type and status as Defender reports them for an initiating image. */
function signerFacts(sig: Signature | null): { type: string; status: string } {
  if (!sig) return { type: '', status: 'Unsigned' };
  if (sig.signer === 'Microsoft Windows') return { type: 'OsVendor', status: 'Valid' };
  if (sig.rootMicrosoft) return { type: 'Microsoft', status: 'Valid' };
  return { type: 'ThirdParty', status: sig.trusted ? 'Valid' : 'Invalid' };
}

/**
 * Everything that happens on one device, as rows in the making. The behaviour modules decide
 * what happens when; this class knows how each kind of event is reported (which columns, which
 * spelling), keeps the process tree, and marks rows that belong in the truth file.
 */
export class DeviceTimeline {
  readonly events: DemoEvent[] = [];
  private readonly certSeen = new Set<string>();
  private startCounter = 0;

  constructor(
    readonly device: Device,
    readonly period: Period,
    readonly rng: Rng,
  ) {}

  /**
   * Records a row if `t` is inside the period. The initiating process's columns are shared by
   * reference rather than copied into every row: a browser or an agent initiates thousands.
   */
  private emit(table: DemoTable, t: number, row: Row, initiator: Proc | null, mark?: EventMark): void {
    if (!this.period.contains(t)) return;
    const event: DemoEvent = { table, t, row };
    if (initiator) event.shared = this.initiatingFor(table, initiator);
    if (mark) event.mark = mark;
    this.events.push(event);
  }

  /** The InitiatingProcess* columns `table` has, for events started by `p`. */
  private initiatingFor(table: DemoTable, p: Proc): Row {
    p.initiating ??= new Map();
    let row = p.initiating.get(table);
    if (!row) {
      const cols = columnsOf(table);
      row = {};
      for (const [k, v] of Object.entries(this.initiating(p))) if (cols.has(k)) row[k] = v;
      p.initiating.set(table, row);
    }
    return row;
  }

  /** Absolute ticks of an offset (datetime cells are absolute). */
  at(t: number): bigint {
    return this.period.at(t);
  }

  newPid(): number {
    return 4 * this.rng.int(100, 16_000);
  }

  resolve(template: string, p: Program, account: Account): string {
    const profile = account.profile || this.device.user.profile;
    return template
      .replaceAll('{path}', p.path.replaceAll('{user}', profile))
      .replaceAll('{user}', profile)
      .replaceAll('{n}', () => String(this.rng.int(1000, 99_999)))
      .replaceAll('{port}', () => String(this.rng.int(1000, 9999)))
      .replaceAll('{guid}', () => `{${guidOf(`cmd:${this.rng.nextU32()}`).toUpperCase()}}`)
      .replaceAll(
        '{doc}',
        () => `C:\\Users\\${profile}\\OneDrive - Contoso\\Documents\\${this.rng.pick(DOCS)}`,
      );
  }

  /**
   * Starts a process and reports its creation (when `t` is inside the period). `parent` is null
   * only for the kernel's own processes.
   */
  start(t: number, parent: Proc | null, program: Program, opts: StartOptions = {}): Proc {
    const account = opts.account ?? parent?.account;
    if (!account) throw new Error(`no account for ${program.fileName}`);
    const system = /^S-1-5-(18|19|20)$/.test(account.sid);
    // Virtual service accounts (NT SERVICE\*, IIS APPPOOL\*) run at high integrity in session 0.
    const virtualService = /^S-1-5-8[02]-/.test(account.sid);
    const boot = opts.boot ?? 1;
    const proc: Proc = {
      program,
      pid: this.newPid(),
      created: Math.round(t),
      path: program.path.replaceAll('{user}', account.profile || this.device.user.profile),
      commandLine: opts.commandLine ?? this.resolve(this.rng.pick(program.commandLines), program, account),
      account,
      logonId: opts.logonId ?? (account.logonId || parent?.logonId || 999),
      integrity: opts.integrity ?? (system ? 'System' : virtualService ? 'High' : 'Medium'),
      elevation: opts.elevation ?? 'TokenElevationTypeDefault',
      sessionId: opts.sessionId ?? (system || virtualService ? 0 : (parent?.sessionId ?? 1)),
      uniqueId: String(BigInt(boot) * 281_474_976_710_656n + BigInt(++this.startCounter)),
      parent,
    };
    if (parent) this.reportProcessCreated(proc, parent);
    this.sawImage(proc.created, program);
    return proc;
  }

  private reportProcessCreated(p: Proc, parent: Proc): void {
    const tool = plantedToolOf(p.program);
    const near = nearMissOf(p.program);
    const mark: EventMark | undefined = tool
      ? { kind: 'planted', tool, signal: 'process' }
      : near && near.signal === 'process'
        ? { kind: 'nearMiss', def: near }
        : undefined;
    const h = hashesOf(p.program, this.device.osFileVersion);
    const row: Row = {
      ActionType: 'ProcessCreated',
      FileName: p.program.fileName,
      FolderPath: p.path,
      SHA1: h.SHA1,
      SHA256: h.SHA256,
      MD5: h.MD5,
      FileSize: p.program.fileSize,
      ProcessVersionInfoCompanyName: p.program.company,
      ProcessVersionInfoProductName: p.program.product,
      ProcessVersionInfoProductVersion: versionOn(p.program, this.device.osFileVersion),
      ProcessVersionInfoInternalFileName: p.program.internalFileName,
      ProcessVersionInfoOriginalFileName: p.program.originalFileName,
      ProcessVersionInfoFileDescription: p.program.description,
      ProcessId: p.pid,
      ProcessCommandLine: p.commandLine,
      ProcessIntegrityLevel: p.integrity,
      ProcessTokenElevation: p.elevation,
      ProcessCreationTime: this.at(p.created),
      AccountDomain: p.account.domain,
      AccountName: p.account.name,
      AccountSid: p.account.sid,
      AccountUpn: p.account.upn,
      AccountObjectId: p.account.objectId,
      LogonId: p.logonId,
      CreatedProcessSessionId: p.sessionId,
      IsProcessRemoteSession: false,
      ProcessUniqueId: p.uniqueId,
    };
    this.emit('DeviceProcessEvents', p.created, row, parent, mark);
  }

  /** The InitiatingProcess* columns (each table keeps the ones it has). */
  private initiating(p: Proc): Row {
    const h = hashesOf(p.program, this.device.osFileVersion);
    const signer = signerFacts(p.program.signature);
    const grand = p.parent;
    return {
      InitiatingProcessAccountDomain: p.account.domain,
      InitiatingProcessAccountName: p.account.name,
      InitiatingProcessAccountSid: p.account.sid,
      InitiatingProcessAccountUpn: p.account.upn,
      InitiatingProcessAccountObjectId: p.account.objectId,
      InitiatingProcessLogonId: p.logonId,
      InitiatingProcessIntegrityLevel: p.integrity,
      InitiatingProcessTokenElevation: p.elevation,
      InitiatingProcessSHA1: h.SHA1,
      InitiatingProcessSHA256: h.SHA256,
      InitiatingProcessMD5: h.MD5,
      InitiatingProcessFileName: p.program.fileName,
      InitiatingProcessFileSize: p.program.fileSize,
      InitiatingProcessVersionInfoCompanyName: p.program.company,
      InitiatingProcessVersionInfoProductName: p.program.product,
      InitiatingProcessVersionInfoProductVersion: versionOn(p.program, this.device.osFileVersion),
      InitiatingProcessVersionInfoInternalFileName: p.program.internalFileName,
      InitiatingProcessVersionInfoOriginalFileName: p.program.originalFileName,
      InitiatingProcessVersionInfoFileDescription: p.program.description,
      InitiatingProcessId: p.pid,
      InitiatingProcessCommandLine: p.commandLine,
      InitiatingProcessCreationTime: this.at(p.created),
      InitiatingProcessFolderPath: p.path,
      InitiatingProcessParentId: grand ? grand.pid : 0,
      InitiatingProcessParentFileName: grand ? grand.program.fileName : '',
      InitiatingProcessParentCreationTime: grand ? this.at(grand.created) : null,
      InitiatingProcessSignerType: signer.type,
      InitiatingProcessSignatureStatus: signer.status,
      InitiatingProcessSessionId: p.sessionId,
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessUniqueId: p.uniqueId,
    };
  }

  /** An outbound connection from `p` to one of its destinations. */
  connect(t: number, p: Proc, d: Destination, failed = false, nearMiss?: NearMissDef): void {
    const host = hostOf(d.url);
    const internal = host.endsWith('.contoso.local') || host === 'vpn.contoso.com';
    const tool = plantedToolOf(p.program);
    this.emit(
      'DeviceNetworkEvents',
      t,
      {
        ActionType: failed ? 'ConnectionFailed' : 'ConnectionSuccess',
        RemoteIP: host === 'vpn.contoso.com' ? '198.51.100.7' : internal ? DC_IP : publicIpFor(host),
        RemotePort: d.port,
        RemoteUrl: d.url,
        LocalIP: this.device.localIp,
        LocalPort: this.rng.int(49_152, 65_535),
        Protocol: d.protocol ?? 'Tcp',
        LocalIPType: 'Private',
        RemoteIPType: internal && host !== 'vpn.contoso.com' ? 'Private' : 'Public',
      },
      p,
      tool
        ? { kind: 'planted', tool, signal: 'network' }
        : nearMiss
          ? { kind: 'nearMiss', def: nearMiss }
          : undefined,
    );
  }

  /** A connection inside the network (DNS, Kerberos, SMB, SQL), no URL. */
  connectInternal(t: number, p: Proc, remoteIp: string, port: number, protocol: 'Tcp' | 'Udp' = 'Tcp'): void {
    this.emit(
      'DeviceNetworkEvents',
      t,
      {
        ActionType: 'ConnectionSuccess',
        RemoteIP: remoteIp,
        RemotePort: port,
        RemoteUrl: '',
        LocalIP: this.device.localIp,
        LocalPort: this.rng.int(49_152, 65_535),
        Protocol: protocol,
        LocalIPType: 'Private',
        RemoteIPType: 'Private',
      },
      p,
    );
  }

  /** A server accepting a client's connection. */
  accept(t: number, p: Proc, clientIp: string, localPort: number): void {
    this.emit(
      'DeviceNetworkEvents',
      t,
      {
        ActionType: 'InboundConnectionAccepted',
        RemoteIP: clientIp,
        RemotePort: this.rng.int(49_152, 65_535),
        RemoteUrl: '',
        LocalIP: this.device.localIp,
        LocalPort: localPort,
        Protocol: 'Tcp',
        LocalIPType: 'Private',
        RemoteIPType: 'Private',
      },
      p,
    );
  }

  fileEvent(
    t: number,
    p: Proc,
    action: 'FileCreated' | 'FileModified' | 'FileRenamed' | 'FileDeleted',
    path: string,
    opts: { originUrl?: string; size?: number; previousPath?: string } = {},
  ): void {
    const fileName = path.slice(path.lastIndexOf('\\') + 1);
    const h = fileHashesOf(`${this.device.DeviceId}|${path}|${Math.floor(t / TICKS_PER_MINUTE)}`);
    const row: Row = {
      ActionType: action,
      FileName: fileName,
      FolderPath: path,
      SHA1: h.SHA1,
      SHA256: h.SHA256,
      MD5: h.MD5,
      FileSize: opts.size ?? this.rng.int(12_000, 4_000_000),
      RequestProtocol: 'Local',
    };
    if (opts.originUrl) {
      row['FileOriginUrl'] = opts.originUrl;
      row['FileOriginIP'] = publicIpFor(hostOf(opts.originUrl));
    }
    if (opts.previousPath) {
      row['PreviousFolderPath'] = opts.previousPath.slice(0, opts.previousPath.lastIndexOf('\\'));
      row['PreviousFileName'] = opts.previousPath.slice(opts.previousPath.lastIndexOf('\\') + 1);
    }
    this.emit('DeviceFileEvents', t, row, p);
  }

  logon(
    t: number,
    account: Account,
    opts: {
      logonType:
        | 'Interactive'
        | 'RemoteInteractive'
        | 'Network'
        | 'Unlock'
        | 'Service'
        | 'CachedInteractive'
        | 'Batch';
      logonId: number;
      failed?: 'InvalidUserNameOrPassword' | 'UnknownUserName' | 'AccountLocked';
      protocol?: 'Kerberos' | 'NTLM' | 'Negotiate';
      remoteIp?: string;
      remoteDeviceName?: string;
      initiating?: Proc;
      localAdmin?: boolean;
    },
  ): void {
    const row: Row = {
      ActionType: opts.failed ? 'LogonFailed' : 'LogonSuccess',
      LogonType: opts.logonType,
      AccountDomain: account.domain,
      AccountName: account.name,
      AccountSid: opts.failed === 'UnknownUserName' ? '' : account.sid,
      Protocol: opts.protocol ?? 'Negotiate',
      FailureReason: opts.failed ?? '',
      IsLocalAdmin: opts.localAdmin ?? false,
      LogonId: opts.failed ? null : opts.logonId,
      RemoteDeviceName: opts.remoteDeviceName ?? '',
      RemoteIP: opts.remoteIp ?? '',
      RemoteIPType: opts.remoteIp ? 'Private' : '',
      RemotePort: opts.remoteIp ? this.rng.int(49_152, 65_535) : null,
      AdditionalFields: JSON.stringify({ IsLocalLogon: !opts.remoteIp }),
    };
    this.emit('DeviceLogonEvents', t, row, opts.initiating ?? null);
  }

  /**
   * Defender inventories the signature of an image when it first sees it; here at most once a
   * day per image, a few seconds after it was seen.
   */
  sawImage(t: number, program: Program): void {
    if (!program.signature || !this.period.contains(t)) return;
    const day = Number(this.at(t) / BigInt(TICKS_PER_DAY));
    const key = `${program.key}|${day}`;
    if (this.certSeen.has(key)) return;
    this.certSeen.add(key);
    this.certificate(
      t + this.rng.int(1, 40) * TICKS_PER_SECOND + this.rng.int(0, TICKS_PER_SECOND - 1),
      program,
    );
  }

  /** One DeviceFileCertificateInfo row for `program`'s image. */
  certificate(t: number, program: Program): void {
    const sig = program.signature;
    if (!sig) return;
    const tool = plantedToolOf(program);
    const near = nearMissOf(program);
    const mark: EventMark | undefined = tool
      ? { kind: 'planted', tool, signal: 'signature' }
      : near && near.signal === 'signature'
        ? { kind: 'nearMiss', def: near }
        : undefined;
    const h = hashesOf(program, this.device.osFileVersion);
    const from = parseIsoTicks(sig.validFrom)!;
    const to = parseIsoTicks(sig.validTo)!;
    // Signed some time after the certificate was issued; the same file always has the same time.
    const signedAt = from + BigInt(numberOf(`signed:${program.key}`) % Number((to - from) / 4n));
    this.emit(
      'DeviceFileCertificateInfo',
      t,
      {
        SHA1: h.SHA1,
        IsSigned: true,
        SignatureType: sig.type,
        Signer: sig.signer,
        SignerHash: hexOf('sha1', `signer:${sig.signer}|${sig.validFrom}`),
        Issuer: sig.issuer,
        IssuerHash: hexOf('sha1', `issuer:${sig.issuer}`),
        CertificateSerialNumber: hexOf('sha1', `serial:${sig.signer}|${sig.validFrom}`).slice(0, 38),
        CrlDistributionPointUrls: JSON.stringify(sig.crl),
        CertificateCreationTime: from,
        CertificateExpirationTime: to,
        CertificateCountersignatureTime: signedAt,
        IsTrusted: sig.trusted,
        IsRootSignerMicrosoft: sig.rootMicrosoft,
      },
      null,
      mark,
    );
  }

  deviceInfo(t: number, loggedOn: readonly Account[]): void {
    const d = this.device;
    const server = d.role === 'server';
    this.emit(
      'DeviceInfo',
      t,
      {
        ClientVersion: '10.8760.26100.1017',
        PublicIP: OFFICE_PUBLIC_IP,
        OSArchitecture: '64-bit',
        OSPlatform: d.osPlatform,
        OSBuild: d.osBuild,
        IsAzureADJoined: true,
        JoinType: 'Hybrid Azure AD Join',
        AadDeviceId: d.aadDeviceId,
        LoggedOnUsers: JSON.stringify(
          loggedOn.map((a) => ({ UserName: a.name, DomainName: DOMAIN_NETBIOS.toUpperCase(), Sid: a.sid })),
        ),
        OSVersion: '10.0',
        MachineGroup: machineGroupOf(d),
        OnboardingStatus: 'Onboarded',
        DeviceCategory: 'Endpoint',
        DeviceType: server ? 'Server' : 'Workstation',
        Model: d.model,
        Vendor: d.vendor,
        OSVersionInfo: d.osVersionInfo,
        IsInternetFacing: false,
        SensorHealthState: 'Active',
        IsExcluded: false,
        ExposureLevel: server ? 'Medium' : 'Low',
        AssetValue: server ? 'High' : 'Normal',
        ConnectivityType: 'Streamlined',
        OsBuildRevision: d.osFileVersion.split('.')[3] ?? '',
      },
      null,
    );
  }
}
