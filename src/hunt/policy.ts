import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { RmmCatalog } from '../rules/rmm-catalog.js';
import type { KqlBackend } from '../engine/backend.js';
import { UserError } from '../util/errors.js';
import { closestMatch } from '../util/suggest.js';

/**
 * The approved-tools policy (an allow-list, as advisories on RMM abuse recommend): a YAML file
 *
 *   approved:
 *     - tool: ServerEye          # id, name or alias in the RMM catalog
 *       groups: [Servers]        # optional: device groups (DeviceInfo.MachineGroup)
 *       devices: ['srv-*']       # optional: device-name patterns, * and ? wildcards, any case
 *       note: monitoring by IT   # optional, shown with expected findings
 *
 * An entry with neither groups nor devices approves the tool everywhere; otherwise on devices in
 * one of the groups or matching one of the patterns.
 */
export interface PolicyEntry {
  tool: string;
  groups: string[];
  devices: RegExp[];
  note?: string;
}

export interface Policy {
  file: string;
  entries: PolicyEntry[];
}

export interface DeviceContext {
  deviceId: string;
  deviceName: string;
  group?: string;
}

export type Verdict = { status: 'expected'; note: string } | { status: 'raised'; note: string };

const ENTRY_KEYS = new Set(['tool', 'groups', 'devices', 'note']);

function fail(file: string, message: string, hint?: string): never {
  throw new UserError('SF-POLICY', `${file}: ${message}`, hint ? { hint } : {});
}

/** `*` and `?` wildcards to an anchored, case-insensitive pattern; everything else literal. */
export function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[\\^$.|+()[\]{}]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function stringList(file: string, where: string, v: unknown): string[] {
  if (v === undefined) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.length > 0))
    fail(file, `${where} must be a text or a list of texts`);
  return list as string[];
}

/** Reads and checks a policy file; every problem is a user error naming the entry. */
export function loadPolicy(file: string, catalog: RmmCatalog): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail(file, 'cannot read the policy file');
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : '';
    return fail(file, `not valid YAML${where}`);
  }
  if (doc === null || doc === undefined) return { file, entries: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) fail(file, "expected a mapping with an 'approved' list");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top))
    if (k !== 'approved') fail(file, `unknown key '${k}'`, "the policy has one key, 'approved'");
  const list = top['approved'] ?? [];
  if (!Array.isArray(list)) fail(file, "'approved' must be a list");
  const entries = (list as unknown[]).map((raw, i) => {
    const where = `approved[${i}]`;
    const item = typeof raw === 'string' ? { tool: raw } : raw;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      fail(file, `${where} must be a tool name or a mapping`);
    const e = item as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!ENTRY_KEYS.has(k)) {
        const near = closestMatch(k, ENTRY_KEYS);
        fail(
          file,
          `${where}: unknown key '${k}'`,
          near ? `did you mean '${near}'?` : `keys are ${[...ENTRY_KEYS].join(', ')}`,
        );
      }
    }
    if (typeof e['tool'] !== 'string' || e['tool'].length === 0) fail(file, `${where}: 'tool' is required`);
    const name = e['tool'];
    const tool = catalog.tool(name);
    if (!tool) {
      const near = closestMatch(
        name,
        catalog.tools.map((t) => t.name),
      );
      fail(
        file,
        `${where}: '${name}' is not a tool in the RMM catalog`,
        near
          ? `did you mean '${near}'?`
          : 'see the tool names in `socfeed rmm inventory` output or data/rmm/catalog.json',
      );
    }
    const entry: PolicyEntry = {
      tool: tool.id,
      groups: stringList(file, `${where}.groups`, e['groups']),
      devices: stringList(file, `${where}.devices`, e['devices']).map(wildcard),
    };
    if (typeof e['note'] === 'string') entry.note = e['note'];
    return entry;
  });
  return { file, entries };
}

/** Whether a tool on a device is approved, and by which entry. */
export function judge(policy: Policy | undefined, tool: string | undefined, device: DeviceContext): Verdict {
  if (!policy) return { status: 'raised', note: 'no policy given' };
  if (!tool) return { status: 'raised', note: 'the finding names no RMM tool' };
  for (const e of policy.entries) {
    if (e.tool !== tool) continue;
    const everywhere = e.groups.length === 0 && e.devices.length === 0;
    const inGroup =
      device.group !== undefined && e.groups.some((g) => g.toLowerCase() === device.group!.toLowerCase());
    const byName = e.devices.some((re) => re.test(device.deviceName));
    if (everywhere || inGroup || byName) {
      const scope = everywhere
        ? 'everywhere'
        : inGroup
          ? `in group ${device.group}`
          : `on ${device.deviceName}`;
      return { status: 'expected', note: `approved ${scope}${e.note ? ` (${e.note})` : ''}` };
    }
  }
  return { status: 'raised', note: 'not on the approved list for this device' };
}

/** Each device's latest group, from DeviceInfo: our own KQL, so every engine answers it alike. */
export async function deviceGroups(backend: KqlBackend): Promise<Map<string, string>> {
  const res = await backend.runKql(
    'DeviceInfo | where isnotempty(MachineGroup) | summarize arg_max(Timestamp, MachineGroup) by DeviceId | project DeviceId, MachineGroup',
    { source: 'device groups' },
  );
  return new Map(res.rows.map((r) => [String(r[0]), String(r[1])]));
}
