import type { TargetId } from '../targets/target';
import type { RunRecord, ScenarioId } from './report-types';

/**
 * What makes one pass of a row better than another: answered requests/s or delivered pushes/s, and
 * for the open loop (every pass offered the same rate) the lower p99. Interference from the machine
 * only ever worsens them, so the best pass is the closest to what the target can do; a failed pass
 * never replaces one that ran.
 */
function passScore(r: RunRecord): number {
  const x = r.result;
  if (!x || r.error) return Number.NEGATIVE_INFINITY;
  if (x.kind === 'echo-open') return x.latency.count > 0 ? -x.latency.p99 : Number.NEGATIVE_INFINITY;
  if (x.kind === 'echo-closed') return x.throughput;
  if (x.kind === 'broadcast') return x.deliveredPerSec;
  return 0;
}

/** How many passes each (row, target) of `runs` had: several only for the judged rows of a full run. */
export function passesOf(runs: readonly RunRecord[], scenario: ScenarioId, row: string, target: TargetId): number {
  return runs.filter((r) => r.scenario === scenario && r.row === row && r.target === target).length;
}

/**
 * Records of one scenario grouped by row, in first-seen order, then by target. A row run in several
 * passes (`repeat`) keeps the target's best pass by {@link passScore}, its latency and CPU with it.
 */
export function rowsOf(runs: readonly RunRecord[], scenario: ScenarioId): Map<string, Map<TargetId, RunRecord>> {
  const rows = new Map<string, Map<TargetId, RunRecord>>();
  for (const r of runs) {
    if (r.scenario !== scenario) continue;
    let row = rows.get(r.row);
    if (!row) rows.set(r.row, (row = new Map()));
    const kept = row.get(r.target);
    if (!kept || passScore(r) > passScore(kept)) row.set(r.target, r);
  }
  return rows;
}

/** `a / b`, undefined when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** `0.85×`, or `–`. */
export function fmtRatio(r: number | undefined): string {
  return r === undefined ? '–' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** Thousands with a thin separator: `41 230`. */
export function fmtInt(v: number | undefined): string {
  return v === undefined ? '–' : Math.round(v).toLocaleString('en-US');
}

/** Microseconds as milliseconds with 2 decimals (3 under 1 ms). */
export function fmtMs(micros: number | undefined): string {
  if (micros === undefined) return '–';
  const ms = micros / 1000;
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

/** `x (0.85× bare, 2.10× pinus)` for a target that is neither baseline. */
export function withRatios(text: string, value: number | undefined, bare: number | undefined, pinus: number | undefined, target: TargetId): string {
  if (value === undefined) return text;
  const parts: string[] = [];
  if (target !== 'bare') parts.push(`${fmtRatio(ratio(value, bare))} bare`);
  if (target !== 'pinus' && target !== 'bare') parts.push(`${fmtRatio(ratio(value, pinus))} pinus`);
  return parts.length > 0 ? `${text} (${parts.join(', ')})` : text;
}

/** A Markdown table: a header line, the separator, a line per row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
