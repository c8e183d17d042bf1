import { boolOpt, type CommandDefinition } from '../command.js';
import { NOW_OPTION, parseChoice, parseNow } from '../options.js';
import { checkRulePath, listRuleFiles, loadRules } from '../../rules/load.js';
import {
  renderValidationText,
  summaryLine,
  validateLoads,
  type ValidationReport,
} from '../../rules/validate.js';
import { toSarif } from '../../rules/publish/sarif.js';
import { defenderSchema, type SchemaCatalog } from '../../schema/index.js';

/** Table schemas a rule can be validated against (one today; Sentinel's tables would be the next). */
const SCHEMAS: Record<'defender', () => SchemaCatalog> = { defender: defenderSchema };

export const rulesValidateCommand: CommandDefinition = {
  name: 'rules validate',
  summary: 'check rule files for CI: YAML, KQL syntax, tables, columns and types, with file:line:col',
  usage: 'rules validate PATH... [--format text|json|sarif] [--schema defender] [--quiet]',
  example: 'socfeed rules validate rules/ --format sarif > socfeed.sarif',
  options: {
    format: {
      type: 'string',
      value: 'FORMAT',
      description: 'text (default), json or sarif (SARIF 2.1.0 for code scanning)',
    },
    schema: {
      type: 'string',
      value: 'NAME',
      description: 'table schemas to bind against: defender (default)',
    },
    quiet: { type: 'boolean', description: 'report errors only (warnings are still counted)' },
    now: NOW_OPTION,
  },
  positionals: { min: 1, max: Infinity },
  async run(ctx) {
    const format = parseChoice(ctx.values, 'format', ['text', 'json', 'sarif'] as const, 'text');
    const schemaName = parseChoice(ctx.values, 'schema', ['defender'] as const, 'defender');
    const now = parseNow(ctx.values);
    for (const p of ctx.positionals) checkRulePath(p);
    ctx.progress.phase(
      'validating rules',
      ctx.positionals.reduce((n, p) => n + listRuleFiles(p).length, 0),
    );
    const loads = ctx.positionals.map((p) =>
      loadRules(p, { onFile: () => ctx.progress.tick(), ...(now ? { now } : {}) }),
    );
    let report = validateLoads(loads, { schema: SCHEMAS[schemaName](), ...(now ? { now } : {}) });
    ctx.progress.done();
    if (boolOpt(ctx.values, 'quiet')) report = onlyErrors(report);
    // Errors fail the build; warnings never do.
    const exitCode = report.errors > 0 ? 1 : 0;
    if (format === 'sarif') {
      ctx.note(summaryLine(report));
      return { output: JSON.stringify(toSarif(report), null, 2), exitCode };
    }
    if (format === 'json') return { output: JSON.stringify(report, null, 2), exitCode };
    return { output: renderValidationText(report), exitCode };
  },
};

function onlyErrors(r: ValidationReport): ValidationReport {
  return { ...r, findings: r.findings.filter((f) => f.severity === 'error') };
}
