import { createHash } from 'node:crypto';
import { LineCounter, isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import { attackCatalog } from './attack.js';
import type {
  EntityMapping,
  QueryLocation,
  RequiredDataConnector,
  Rule,
  RuleDiagnostic,
  RuleDiagnosticCode,
  RuleDiagnosticSeverity,
  RuleProvenance,
} from './model.js';
import { repairDashAlignedKeys } from './yaml-indent-repair.js';

/** Fields the model reads; every other top-level key is kept in `extra`. */
const KNOWN_FIELDS = new Set([
  'id',
  'name',
  'description',
  'severity',
  'kind',
  'requiredDataConnectors',
  'tactics',
  'relevantTechniques',
  'query',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'entityMappings',
  'tags',
  'version',
]);

export interface ParsedRuleFile {
  rule?: Rule;
  diagnostics: RuleDiagnostic[];
}

/** SHA-256 of the text with CRLF folded to LF, so a line-ending change is not a new version. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/**
 * Reads one Sentinel/Defender rule file. Never throws: a file that cannot be used comes back
 * with an error diagnostic and no rule; problems that do not prevent using it are warnings.
 * `displayPath` is how diagnostics name the file.
 */
export function parseRuleFile(text: string, displayPath: string, provenance: RuleProvenance): ParsedRuleFile {
  const diagnostics: RuleDiagnostic[] = [];
  const report = (
    severity: RuleDiagnosticSeverity,
    code: RuleDiagnosticCode,
    message: string,
    pos: { line: number; col: number } = { line: 1, col: 1 },
  ) => diagnostics.push({ code, severity, message, file: displayPath, line: pos.line, column: pos.col });

  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM is not content
  let lineCounter = new LineCounter();
  let doc = parseDocument(body, { lineCounter });
  if (doc.errors.length > 0) {
    const repair = repairDashAlignedKeys(body);
    const repairedCounter = new LineCounter();
    const repaired = repair ? parseDocument(repair.text, { lineCounter: repairedCounter }) : undefined;
    if (repair && repaired && repaired.errors.length === 0) {
      // Line numbers are unchanged by the repair, so positions below still point into the file.
      report(
        'warning',
        'SF-RULE-YAML-INDENT',
        `list item keys written at the dash's column (line${repair.lines.length > 1 ? 's' : ''} ${summarizeLines(repair.lines)}); read as part of the item`,
        { line: repair.lines[0]!, col: 1 },
      );
      doc = repaired;
      lineCounter = repairedCounter;
    } else {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        report(
          'error',
          'SF-RULE-YAML',
          e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
          pos,
        );
      }
      return { diagnostics };
    }
  }
  const posOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };

  if (!isMap(doc.contents)) {
    report(
      'error',
      'SF-RULE-NOT-MAPPING',
      'expected a mapping of rule fields at the top level',
      posOf(doc.contents),
    );
    return { diagnostics };
  }
  const pairs = new Map<string, Pair>();
  for (const p of doc.contents.items) if (isScalar(p.key)) pairs.set(String(p.key.value), p);
  const valueNode = (k: string) => pairs.get(k)?.value as Node | null | undefined;
  const js = doc.toJS() as Record<string, unknown>;

  if (!pairs.has('query') && !pairs.has('id') && !pairs.has('name')) {
    report('info', 'SF-RULE-NOT-RULE', 'no query, id or name: not a rule file');
    return { diagnostics };
  }
  const query = js['query'];
  if (typeof query !== 'string' || query.trim() === '') {
    const where = pairs.has('query')
      ? posOf(valueNode('query') ?? (pairs.get('query')!.key as Node))
      : undefined;
    report(
      'error',
      'SF-RULE-NO-QUERY',
      pairs.has('query') ? 'the query is empty or not text' : 'the rule has no query',
      where,
    );
    return { diagnostics };
  }
  const id = scalarText(js['id']);
  if (!id) {
    report(
      'error',
      'SF-RULE-NO-ID',
      'the rule has no id',
      pairs.has('id') ? posOf(valueNode('id')) : undefined,
    );
    return { diagnostics };
  }

  const warnField = (k: string, message: string) =>
    report('warning', 'SF-RULE-FIELD', message, posOf(valueNode(k)));
  let name = scalarText(js['name']);
  if (!name) {
    name = displayPath
      .split('/')
      .pop()!
      .replace(/\.ya?ml$/i, '');
    warnField('name', `the rule has no name; using '${name}'`);
  }

  const tactics = textList(js['tactics'], () =>
    warnField('tactics', 'tactics should be text or a list of text'),
  );
  const attack = attackCatalog();
  for (const t of tactics) {
    if (!attack.tactic(t))
      report('warning', 'SF-RULE-TACTIC', `unknown ATT&CK tactic '${t}'`, posOf(valueNode('tactics')));
  }
  const techniques = textList(js['relevantTechniques'], () =>
    warnField('relevantTechniques', 'relevantTechniques should be text or a list of text'),
  );
  for (const t of techniques) {
    if (attack.technique(t)) continue;
    const retired = attack.retired(t);
    const message = retired
      ? `ATT&CK technique ${t} is ${retired.status}${retired.revokedBy ? `; use ${retired.revokedBy}` : ''}`
      : `unknown ATT&CK technique '${t}'`;
    report('warning', 'SF-RULE-TECHNIQUE', message, posOf(valueNode('relevantTechniques')));
  }

  const rule: Rule = {
    id,
    name,
    description: typeof js['description'] === 'string' ? js['description'].trim() : '',
    type:
      pairs.has('queryFrequency') || pairs.has('kind') || pairs.has('triggerOperator')
        ? 'analytic'
        : 'hunting',
    requiredDataConnectors: connectors(js['requiredDataConnectors'], () =>
      warnField(
        'requiredDataConnectors',
        'requiredDataConnectors should be a list of {connectorId, dataTypes}',
      ),
    ),
    tactics,
    relevantTechniques: techniques,
    query,
    queryLocation: queryLocation(valueNode('query'), lineCounter, body),
    entityMappings: entityMappings(js['entityMappings'], () =>
      warnField('entityMappings', 'entityMappings should be a list of {entityType, fieldMappings}'),
    ),
    tags: tagList(js['tags']),
    extra: {},
    provenance,
    contentHash: contentHash(body),
  };
  const severity = scalarText(js['severity']);
  if (severity) rule.severity = severity;
  const kind = scalarText(js['kind']);
  if (kind) rule.kind = kind;
  for (const k of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'version'] as const) {
    const v = scalarText(js[k]);
    if (v) rule[k] = v;
  }
  if (typeof js['triggerThreshold'] === 'number') rule.triggerThreshold = js['triggerThreshold'];
  for (const [k, v] of Object.entries(js)) if (!KNOWN_FIELDS.has(k)) rule.extra[k] = v;
  return { rule, diagnostics };
}

function summarizeLines(lines: number[]): string {
  return lines.length <= 3 ? lines.join(', ') : `${lines.slice(0, 3).join(', ')}, …`;
}

/** Text of a scalar (numbers such as `version: 1.0` become text); undefined for anything else. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** One string, a comma-separated string, or a list of strings → list. */
function textList(v: unknown, onBad: () => void): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v)) {
    const out = v.map(scalarText).filter((s): s is string => s !== undefined);
    if (out.length !== v.length) onBad();
    return out;
  }
  onBad();
  return [];
}

function connectors(v: unknown, onBad: () => void): RequiredDataConnector[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    onBad();
    return [];
  }
  const out: RequiredDataConnector[] = [];
  for (const item of v) {
    const o = item as Record<string, unknown> | null;
    const connectorId = scalarText(o?.['connectorId']);
    if (!o || typeof o !== 'object' || !connectorId) {
      onBad();
      continue;
    }
    out.push({ connectorId, dataTypes: textList(o['dataTypes'], onBad) });
  }
  return out;
}

function entityMappings(v: unknown, onBad: () => void): EntityMapping[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    onBad();
    return [];
  }
  const out: EntityMapping[] = [];
  for (const item of v) {
    const o = item as Record<string, unknown> | null;
    const entityType = scalarText(o?.['entityType']);
    if (!o || !entityType || !Array.isArray(o['fieldMappings'])) {
      onBad();
      continue;
    }
    const fieldMappings = (o['fieldMappings'] as unknown[]).flatMap((f) => {
      const identifier = scalarText((f as Record<string, unknown> | null)?.['identifier']);
      const columnName = scalarText((f as Record<string, unknown> | null)?.['columnName']);
      return identifier && columnName ? [{ identifier, columnName }] : [];
    });
    out.push({ entityType, fieldMappings });
  }
  return out;
}

/** Tags are strings or small mappings (`- Schema: ASimDns`); mappings become `key: value` text. */
function tagList(v: unknown): string[] {
  if (!Array.isArray(v)) return typeof v === 'string' ? [v] : [];
  return v.flatMap((t) => {
    if (typeof t === 'string') return [t];
    if (t && typeof t === 'object') {
      return [
        Object.entries(t as Record<string, unknown>)
          .map(([k, x]) => `${k}: ${String(x)}`)
          .join(', '),
      ];
    }
    return t === null || t === undefined ? [] : [String(t)];
  });
}

const STYLES: Record<string, QueryLocation['style']> = {
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single-quoted',
  QUOTE_DOUBLE: 'double-quoted',
};

/**
 * Where the query's text begins. For a block scalar the node starts at the `|`/`>` header; the
 * text starts on the next line at the block's indentation (that of its first non-empty line, or
 * the explicit indentation indicator).
 */
function queryLocation(node: Node | null | undefined, lc: LineCounter, text: string): QueryLocation {
  const start = node?.range?.[0] ?? 0;
  const pos = lc.linePos(start);
  const type = isScalar(node) ? String(node.type) : 'PLAIN';
  const style = STYLES[type] ?? 'plain';
  if (style === 'literal' || style === 'folded') {
    const lines = text.split('\n');
    const header = lines[pos.line - 1] ?? '';
    const explicit = /^[|>][+-]?(\d)/.exec(header.slice(pos.col - 1));
    let indent = 0;
    if (explicit) {
      indent = header.length - header.trimStart().length + Number(explicit[1]);
    } else {
      for (let i = pos.line; i < lines.length; i++) {
        const l = lines[i]!.replace(/\r$/, '');
        if (l.trim() !== '') {
          indent = l.length - l.trimStart().length;
          break;
        }
      }
    }
    return { line: pos.line + 1, column: indent + 1, style, exact: style === 'literal' };
  }
  const quoted = style === 'single-quoted' || style === 'double-quoted';
  const end = node?.range?.[1] ?? start;
  const multiLine = lc.linePos(end).line !== pos.line;
  return { line: pos.line, column: pos.col + (quoted ? 1 : 0), style, exact: !multiLine };
}
