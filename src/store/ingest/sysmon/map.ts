import type { SchemaCatalog } from '../../../schema/index.js';
import {
  baseName,
  clean,
  expandHive,
  guidKey,
  hexToDecimal,
  protocolName,
  registryDetails,
  splitHashes,
  splitUser,
  splitValuePath,
} from './fields.js';
import { ipType } from './ip-type.js';
import type { ProcessFacts, ProcessIndex } from './process-index.js';
import { isSysmon, skipKey, type WindowsEvent } from './windows-event.js';

/**
 * Sysmon → Defender XDR rows, following the mapping in shared/schema/README.md:
 * EID 1 → DeviceProcessEvents, 3 → DeviceNetworkEvents, 7 → DeviceImageLoadEvents,
 * 11/23 → DeviceFileEvents, 12/13/14 → DeviceRegistryEvents, 22 → DeviceEvents (DnsQueryResponse).
 * Sysmon's parent process is Defender's *initiating* process. Sysmon fields without a Defender
 * column (ProcessGuid, LogonGuid, CurrentDirectory, IMPHASH, ...) are emitted under their Sysmon
 * names and handled like any unknown column: kept in AdditionalFields, or reported.
 */
export const SYSMON_TABLES: Record<number, string> = {
  1: 'DeviceProcessEvents',
  3: 'DeviceNetworkEvents',
  7: 'DeviceImageLoadEvents',
  11: 'DeviceFileEvents',
  23: 'DeviceFileEvents',
  12: 'DeviceRegistryEvents',
  13: 'DeviceRegistryEvents',
  14: 'DeviceRegistryEvents',
  22: 'DeviceEvents',
};

export type SysmonMapping = { table: string; row: Record<string, unknown> } | { skip: string };

/** Builds one row: columns the table lacks are silently not set (they are Defender-side gaps). */
class RowBuilder {
  readonly row: Record<string, unknown> = {};
  constructor(private readonly columns: ReadonlySet<string>) {}

  set(column: string, value: unknown): void {
    if (value === undefined || !this.columns.has(column)) return;
    this.row[column] = value;
  }

  /** Sets only when the event itself did not provide the column. */
  fill(column: string, value: unknown): void {
    if (this.row[column] === undefined || this.row[column] === '') this.set(column, value);
  }

  /** A Sysmon field with no Defender column. */
  extra(name: string, value: unknown): void {
    if (value !== undefined && value !== '') this.row[name] = value;
  }
}

function initiatingFromFacts(b: RowBuilder, p: ProcessFacts | undefined, index: ProcessIndex): void {
  if (!p) return;
  b.fill('InitiatingProcessFolderPath', p.image);
  b.fill('InitiatingProcessFileName', baseName(p.image));
  b.fill('InitiatingProcessCommandLine', p.commandLine);
  b.fill('InitiatingProcessCreationTime', p.creationTime);
  b.fill('InitiatingProcessSHA1', p.sha1);
  b.fill('InitiatingProcessMD5', p.md5);
  b.fill('InitiatingProcessSHA256', p.sha256);
  b.fill('InitiatingProcessVersionInfoCompanyName', p.company);
  b.fill('InitiatingProcessVersionInfoProductName', p.product);
  b.fill('InitiatingProcessVersionInfoProductVersion', p.fileVersion);
  b.fill('InitiatingProcessVersionInfoOriginalFileName', p.originalFileName);
  b.fill('InitiatingProcessVersionInfoFileDescription', p.description);
  b.fill('InitiatingProcessIntegrityLevel', p.integrityLevel);
  b.fill('InitiatingProcessAccountDomain', p.account?.[0]);
  b.fill('InitiatingProcessAccountName', p.account?.[1]);
  b.fill('InitiatingProcessLogonId', p.logonId);
  b.fill('InitiatingProcessSessionId', p.sessionId);
  b.fill('InitiatingProcessParentId', p.parentId);
  b.fill('InitiatingProcessParentFileName', index.parentFileName(p));
  b.fill('InitiatingProcessParentCreationTime', index.get(p.parentGuid)?.creationTime);
}

/** Columns every mapped event has: time, device, the acting process (Image/ProcessId/User). */
function common(b: RowBuilder, e: WindowsEvent, actingIsInitiating: boolean): void {
  const d = e.data;
  b.set('Timestamp', clean(d['UtcTime']) ?? clean(d['@timestamp']) ?? clean(d['TimeCreated']));
  // Defender reports DeviceName as the lower-case FQDN.
  b.set('DeviceName', (e.computer || '').toLowerCase());
  const rn = d['RecordNumber'] ?? d['EventRecordID'] ?? d['RecordId'];
  if (typeof rn === 'number' || (typeof rn === 'string' && /^\d+$/.test(rn))) b.set('ReportId', String(rn));
  const ruleName = clean(d['RuleName']);
  if (ruleName) b.extra('RuleName', ruleName);
  if (actingIsInitiating) {
    const image = clean(d['Image']);
    b.set('InitiatingProcessFolderPath', image);
    b.set('InitiatingProcessFileName', baseName(image));
    b.set('InitiatingProcessId', clean(d['ProcessId']));
    const user = splitUser(clean(d['User']));
    b.set('InitiatingProcessAccountDomain', user?.[0]);
    b.set('InitiatingProcessAccountName', user?.[1]);
    if (guidKey(d['ProcessGuid'])) b.extra('ProcessGuid', clean(d['ProcessGuid']));
  }
}

function processCreated(b: RowBuilder, e: WindowsEvent, index: ProcessIndex): void {
  const d = e.data;
  common(b, e, false);
  b.set('ActionType', 'ProcessCreated');
  const image = clean(d['Image']);
  b.set('FolderPath', image);
  b.set('FileName', baseName(image));
  b.set('ProcessCommandLine', clean(d['CommandLine']));
  b.set('ProcessId', clean(d['ProcessId']));
  b.set('ProcessCreationTime', clean(d['UtcTime']));
  b.set('ProcessVersionInfoCompanyName', clean(d['Company']));
  b.set('ProcessVersionInfoProductName', clean(d['Product']));
  b.set('ProcessVersionInfoFileDescription', clean(d['Description']));
  b.set('ProcessVersionInfoProductVersion', clean(d['FileVersion']));
  b.set('ProcessVersionInfoOriginalFileName', clean(d['OriginalFileName']));
  const h = splitHashes(clean(d['Hashes']));
  b.set('SHA1', h['SHA1']);
  b.set('MD5', h['MD5']);
  b.set('SHA256', h['SHA256']);
  b.set('ProcessIntegrityLevel', clean(d['IntegrityLevel']));
  const user = splitUser(clean(d['User']));
  b.set('AccountDomain', user?.[0]);
  b.set('AccountName', user?.[1]);
  b.set('LogonId', hexToDecimal(clean(d['LogonId'])));
  b.set('CreatedProcessSessionId', clean(d['TerminalSessionId']));
  // The parent is the initiating process.
  const parentImage = clean(d['ParentImage']);
  b.set('InitiatingProcessFolderPath', parentImage);
  b.set('InitiatingProcessFileName', baseName(parentImage));
  b.set('InitiatingProcessCommandLine', clean(d['ParentCommandLine']));
  b.set('InitiatingProcessId', clean(d['ParentProcessId']));
  const parentUser = splitUser(clean(d['ParentUser']));
  b.set('InitiatingProcessAccountDomain', parentUser?.[0]);
  b.set('InitiatingProcessAccountName', parentUser?.[1]);
  initiatingFromFacts(b, index.get(d['ParentProcessGuid']), index);
  b.extra('ProcessGuid', clean(d['ProcessGuid']));
  b.extra('ParentProcessGuid', clean(d['ParentProcessGuid']));
  b.extra('LogonGuid', clean(d['LogonGuid']));
  b.extra('CurrentDirectory', clean(d['CurrentDirectory']));
  b.extra('Imphash', h['IMPHASH']);
}

function networkConnection(b: RowBuilder, e: WindowsEvent): void {
  const d = e.data;
  common(b, e, true);
  // Sysmon's Source is the side that opened the connection; Defender's Local is this device.
  const initiated = String(d['Initiated'] ?? 'true').toLowerCase() !== 'false';
  b.set('ActionType', initiated ? 'ConnectionSuccess' : 'InboundConnectionAccepted');
  const [local, remote] = initiated ? ['Source', 'Destination'] : ['Destination', 'Source'];
  const localIp = clean(d[`${local}Ip`]);
  const remoteIp = clean(d[`${remote}Ip`]);
  b.set('LocalIP', localIp);
  b.set('LocalPort', clean(d[`${local}Port`]));
  b.set('RemoteIP', remoteIp);
  b.set('RemotePort', clean(d[`${remote}Port`]));
  b.set('RemoteUrl', clean(d[`${remote}Hostname`]));
  b.set('LocalIPType', ipType(localIp));
  b.set('RemoteIPType', ipType(remoteIp));
  b.set('Protocol', protocolName(clean(d['Protocol'])));
  b.extra('SourcePortName', clean(d['SourcePortName']));
  b.extra('DestinationPortName', clean(d['DestinationPortName']));
}

function imageLoaded(b: RowBuilder, e: WindowsEvent): void {
  const d = e.data;
  common(b, e, true);
  b.set('ActionType', 'ImageLoaded');
  const loaded = clean(d['ImageLoaded']);
  b.set('FolderPath', loaded);
  b.set('FileName', baseName(loaded));
  const h = splitHashes(clean(d['Hashes']));
  b.set('SHA1', h['SHA1']);
  b.set('MD5', h['MD5']);
  b.set('SHA256', h['SHA256']);
  // Facts about the loaded module; DeviceImageLoadEvents has no column for them.
  for (const k of [
    'Company',
    'Product',
    'Description',
    'FileVersion',
    'OriginalFileName',
    'Signed',
    'Signature',
    'SignatureStatus',
  ]) {
    b.extra(k, clean(d[k]));
  }
}

function fileEvent(b: RowBuilder, e: WindowsEvent): void {
  const d = e.data;
  common(b, e, true);
  b.set('ActionType', e.eventId === 23 ? 'FileDeleted' : 'FileCreated');
  const target = clean(d['TargetFilename']);
  b.set('FolderPath', target);
  b.set('FileName', baseName(target));
  const h = splitHashes(clean(d['Hashes']));
  b.set('SHA1', h['SHA1']);
  b.set('MD5', h['MD5']);
  b.set('SHA256', h['SHA256']);
  b.extra('CreationUtcTime', clean(d['CreationUtcTime']));
  b.extra('IsExecutable', clean(d['IsExecutable']));
  b.extra('Archived', clean(d['Archived']));
}

const REGISTRY_ACTIONS: Record<string, string> = {
  CreateKey: 'RegistryKeyCreated',
  DeleteKey: 'RegistryKeyDeleted',
  RenameKey: 'RegistryKeyRenamed',
  SetValue: 'RegistryValueSet',
  DeleteValue: 'RegistryValueDeleted',
  CreateValue: 'RegistryValueSet',
};

function registryEvent(b: RowBuilder, e: WindowsEvent): void {
  const d = e.data;
  common(b, e, true);
  let eventType = clean(d['EventType']);
  if (!eventType || !(eventType in REGISTRY_ACTIONS)) {
    // Some exports (NXLog) replaced EventType with the severity; EID 13/14 are unambiguous,
    // EID 12 (create or delete) is not, and is left without an ActionType rather than guessed.
    eventType = e.eventId === 13 ? 'SetValue' : e.eventId === 14 ? 'RenameKey' : undefined;
  }
  b.set('ActionType', eventType ? REGISTRY_ACTIONS[eventType] : '');
  const target = expandHive(clean(d['TargetObject']) ?? '');
  const isValue = eventType === 'SetValue' || eventType === 'DeleteValue' || eventType === 'CreateValue';
  if (eventType === 'RenameKey') {
    b.set('PreviousRegistryKey', target);
    b.set('RegistryKey', expandHive(clean(d['NewName']) ?? ''));
  } else if (isValue) {
    const [key, value] = splitValuePath(target);
    b.set('RegistryKey', key);
    b.set('RegistryValueName', value);
  } else {
    b.set('RegistryKey', target);
  }
  if (e.eventId === 13) {
    const det = registryDetails(clean(d['Details']));
    b.set('RegistryValueType', det.type);
    b.set('RegistryValueData', det.data);
  }
}

function dnsQuery(b: RowBuilder, e: WindowsEvent): void {
  const d = e.data;
  common(b, e, true);
  b.set('ActionType', 'DnsQueryResponse');
  const name = clean(d['QueryName']);
  b.set('RemoteUrl', name);
  // Defender puts the query and its answers in AdditionalFields.
  const results = (clean(d['QueryResults']) ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  b.set(
    'AdditionalFields',
    JSON.stringify({
      DnsQueryString: name ?? '',
      DnsQueryResult: results,
      QueryStatus: clean(d['QueryStatus']) ?? '',
    }),
  );
}

export class SysmonMapper {
  private readonly columnsByTable = new Map<string, Set<string>>();

  constructor(
    schema: SchemaCatalog,
    private readonly index: ProcessIndex,
  ) {
    for (const t of new Set(Object.values(SYSMON_TABLES))) {
      const table = schema.table(t);
      if (table) this.columnsByTable.set(t, new Set(table.columns.map((c) => c.name)));
    }
  }

  map(e: WindowsEvent): SysmonMapping {
    const table = isSysmon(e) && e.eventId !== undefined ? SYSMON_TABLES[e.eventId] : undefined;
    const columns = table ? this.columnsByTable.get(table) : undefined;
    if (!table || !columns) return { skip: skipKey(e) };
    const b = new RowBuilder(columns);
    switch (e.eventId) {
      case 1:
        processCreated(b, e, this.index);
        break;
      case 3:
        networkConnection(b, e);
        break;
      case 7:
        imageLoaded(b, e);
        break;
      case 11:
      case 23:
        fileEvent(b, e);
        break;
      case 12:
      case 13:
      case 14:
        registryEvent(b, e);
        break;
      case 22:
        dnsQuery(b, e);
        break;
    }
    if (e.eventId !== 1) initiatingFromFacts(b, this.index.get(e.data['ProcessGuid']), this.index);
    return { table, row: b.row };
  }
}
