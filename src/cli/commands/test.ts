import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { boolOpt, stringOpt, type CommandDefinition } from '../command.js';
import { JSON_OPTION } from '../options.js';
import { listTestFiles } from '../../hunt/rule-tests/spec.js';
import { runRuleTests } from '../../hunt/rule-tests/run.js';
import { junitXml } from '../../hunt/rule-tests/junit.js';
import { UserError } from '../../util/errors.js';

export const testCommand: CommandDefinition = {
  name: 'test',
  summary: 'Test rules against fixture events (positives must be reported, negatives not); JUnit XML for CI',
  usage: 'test PATH… [--junit FILE] [--json]',
  example: 'socfeed test data/rules/rmm-pack-fixtures --junit rule-tests.xml',
  options: {
    junit: { type: 'string', value: 'FILE', description: 'also write the results as JUnit XML' },
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: Infinity },
  async run(ctx) {
    const files = listTestFiles(ctx.positionals);
    if (files.length === 0)
      throw new UserError('SF-TEST-NONE', 'no rule tests found (files named *.test.yaml)', {
        hint: 'see `socfeed test --help`',
      });
    const results = await runRuleTests(files, ctx.progress);
    ctx.progress.done();
    const junit = stringOpt(ctx.values, 'junit');
    if (junit !== undefined) {
      try {
        writeFileSync(junit, junitXml(results));
      } catch (e) {
        throw new UserError('SF-TEST-JUNIT', `cannot write ${junit}: ${(e as Error).message}`);
      }
    }
    const failed = results.filter((r) => !r.passed);
    const exitCode = failed.length > 0 ? 1 : 0;
    if (boolOpt(ctx.values, 'json')) {
      return {
        output: JSON.stringify(
          { tests: results.length, passed: results.length - failed.length, failed: failed.length, results },
          null,
          2,
        ),
        exitCode,
      };
    }
    const lines: string[] = [];
    for (const r of failed) {
      lines.push(`FAIL ${relative(process.cwd(), r.file)} (${r.name})`);
      for (const f of r.failures) lines.push(`  ${f}`);
    }
    const events = results.reduce((n, r) => n + r.positives + r.negatives, 0);
    lines.push(
      `${results.length - failed.length} of ${results.length} rule tests passed (${events} fixture events)${junit ? `; JUnit XML in ${junit}` : ''}.`,
    );
    return { output: lines.join('\n'), exitCode };
  },
};
