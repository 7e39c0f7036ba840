import type { TargetId } from '../targets/target';
import { fmtRatio } from './compare';
import type { RunRecord, ScenarioId } from './report-types';

/**
 * Every pass of one (scenario, row, target), failed ones included, main pass first, then the extra
 * passes in the order they ran (`repeat`).
 */
export function passesFor(runs: readonly RunRecord[], scenario: ScenarioId, row: string, target: TargetId): RunRecord[] {
  return runs
    .filter((r) => r.scenario === scenario && r.row === row && r.target === target)
    .sort((a, b) => (a.repeat ?? 0) - (b.repeat ?? 0));
}

/**
 * The judged ratio of each pass: pitaya-ts's pass k against the baseline's pass k, for every k in
 * which both produced the metric. The extra passes restart the two targets back to back, so pass k of
 * both saw nearly the same machine; the main passes of the two ran minutes apart.
 */
export function passRatios(
  runs: readonly RunRecord[], scenario: ScenarioId, row: string, pitayaId: TargetId, baselineId: TargetId,
  metric: (r: RunRecord | undefined) => number | undefined, judge: (pitaya: number, baseline: number) => number,
): number[] {
  const baseline = new Map(passesFor(runs, scenario, row, baselineId).map((r) => [r.repeat ?? 0, r]));
  const ratios: number[] = [];
  for (const r of passesFor(runs, scenario, row, pitayaId)) {
    const b = baseline.get(r.repeat ?? 0);
    const pv = r.error ? undefined : metric(r);
    const bv = b === undefined || b.error ? undefined : metric(b);
    if (pv === undefined || bv === undefined || pv === 0 || bv === 0) continue;
    ratios.push(judge(pv, bv));
  }
  return ratios;
}

/** The middle value (mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `median 0.87× of 5 (0.78–0.93×)` for a goal judged on several passes, or undefined when there was
 * at most one pair of passes (nothing to add to the verdict's own ratio).
 */
export function describeSpread(ratios: readonly number[]): string | undefined {
  if (ratios.length < 2) return undefined;
  const m = median(ratios)!;
  return `median ${fmtRatio(m)} of ${ratios.length} (${fmtRatio(Math.min(...ratios)).replace('×', '')}–${fmtRatio(Math.max(...ratios))})`;
}
