import type { Device } from './estate.js';
import type { PlantedTool } from './rmm.js';

/** The group Defender reports for a device (DeviceInfo.MachineGroup), which policies match on. */
export type MachineGroup = 'Servers' | 'Workstations';

export function machineGroupOf(d: Pick<Device, 'role'>): MachineGroup {
  return d.role === 'server' ? 'Servers' : 'Workstations';
}

export interface DemoApproval {
  tool: PlantedTool;
  /** Approved only in these groups; everywhere when absent. */
  groups?: readonly MachineGroup[];
  note: string;
}

/** Where the example policy lives, relative to the project root. */
export const DEMO_POLICY_FILE = 'examples/approved-tools.yaml';

/**
 * The example approved-tools policy (examples/approved-tools.yaml), in the demo's own terms so
 * the truth can say which planted activity it approves without the generator depending on the
 * hunt code. test/hunt/truth.test.ts runs the hunt with the YAML file and checks both agree.
 * Contoso's MSP runs Atera and patches with Action1; the helpdesk uses TeamViewer on
 * workstations; Server-Eye monitors the servers. Everything else planted is unapproved.
 */
export const DEMO_APPROVED: readonly DemoApproval[] = [
  { tool: 'Atera', note: "the MSP's RMM agent" },
  { tool: 'Action1', note: 'patch management' },
  { tool: 'TeamViewer', groups: ['Workstations'], note: 'helpdesk remote support' },
  { tool: 'ServerEye', groups: ['Servers'], note: 'server monitoring by IT' },
];

/** Whether the example policy approves `tool` on device `d`. */
export function approvedOn(tool: PlantedTool, d: Pick<Device, 'role'>): boolean {
  const group = machineGroupOf(d);
  return DEMO_APPROVED.some((a) => a.tool === tool && (!a.groups || a.groups.includes(group)));
}
