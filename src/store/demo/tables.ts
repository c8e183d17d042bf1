import type { NearMissDef, PlantedSignal, PlantedTool } from './rmm.js';

/** The telemetry tables the demo fills, in the order they are written. */
export const DEMO_TABLES = [
  'DeviceInfo',
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceFileCertificateInfo',
  'DeviceFileEvents',
  'DeviceLogonEvents',
] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

/**
 * A cell as the generator produces it. Which DuckDB type it becomes is decided by the column's
 * schema type (row-writer.ts): datetime columns take absolute ticks (bigint), long/int columns
 * numbers or bigints, dynamic columns JSON text.
 */
export type Cell = string | number | bigint | boolean | null;
export type Row = Record<string, Cell>;

/** Why a generated row is in the truth file. */
export type EventMark =
  { kind: 'planted'; tool: PlantedTool; signal: PlantedSignal } | { kind: 'nearMiss'; def: NearMissDef };

/**
 * One generated row before it gets its identity: `t` is the tick offset in the period (the
 * Timestamp), and DeviceId, DeviceName and ReportId are added when the device's rows are
 * numbered in time order.
 */
export interface DemoEvent {
  table: DemoTable;
  t: number;
  row: Row;
  /** Columns shared with other rows (the initiating process's), read where `row` has no value. */
  shared?: Row;
  mark?: EventMark;
}
