/**
 * Vitest reporter for `npm run conformance`: after the run, prints every summary line the
 * conformance suites published (task meta `conformanceSummary`), in file order, as one block.
 */
import type { Reporter, TestModule } from 'vitest/node';
import './report.js';

export default class ConformanceSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    const sorted = [...testModules].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    for (const m of sorted) {
      for (const t of m.children.allTests()) {
        lines.push(...(t.meta().conformanceSummary ?? []));
        if (t.result().state === 'skipped') lines.push(`${t.fullName}: skipped`);
      }
    }
    if (lines.length === 0) return;
    process.stdout.write(
      [
        '',
        'conformance summary',
        ...lines.map((l) => `  ${l}`),
        'full reports: artifacts/conformance/',
        '',
      ].join('\n'),
    );
  }
}
