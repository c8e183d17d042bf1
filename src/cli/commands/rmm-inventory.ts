import { boolOpt, type CommandDefinition } from '../command.js';
import { DB_OPTION, JSON_OPTION, NOW_OPTION, parseChoice } from '../options.js';
import { runHunt } from '../../hunt/hunt.js';
import { buildInventory } from '../../hunt/inventory.js';
import { inventoryCsv, inventoryText } from '../../hunt/render.js';
import {
  LOOKBACK_OPTION,
  openHuntStore,
  POLICY_OPTION,
  RULES_OPTION,
  huntOptionsFrom,
} from '../../hunt/options.js';
import { rmmCatalog } from '../../rules/rmm-catalog.js';
import { ENGINE_OPTIONS, engineChoice, openHuntTelemetry } from '../engine-options.js';

const FORMATS = ['table', 'json', 'csv'] as const;

export const rmmInventoryCommand: CommandDefinition = {
  name: 'rmm inventory',
  summary: 'Which RMM tools run on which devices, seen by which signals, and whether they are approved',
  usage:
    'rmm inventory [--db PATH] [--rules SET|PATH…] [--now ISO] [--lookback 5d] [--policy FILE] [--format table|json|csv] [--engine duckdb|clickhouse|adx …]',
  example: 'socfeed rmm inventory --policy approved-tools.yaml --format csv > rmm.csv',
  options: {
    db: DB_OPTION,
    rules: RULES_OPTION,
    now: NOW_OPTION,
    lookback: LOOKBACK_OPTION,
    policy: POLICY_OPTION,
    format: {
      type: 'string',
      value: 'FORMAT',
      description: 'table (default), json or csv (one line per device, tool and signal)',
    },
    json: JSON_OPTION,
    ...ENGINE_OPTIONS,
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const format = boolOpt(ctx.values, 'json') ? 'json' : parseChoice(ctx.values, 'format', FORMATS, 'table');
    const opts = huntOptionsFrom(ctx.values, false);
    const engine = engineChoice(ctx.values);
    const remote = engine === 'duckdb' ? undefined : await openHuntTelemetry(ctx, engine);
    let store: Awaited<ReturnType<typeof openHuntStore>>['store'] | undefined;
    try {
      // The inventory is a fresh look, not a recorded hunt: runs and deltas belong to `socfeed hunt`.
      const opened = await openHuntStore(ctx.values, true, remote ? { create: false } : undefined);
      store = opened.store;
      const path = remote ? `${remote.backend.engine}: ${remote.backend.target}` : opened.path;
      const report = await runHunt(store, opts, ctx.progress, remote);
      ctx.progress.done();
      const entries = buildInventory(report.findings, rmmCatalog());
      if (format === 'json') {
        return {
          output: JSON.stringify(
            { db: path, now: report.now, policy: opts.policy?.file ?? null, devices: entries },
            null,
            2,
          ),
        };
      }
      if (format === 'csv') return { output: inventoryCsv(entries) };
      return { output: inventoryText(entries, opts.policy?.file) };
    } finally {
      store?.close();
      await remote?.backend.close();
    }
  },
};
