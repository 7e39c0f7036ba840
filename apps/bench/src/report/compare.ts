import type { TargetId } from '../targets/target';
import type { RunRecord, ScenarioId } from './report-types';

/** Records of one scenario grouped by row, in first-seen order, then by target. */
export function rowsOf(runs: readonly RunRecord[], scenario: ScenarioId): Map<string, Map<TargetId, RunRecord>> {
  const rows = new Map<string, Map<TargetId, RunRecord>>();
  for (const r of runs) {
    if (r.scenario !== scenario) continue;
    let row = rows.get(r.row);
    if (!row) rows.set(r.row, (row = new Map()));
    row.set(r.target, r);
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
