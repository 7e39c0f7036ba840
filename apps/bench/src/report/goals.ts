import type { TargetId } from '../targets/target';
import { fmtMs, fmtRatio, ratio, rowsOf } from './compare';
import { deliveredOf, perConnectionKbOf, percentileOf, throughputOf } from './metrics';
import type { GoalResult, RunRecord, ScenarioId } from './report-types';

interface Worst {
  readonly value: number;
  readonly row: string;
}

/** The lowest (or highest) `metric(pitaya) / metric(baseline)` over the rows of a scenario. */
function worstRatio(
  runs: readonly RunRecord[], scenario: ScenarioId, baseline: TargetId, metric: (r: RunRecord | undefined) => number | undefined,
  filter: (row: string) => boolean = () => true, higherIsWorse = false,
): Worst | undefined {
  let worst: Worst | undefined;
  for (const [row, targets] of rowsOf(runs, scenario)) {
    if (!filter(row)) continue;
    const r = ratio(metric(targets.get('pitaya')), metric(targets.get(baseline)));
    if (r === undefined) continue;
    if (!worst || (higherIsWorse ? r > worst.value : r < worst.value)) worst = { value: r, row };
  }
  return worst;
}

function verdict(goal: string, rule: string, worst: Worst | undefined, threshold: number, higherIsWorse = false): GoalResult {
  if (!worst) return { goal, rule, measured: 'not measured', pass: undefined };
  const pass = higherIsWorse ? worst.value <= threshold : worst.value >= threshold;
  const measured = `${fmtRatio(worst.value)} (worst row: ${worst.row})`;
  if (pass) return { goal, rule, measured, pass };
  const gap = higherIsWorse
    ? `needs ${Math.round((1 - threshold / worst.value) * 100)} % less`
    : `needs +${Math.round((threshold / worst.value - 1) * 100)} %`;
  return { goal, rule, measured, pass, gap };
}

/** Evaluates the project's performance goals on this run's records. */
export function evaluateGoals(runs: readonly RunRecord[]): GoalResult[] {
  const ws = (row: string): boolean => row.includes(' ws ');
  const goals: GoalResult[] = [
    verdict('echo ≥ 0.85× bare', 'pitaya-ts ÷ bare req/s, every closed-loop WebSocket echo row (A)', worstRatio(runs, 'A-closed', 'bare', throughputOf, ws), 0.85),
    verdict('echo ≥ 2× pinus', 'pitaya-ts ÷ pinus req/s, every closed-loop WebSocket echo row (A)', worstRatio(runs, 'A-closed', 'pinus', throughputOf, ws), 2),
    verdict('broadcast ≥ 0.8× bare', 'pitaya-ts ÷ bare delivered msgs/s, every closed-loop broadcast row (B)', worstRatio(runs, 'B-closed', 'bare', deliveredOf), 0.8),
    verdict('idle memory per connection ≤ 1.3× bare', 'pitaya-ts ÷ bare server RSS growth per idle connection (C)', worstRatio(runs, 'C-idle', 'bare', perConnectionKbOf, undefined, true), 1.3, true),
  ];
  const half = [...rowsOf(runs, 'A-open').entries()].find(([row]) => row.includes('@50%'));
  const p99 = percentileOf(half?.[1].get('pitaya'), 'p99');
  const rule = 'pitaya-ts p99 in the open-loop run at 50 % of the bare maximum rate (A, 64 B, WebSocket)';
  if (p99 === undefined) goals.push({ goal: 'p99 ≤ 10 ms at half the max rate', rule, measured: 'not measured', pass: undefined });
  else {
    const pass = p99 <= 10_000;
    goals.push({
      goal: 'p99 ≤ 10 ms at half the max rate', rule, measured: `${fmtMs(p99)} ms (${half![0]})`, pass,
      ...(pass ? {} : { gap: `${fmtMs(p99 - 10_000)} ms over` }),
    });
  }
  return goals;
}
