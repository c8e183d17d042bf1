import type { RmmCatalog } from '../rules/rmm-catalog.js';
import type { Signal } from './findings.js';
import type { FindingStatus, JudgedFinding } from './persist.js';

/** What one signal says about a tool on a device, merged over every rule that saw it. */
export interface SignalSighting {
  signal: Signal | 'other';
  firstSeen?: string;
  lastSeen?: string;
  count: number;
  reportIds: (string | number)[];
  rules: string[];
}

export interface InventoryEntry {
  deviceId: string;
  deviceName: string;
  tool: string;
  toolName: string;
  firstSeen?: string;
  lastSeen?: string;
  signals: SignalSighting[];
  status: FindingStatus;
  statusNote: string;
}

const SIGNAL_ORDER = ['process', 'signature', 'network', 'other'] as const;

const minIso = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;
const maxIso = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;

/**
 * Per device, each RMM tool seen and by which signals. Several rules can see the same events (a
 * tool's own rule and the all-tools rule): their report ids are merged, so an event counts once,
 * and the count is the larger of the merged ids and any rule's own count.
 */
export function buildInventory(findings: JudgedFinding[], catalog: RmmCatalog): InventoryEntry[] {
  const byKey = new Map<
    string,
    { entry: InventoryEntry; signals: Map<string, SignalSighting & { ids: Set<string> }> }
  >();
  for (const f of findings) {
    if (!f.tool || f.delta === 'gone') continue;
    const key = `${f.deviceId}\u0000${f.deviceName}\u0000${f.tool}`;
    let item = byKey.get(key);
    if (!item) {
      item = {
        entry: {
          deviceId: f.deviceId,
          deviceName: f.deviceName,
          tool: f.tool,
          toolName: catalog.tool(f.tool)?.name ?? f.tool,
          signals: [],
          status: f.status,
          statusNote: f.statusNote,
        },
        signals: new Map(),
      };
      byKey.set(key, item);
    }
    const signal = f.signal ?? 'other';
    let s = item.signals.get(signal);
    if (!s) item.signals.set(signal, (s = { signal, count: 0, reportIds: [], rules: [], ids: new Set() }));
    s.firstSeen = minIso(s.firstSeen, f.firstSeen);
    s.lastSeen = maxIso(s.lastSeen, f.lastSeen);
    for (const id of f.reportIds) {
      if (!s.ids.has(String(id))) {
        s.ids.add(String(id));
        s.reportIds.push(id);
      }
    }
    s.count = Math.max(s.count, f.count ?? 0, s.ids.size);
    if (!s.rules.includes(f.ruleName)) s.rules.push(f.ruleName);
    // A raised sighting outweighs an expected one (policy verdicts agree per tool and device anyway).
    if (f.status === 'raised') {
      item.entry.status = 'raised';
      item.entry.statusNote = f.statusNote;
    }
  }
  const out = [...byKey.values()].map(({ entry, signals }) => {
    entry.signals = [...signals.values()]
      .map(({ ids: _ids, ...s }) => ({ ...s, rules: [...s.rules].sort() }))
      .sort((a, b) => SIGNAL_ORDER.indexOf(a.signal) - SIGNAL_ORDER.indexOf(b.signal));
    for (const s of entry.signals) {
      entry.firstSeen = minIso(entry.firstSeen, s.firstSeen);
      entry.lastSeen = maxIso(entry.lastSeen, s.lastSeen);
    }
    return entry;
  });
  return out.sort((a, b) => a.deviceName.localeCompare(b.deviceName) || a.toolName.localeCompare(b.toolName));
}
