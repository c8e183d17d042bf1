import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VALIDATION_CODES, type ValidationFinding, type ValidationReport } from '../validate.js';
import { SOCFEED_HOME, socfeedVersion } from './package-info.js';

/**
 * A validation report as SARIF 2.1.0 (OASIS), the format code-scanning UIs (GitHub, Azure DevOps,
 * VS Code's SARIF viewer) read. Only the parts those UIs use are written: the tool with its rules
 * (our diagnostic codes), and one result per finding with a file region. Columns are UTF-16 code
 * units, as the KQL front end counts them (SARIF's default `columnKind`).
 */

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion: string;
      informationUri: string;
      rules: SarifRule[];
    };
  };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning';
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }[];
  properties?: { ruleId?: string; ruleName?: string };
}

/** Codes whose findings are warnings (the rest are errors). */
const WARNING_CODES = new Set([
  'SF-RULE-YAML-INDENT',
  'SF-RULE-FIELD',
  'SF-RULE-TACTIC',
  'SF-RULE-TECHNIQUE',
]);

const SRCROOT = '%SRCROOT%';

export function toSarif(report: ValidationReport, cwd: string = process.cwd()): SarifLog {
  const codes = Object.keys(VALIDATION_CODES).sort();
  const rules: SarifRule[] = codes.map((id) => ({
    id,
    shortDescription: { text: VALIDATION_CODES[id]! },
    defaultConfiguration: { level: WARNING_CODES.has(id) ? 'warning' : 'error' },
  }));
  const version = socfeedVersion();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'socfeed', version, semanticVersion: version, informationUri: SOCFEED_HOME, rules },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => result(f, codes)),
      },
    ],
  };
}

function result(f: ValidationFinding, codes: string[]): SarifResult {
  const r: SarifResult = {
    ruleId: f.code,
    ruleIndex: codes.indexOf(f.code),
    level: f.severity,
    message: { text: f.hint ? `${f.message} (hint: ${f.hint})` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file),
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
  };
  if (f.ruleId) r.properties = { ruleId: f.ruleId, ...(f.ruleName ? { ruleName: f.ruleName } : {}) };
  return r;
}

/** A path relative to the working directory stays relative (to %SRCROOT%), each segment URI-encoded. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}
