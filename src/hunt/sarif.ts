import { SOCFEED_HOME, socfeedVersion } from '../rules/publish/package-info.js';
import type { RmmCatalog } from '../rules/rmm-catalog.js';
import type { JudgedFinding } from './persist.js';

/**
 * Findings as SARIF 2.1.0, for tools that collect results from CI jobs. A finding has no file to
 * point at: its location is logical (the device), and `partialFingerprints` carries the finding's
 * stable key so a viewer can track it across runs as our own delta does. Raised findings are
 * warnings, expected ones (approved by the policy) notes. Gone findings are left out.
 */
export function findingsSarif(findings: JudgedFinding[], catalog: RmmCatalog): object {
  const current = findings.filter((f) => f.delta !== 'gone');
  const ruleIds = [...new Set(current.map((f) => f.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const names = new Map(current.map((f) => [f.ruleId, f.ruleName]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'socfeed',
            version: socfeedVersion(),
            semanticVersion: socfeedVersion(),
            informationUri: SOCFEED_HOME,
            rules: ruleIds.map((id) => ({
              id,
              name: names.get(id),
              shortDescription: { text: names.get(id) },
            })),
          },
        },
        results: current.map((f) => {
          const tool = f.tool ? (catalog.tool(f.tool)?.name ?? f.tool) : undefined;
          const seen = f.firstSeen ? ` from ${f.firstSeen} to ${f.lastSeen ?? f.firstSeen}` : '';
          return {
            ruleId: f.ruleId,
            ruleIndex: ruleIndex.get(f.ruleId),
            level: f.status === 'raised' ? 'warning' : 'note',
            message: {
              text: `${tool ?? f.ruleName} on ${f.deviceName || f.deviceId || 'a device'}${seen}${f.count !== undefined ? ` (${f.count} events)` : ''}: ${f.statusNote}`,
            },
            locations: [
              { logicalLocations: [{ name: f.deviceName, fullyQualifiedName: f.deviceId, kind: 'device' }] },
            ],
            partialFingerprints: { socfeedFinding: f.key },
            properties: {
              delta: f.delta,
              status: f.status,
              tool: f.tool,
              signal: f.signal,
              reportIds: f.reportIds,
            },
          };
        }),
      },
    ],
  };
}
