import { existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { boolOpt, stringOpt, type CommandContext, type CommandDefinition } from '../command.js';
import { DB_OPTION, JSON_OPTION } from '../options.js';
import { DEFAULT_DB_PATH, Store } from '../../store/store.js';
import { DEMO_LIMITS, generateDemo, type DemoSummary } from '../../store/demo/generate.js';
import { currentTicks, parseIsoTicks } from '../../store/demo/ticks.js';
import { UserError } from '../../util/errors.js';

const DEFAULTS = { devices: 25, days: 7, seed: 1 } as const;

function wholeNumber(ctx: CommandContext, name: string, fallback: number, min: number, max: number): number {
  const text = stringOpt(ctx.values, name);
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(
      'SF-CLI-NUMBER',
      `--${name} must be a whole number from ${min} to ${max} (got '${text}')`,
    );
  }
  return n;
}

function nowTicks(ctx: CommandContext): bigint {
  const text = stringOpt(ctx.values, 'now');
  if (text === undefined) return currentTicks();
  const ticks = parseIsoTicks(text);
  if (ticks === undefined) {
    throw new UserError('SF-CLI-NOW', `--now '${text}' is not an ISO 8601 time`, {
      hint: 'e.g. --now 2026-06-01T12:00:00Z (up to 7 fractional digits)',
    });
  }
  return ticks;
}

const TOOL_SIGNAL_LABEL = {
  process: 'process starts',
  signature: 'file signatures',
  network: 'connections',
} as const;

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function humanSummary(s: DemoSummary, truthPath: string | undefined, pinned: boolean): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Generated a demo estate in ${s.db}: ${s.devices} devices, ${s.days} days up to ${s.now} (seed ${s.seed}).`,
  ];
  for (const [table, rows] of Object.entries(s.rows))
    lines.push(`  ${table.padEnd(27)} ${n(rows).padStart(9)} rows`);
  lines.push('', 'Planted RMM activity, as the seed rules see it (last 5 days in brackets):');
  for (const [tool, p] of Object.entries(s.planted)) {
    lines.push(
      `  ${tool.padEnd(10)} ${TOOL_SIGNAL_LABEL[p.signal].padEnd(16)} ${count(p.devices, 'device')}, ${count(p.rows, 'row')}  (${count(p.devicesInWindow, 'device')}, ${count(p.rowsInWindow, 'row')})`,
    );
  }
  const others = s.tools.filter((t) => !(t.tool in s.planted));
  if (others.length > 0) {
    lines.push(
      '',
      'Other RMM tools planted (process, signature and network signals; approved per examples/approved-tools.yaml):',
    );
    for (const t of others) {
      const approved = t.approvedDevices > 0 ? `, approved on ${count(t.approvedDevices, 'device')}` : '';
      lines.push(`  ${t.tool.padEnd(20)} ${count(t.devices, 'device')}${approved}`);
    }
  }
  lines.push(`  plus ${s.nearMisses} near misses that a whole-term \`has\` must not match.`);
  lines.push(
    truthPath
      ? `Truth written to ${truthPath}.`
      : 'Pass --truth FILE to write the planted rows and near misses as JSON.',
  );
  if (!pinned)
    lines.push(
      `To reproduce exactly: socfeed demo --now ${s.now} --seed ${s.seed} --devices ${s.devices} --days ${s.days}`,
    );
  const db = s.db === DEFAULT_DB_PATH ? '' : ` --db ${s.db}`;
  const pin = pinned ? ` --now ${s.now}` : '';
  lines.push(
    '',
    'Next, hunt with the whole RMM pack (and mark the approved tools as expected):',
    `  socfeed hunt${db}${pin} --policy examples/approved-tools.yaml`,
    '',
    "Or run one seed rule, e.g. ServerEye (or save a rule's KQL in a file and pass -f FILE):",
    `  socfeed query${db}${pin} "DeviceProcessEvents | where Timestamp between (now(-5d) .. now()) | where ProcessVersionInfoCompanyName has 'Krämer IT Solutions GmbH' and ProcessVersionInfoProductName has_any ('ServerEye', 'Server-Eye') | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Count=count() by DeviceId, DeviceName"`,
  );
  return lines.join('\n');
}

export const demoCommand: CommandDefinition = {
  name: 'demo',
  summary: 'Generate a demo Windows estate with planted RMM activity into a store',
  usage:
    'demo [--db PATH] [--devices N] [--days D] [--seed S] [--now ISO] [--truth FILE] [--replace] [--json]',
  example: 'socfeed demo --devices 25 --days 7 --now 2026-06-01T12:00:00Z --truth truth.json',
  options: {
    db: DB_OPTION,
    devices: { type: 'string', value: 'N', description: `number of devices (default ${DEFAULTS.devices})` },
    days: {
      type: 'string',
      value: 'D',
      description: `days of activity, ending at --now (default ${DEFAULTS.days})`,
    },
    seed: { type: 'string', value: 'S', description: `random seed (default ${DEFAULTS.seed})` },
    now: {
      type: 'string',
      value: 'ISO',
      description: 'end of the period (default: the current time); with it the output is reproducible',
    },
    truth: { type: 'string', value: 'FILE', description: 'write the planted rows and near misses as JSON' },
    replace: { type: 'boolean', description: 'delete the rows already in the demo tables first' },
    json: JSON_OPTION,
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const devices = wholeNumber(
      ctx,
      'devices',
      DEFAULTS.devices,
      DEMO_LIMITS.devices.min,
      DEMO_LIMITS.devices.max,
    );
    const days = wholeNumber(ctx, 'days', DEFAULTS.days, DEMO_LIMITS.days.min, DEMO_LIMITS.days.max);
    const seed = wholeNumber(ctx, 'seed', DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER);
    const now = nowTicks(ctx);
    const truthPath = stringOpt(ctx.values, 'truth');
    const db = stringOpt(ctx.values, 'db') ?? DEFAULT_DB_PATH;
    // Fail before generating, not after, when the truth file cannot be written.
    if (truthPath !== undefined && !existsSync(dirname(truthPath))) {
      throw new UserError(
        'SF-DEMO-TRUTH',
        `cannot write the truth file ${truthPath}: its folder does not exist`,
      );
    }

    const store = await Store.open(db);
    let result;
    try {
      result = await generateDemo(
        store,
        { devices, days, seed, now, replace: boolOpt(ctx.values, 'replace') },
        ctx.progress,
      );
    } finally {
      store.close();
    }
    ctx.progress.done();
    if (truthPath !== undefined) {
      try {
        writeFileSync(truthPath, JSON.stringify(result.truth, null, 2) + '\n');
      } catch (e) {
        throw new UserError(
          'SF-DEMO-TRUTH',
          `cannot write the truth file ${truthPath}: ${(e as Error).message}`,
        );
      }
    }
    if (boolOpt(ctx.values, 'json')) {
      return { output: JSON.stringify({ ...result.summary, truth: truthPath ?? null }, null, 2) };
    }
    return { output: humanSummary(result.summary, truthPath, stringOpt(ctx.values, 'now') !== undefined) };
  },
};
