import { relative } from 'node:path';
import type { TestResult } from './run.js';

const esc = (s: string) =>
  s
    // XML 1.0 cannot carry these control characters at all, not even escaped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** JUnit XML as CI systems read it: one suite, one test case per rule test, failures with reasons. */
export function junitXml(results: TestResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((n, r) => n + r.ms, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="socfeed rule tests" tests="${results.length}" failures="${failed}" time="${secs(total)}">`,
    `  <testsuite name="socfeed rule tests" tests="${results.length}" failures="${failed}" errors="0" skipped="0" time="${secs(total)}">`,
  ];
  for (const r of results) {
    const attrs = `name="${esc(r.name)}" classname="${esc(relative(process.cwd(), r.file))}" time="${secs(r.ms)}"`;
    if (r.passed) {
      lines.push(`    <testcase ${attrs}/>`);
    } else {
      lines.push(
        `    <testcase ${attrs}>`,
        `      <failure message="${esc(r.failures[0] ?? 'failed')}">${esc(r.failures.join('\n'))}</failure>`,
        '    </testcase>',
      );
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
