import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadRules } from '../../rules/load.js';
import type { Rule } from '../../rules/model.js';
import { UserError } from '../../util/errors.js';

/**
 * A rule test (detection-as-code): a YAML file `NAME.test.yaml`
 *
 *   rule: ../../rmm-pack/servereye/createproc.yaml   # the rule file, relative to this file
 *   now: 2026-06-01T12:00:00Z                        # optional: pins now() (default: this moment)
 *   table: DeviceProcessEvents                       # table of events that do not say ($table)
 *   positive:                                        # events the rule must report
 *     - { FileName: ServerEye.Service.exe }
 *   negative: cases.negative.jsonl                   # events it must not report: a list, or a JSONL file
 *
 * An event is an object of column values; `$table` picks another table. Missing columns take the
 * table's defaults, except: Timestamp (now - 1 h), DeviceId and DeviceName (one per event, so each
 * event can be told apart in the rule's result), ReportId (a counter).
 */
export interface FixtureEvent {
  table: string;
  values: Record<string, unknown>;
  /** Where the event was written, for messages: `file:line` or `file#positive[2]`. */
  origin: string;
}

export interface RuleTest {
  file: string;
  name: string;
  rule: Rule;
  now?: Date;
  positive: FixtureEvent[];
  negative: FixtureEvent[];
}

/** A test that could not be read: reported as a failing test case, not as a crash. */
export interface BrokenTest {
  file: string;
  message: string;
}

const KEYS = new Set(['rule', 'now', 'table', 'positive', 'negative', 'name']);

/** `*.test.yaml` files under the paths (a file is taken as given), sorted. */
export function listTestFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else if (/\.test\.ya?ml$/i.test(p)) out.push(p);
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new UserError('SF-TEST-MISSING', `no such file or folder: ${p}`);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

function events(file: string, which: string, v: unknown, table: string | undefined): FixtureEvent[] {
  if (v === undefined || v === null) return [];
  let items: { value: unknown; origin: string }[];
  if (typeof v === 'string') {
    const path = resolve(dirname(file), v);
    if (!existsSync(path)) throw new Error(`${which}: no such file ${v}`);
    items = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, i }) => {
        try {
          return { value: JSON.parse(line) as unknown, origin: `${path}:${i + 1}` };
        } catch {
          throw new Error(`${path}:${i + 1}: not a JSON object`);
        }
      });
  } else if (Array.isArray(v)) {
    items = v.map((value, i) => ({ value, origin: `${file}#${which}[${i}]` }));
  } else {
    throw new Error(`${which} must be a list of events or a JSONL file name`);
  }
  return items.map(({ value, origin }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error(`${origin}: an event must be an object`);
    const { $table, ...values } = value as Record<string, unknown>;
    const t = typeof $table === 'string' ? $table : table;
    if (!t) throw new Error(`${origin}: no table (give 'table:' in the test or "$table" in the event)`);
    return { table: t, values, origin };
  });
}

export function readTest(file: string): RuleTest | BrokenTest {
  try {
    const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('expected a mapping');
    const d = doc as Record<string, unknown>;
    for (const k of Object.keys(d))
      if (!KEYS.has(k)) throw new Error(`unknown key '${k}' (keys: ${[...KEYS].join(', ')})`);
    if (typeof d['rule'] !== 'string') throw new Error("'rule' (the rule file) is required");
    const rulePath = resolve(dirname(file), d['rule']);
    if (!existsSync(rulePath)) throw new Error(`rule file ${d['rule']} does not exist`);
    const load = loadRules(rulePath);
    const rule = load.rules[0];
    if (!rule)
      throw new Error(`no rule in ${d['rule']}: ${load.diagnostics.map((x) => x.message).join('; ')}`);
    const table = typeof d['table'] === 'string' ? d['table'] : undefined;
    const test: RuleTest = {
      file,
      name: typeof d['name'] === 'string' ? d['name'] : rule.name,
      rule,
      positive: events(file, 'positive', d['positive'], table),
      negative: events(file, 'negative', d['negative'], table),
    };
    if (d['now'] !== undefined) {
      const now = new Date(String(d['now'] instanceof Date ? (d['now'] as Date).toISOString() : d['now']));
      if (Number.isNaN(now.getTime())) throw new Error(`'now' is not an ISO time: ${String(d['now'])}`);
      test.now = now;
    }
    if (test.positive.length + test.negative.length === 0)
      throw new Error('no events: give positive and/or negative events');
    return test;
  } catch (e) {
    return { file, message: (e as Error).message };
  }
}
