import {
  approvedOn,
  DEMO_APPROVED,
  DEMO_POLICY_FILE,
  machineGroupOf,
  type MachineGroup,
} from './approved.js';
import type { Device } from './estate.js';
import type { PlantProfile } from './planted.js';
import { ALL_NEAR_MISSES, PLANTED_TOOLS, type PlantedSignal, type PlantedTool } from './rmm.js';
import type { DemoTable, EventMark, Row } from './tables.js';
import { formatIsoTicks } from './ticks.js';

/**
 * The ground truth of a generated estate (`socfeed demo --truth FILE`): which rows are planted
 * RMM activity and which are near misses that a correct `has` must not match. Tests derive what
 * a rule should return (e.g. the 5-day window) from `events`; nothing here assumes a window.
 */
export interface Truth {
  now: string;
  seed: number;
  days: number;
  devices: TruthDevice[];
  /** The example policy the `approved` flags refer to (the YAML file holds the same entries). */
  policy: { file: string; approved: { tool: PlantedTool; groups?: MachineGroup[]; note: string }[] };
  planted: PlantedEntry[];
  nearMisses: NearMissEntry[];
}

export interface TruthDevice {
  DeviceId: string;
  DeviceName: string;
  role: Device['role'];
  group: string;
  /** DeviceInfo.MachineGroup, which policies match on. */
  machineGroup: MachineGroup;
  user: string;
  localIp: string;
  os: string;
}

export interface TruthEvent {
  /** ISO-8601 UTC with 7 fractional digits, exactly as stored (100 ns precision). */
  Timestamp: string;
  ReportId: number;
}

/** One per (tool, signal, device) over the whole period. */
export interface PlantedEntry {
  tool: PlantedTool;
  /** `process` (DeviceProcessEvents), `signature` (DeviceFileCertificateInfo), `network` (DeviceNetworkEvents). */
  signal: PlantedSignal;
  table: DemoTable;
  DeviceId: string;
  DeviceName: string;
  profile: PlantProfile;
  /** Whether the example policy (`Truth.policy`) approves this tool on this device. */
  approved: boolean;
  first: string;
  last: string;
  count: number;
  /** In time order, like `events`. */
  ReportIds: number[];
  events: TruthEvent[];
}

export interface NearMissEntry {
  kind: string;
  /** The tool whose rule this row nearly matches (a seed rule or the pack rule of an extra tool). */
  tool: PlantedTool;
  why: string;
  table: DemoTable;
  DeviceId: string;
  DeviceName: string;
  Timestamp: string;
  ReportId: number;
  /** The values the rule looks at. */
  fields: Record<string, string>;
}

const SIGNAL_TABLE: Record<PlantedSignal, DemoTable> = {
  process: 'DeviceProcessEvents',
  signature: 'DeviceFileCertificateInfo',
  network: 'DeviceNetworkEvents',
};
const SIGNAL_ORDER: readonly PlantedSignal[] = ['process', 'signature', 'network'];
const FIELDS: Partial<Record<DemoTable, readonly string[]>> = {
  DeviceProcessEvents: [
    'FileName',
    'FolderPath',
    'ProcessVersionInfoCompanyName',
    'ProcessVersionInfoProductName',
  ],
  DeviceFileCertificateInfo: ['SHA1', 'Signer', 'Issuer'],
  DeviceNetworkEvents: ['RemoteUrl', 'InitiatingProcessFileName', 'InitiatingProcessVersionInfoCompanyName'],
};

/** Collects marked rows while devices are generated, then renders the truth file's content. */
export class TruthBuilder {
  private readonly planted = new Map<
    string,
    {
      tool: PlantedTool;
      signal: PlantedSignal;
      device: Device;
      events: { ticks: bigint; ReportId: number }[];
    }
  >();
  private readonly near: {
    order: number;
    device: Device;
    ticks: bigint;
    entry: Omit<NearMissEntry, 'DeviceId' | 'DeviceName' | 'Timestamp'>;
  }[] = [];

  constructor(
    private readonly now: bigint,
    private readonly seed: number,
    private readonly days: number,
    private readonly devices: readonly Device[],
    private readonly profiles: ReadonlyMap<string, PlantProfile>,
  ) {}

  static profileKey(tool: PlantedTool, deviceIndex: number): string {
    return `${tool}|${deviceIndex}`;
  }

  /** Records a row that carries a mark (rows arrive per device in time order); `shared` as in DemoEvent. */
  add(device: Device, table: DemoTable, mark: EventMark, ticks: bigint, row: Row, shared?: Row): void {
    const ReportId = Number(row['ReportId']);
    if (mark.kind === 'planted') {
      const key = `${String(PLANTED_TOOLS.indexOf(mark.tool)).padStart(2, '0')}|${SIGNAL_ORDER.indexOf(mark.signal)}|${String(device.index).padStart(6, '0')}`;
      let entry = this.planted.get(key);
      if (!entry) {
        entry = { tool: mark.tool, signal: mark.signal, device, events: [] };
        this.planted.set(key, entry);
      }
      entry.events.push({ ticks, ReportId });
      return;
    }
    const fields: Record<string, string> = {};
    for (const f of FIELDS[table] ?? []) fields[f] = String(row[f] ?? shared?.[f] ?? '');
    this.near.push({
      order: this.near.length,
      device,
      ticks,
      entry: { kind: mark.def.kind, tool: mark.def.tool, why: mark.def.why, table, ReportId, fields },
    });
  }

  build(): Truth {
    const planted: PlantedEntry[] = [...this.planted.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => {
        const events = e.events.map((x) => ({ Timestamp: formatIsoTicks(x.ticks), ReportId: x.ReportId }));
        return {
          tool: e.tool,
          signal: e.signal,
          table: SIGNAL_TABLE[e.signal],
          DeviceId: e.device.DeviceId,
          DeviceName: e.device.DeviceName,
          profile: this.profiles.get(TruthBuilder.profileKey(e.tool, e.device.index)) ?? 'spanning',
          approved: approvedOn(e.tool, e.device),
          first: events[0]!.Timestamp,
          last: events[events.length - 1]!.Timestamp,
          count: events.length,
          ReportIds: events.map((x) => x.ReportId),
          events,
        };
      });
    const kinds = ALL_NEAR_MISSES.map((n) => n.kind);
    const nearMisses: NearMissEntry[] = [...this.near]
      .sort(
        (a, b) =>
          kinds.indexOf(a.entry.kind) - kinds.indexOf(b.entry.kind) ||
          a.device.index - b.device.index ||
          (a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : a.order - b.order),
      )
      .map((n) => ({
        kind: n.entry.kind,
        tool: n.entry.tool,
        why: n.entry.why,
        table: n.entry.table,
        DeviceId: n.device.DeviceId,
        DeviceName: n.device.DeviceName,
        Timestamp: formatIsoTicks(n.ticks),
        ReportId: n.entry.ReportId,
        fields: n.entry.fields,
      }));
    return {
      now: formatIsoTicks(this.now),
      seed: this.seed,
      days: this.days,
      devices: this.devices.map((d) => ({
        DeviceId: d.DeviceId,
        DeviceName: d.DeviceName,
        role: d.role,
        group: d.group,
        machineGroup: machineGroupOf(d),
        user: d.user.upn,
        localIp: d.localIp,
        os: `${d.osPlatform} ${d.osVersionInfo} (${d.osFileVersion})`,
      })),
      policy: {
        file: DEMO_POLICY_FILE,
        approved: DEMO_APPROVED.map((a) => ({
          tool: a.tool,
          ...(a.groups ? { groups: [...a.groups] } : {}),
          note: a.note,
        })),
      },
      planted,
      nearMisses,
    };
  }
}
