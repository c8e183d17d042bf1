/**
 * Shared reporting for the conformance suites: pass rates, thresholds, the one-line summary each
 * suite prints, and the full report written to artifacts/conformance/<suite>.txt (git-ignored).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'vitest';
import { REPO_ROOT } from './shared-data.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Summary lines a conformance suite publishes for the summary reporter. */
    conformanceSummary?: string[];
  }
}

export const ARTIFACT_DIR = join(REPO_ROOT, 'artifacts', 'conformance');

export interface Threshold {
  /** Percent below which the suite fails. */
  min: number;
  /** Percent we aim for (printed, not enforced). */
  target: number;
}

const THRESHOLD_FILE = join(dirname(fileURLToPath(import.meta.url)), 'thresholds.json');

export function threshold(name: string): Threshold {
  const all = JSON.parse(readFileSync(THRESHOLD_FILE, 'utf8')) as Record<string, unknown>;
  const t = all[name] as Partial<Threshold> | undefined;
  if (!t || typeof t.min !== 'number' || typeof t.target !== 'number') {
    throw new Error(`${THRESHOLD_FILE}: no {min, target} entry for '${name}'`);
  }
  return { min: t.min, target: t.target };
}

/** Percentage with one decimal; an empty denominator counts as 0 %. */
export function percent(pass: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * pass) / total) / 10;
}

/** Whether P/N reaches the minimum (exact, not the rounded percentage). An empty N passes only a 0 % minimum. */
export function meetsMinimum(pass: number, total: number, t: Threshold): boolean {
  return total === 0 ? t.min <= 0 : (100 * pass) / total >= t.min;
}

/** `label: P/N pass (X%)`, the line every suite prints, plus its target and minimum. */
export function summaryLine(label: string, pass: number, total: number, t?: Threshold): string {
  const base = `${label}: ${pass}/${total} pass (${percent(pass, total)}%)`;
  return t ? `${base}  [target ≥ ${t.target}%, min ${t.min}%]` : base;
}

/** Writes the full report and returns its path. */
export function writeReport(suite: string, lines: readonly string[]): string {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  const path = join(ARTIFACT_DIR, `${suite}.txt`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Prints the summary lines and hands them to the summary reporter (`npm run conformance`). */
export function publishSummary(ctx: TestContext, lines: string[]): void {
  for (const l of lines) console.log(l);
  ctx.task.meta.conformanceSummary = [...(ctx.task.meta.conformanceSummary ?? []), ...lines];
}

/** One line, for reports: newlines and tabs shown, long text cut. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\r?\n/g, '⏎').replace(/\t/g, '→');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
