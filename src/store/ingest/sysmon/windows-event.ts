/**
 * One Windows event, whatever JSON shape it was exported in:
 * - flat (OTRF Security-Datasets / HELK / NXLog): event fields and EventData side by side;
 * - Winlogbeat: `winlog.event_id`, `winlog.event_data`;
 * - EVTX-to-JSON: `Event.System` + `Event.EventData` (object, or `Data: [{Name, #text}]`).
 */
export interface WindowsEvent {
  eventId: number | undefined;
  provider: string;
  channel: string;
  computer: string;
  /** EventData fields (Image, CommandLine, UtcTime, ...) as strings. */
  data: Record<string, unknown>;
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  if (v && typeof v === 'object' && '#text' in v) return num((v as Record<string, unknown>)['#text']);
  return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function eventDataFields(ed: unknown): Record<string, unknown> {
  const o = obj(ed);
  if (!o) return {};
  const data = o['Data'];
  if (Array.isArray(data)) {
    const out: Record<string, unknown> = {};
    for (const d of data) {
      const item = obj(d);
      const name = item?.['Name'] ?? item?.['@Name'];
      if (typeof name === 'string') out[name] = item?.['#text'] ?? item?.['Value'] ?? item?.['value'] ?? '';
    }
    return out;
  }
  return o;
}

export function normalizeWindowsEvent(o: Record<string, unknown>): WindowsEvent {
  const winlog = obj(o['winlog']);
  if (winlog) {
    const provider = str(winlog['provider_name']);
    return {
      eventId: num(winlog['event_id']),
      provider,
      channel: str(winlog['channel']),
      computer: str(winlog['computer_name']),
      data: eventDataFields(winlog['event_data']),
    };
  }
  const event = obj(o['Event']);
  if (event && obj(event['System'])) {
    const sys = obj(event['System'])!;
    const prov = obj(sys['Provider']);
    return {
      eventId: num(sys['EventID']),
      provider: str(prov?.['Name'] ?? prov?.['@Name'] ?? ''),
      channel: str(sys['Channel']),
      computer: str(sys['Computer']),
      data: eventDataFields(event['EventData']),
    };
  }
  return {
    eventId: num(o['EventID'] ?? o['EventId']),
    // Log Analytics' Event table names them Source and EventLog.
    provider: str(o['SourceName'] ?? o['ProviderName'] ?? o['Provider_Name'] ?? o['Source']),
    channel: str(o['Channel'] ?? o['EventLog']),
    computer: str(o['Hostname'] ?? o['Computer'] ?? o['ComputerName']),
    data: withoutUnionSuffixes(o),
  };
}

const UNION_SUFFIX = /^(.+)_(string|dynamic|long|int|real|bool|datetime|guid)$/;

/** Log Analytics union exports suffix clashing fields (`ProcessId_dynamic`); read them by base name. */
function withoutUnionSuffixes(o: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(o)) {
    const m = UNION_SUFFIX.exec(k);
    if (m && !(m[1]! in o) && v !== null && v !== '') (out ??= { ...o })[m[1]!] = v;
  }
  return out ?? o;
}

export function isSysmon(e: WindowsEvent): boolean {
  return e.provider === 'Microsoft-Windows-Sysmon' || e.channel.startsWith('Microsoft-Windows-Sysmon');
}

/** The summary key of an event that is not ingested: "Sysmon EID 10", "Security EID 4624". */
export function skipKey(e: WindowsEvent): string {
  const id = e.eventId === undefined ? '?' : String(e.eventId);
  if (isSysmon(e)) return `Sysmon EID ${id}`;
  // Channel names differ in case between exports ("security" / "Security").
  const source = e.channel || e.provider || 'unknown source';
  return `${source.charAt(0).toUpperCase()}${source.slice(1)} EID ${id}`;
}
