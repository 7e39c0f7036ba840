import { fmtRatio, ratio, rowsOf } from './compare';
import { deliveredOf } from './metrics';
import { describeSpread, passRatios } from './pass-spread';
import type { GoalResult, RunRecord } from './report-types';

/** The cluster broadcast's threshold: delivered msgs/s ≥ this × the standalone broadcast of the same room. */
export const CLUSTER_BROADCAST_GOAL = 0.5;

/**
 * Goal of the cluster broadcast (issue 14): pitaya-ts backend → 2 frontends ÷ pitaya-ts standalone,
 * delivered msgs/s, on the `B-cluster` row(s) of this run.
 */
export function clusterBroadcastGoal(runs: readonly RunRecord[]): GoalResult {
  const goal = `cluster broadcast ≥ ${CLUSTER_BROADCAST_GOAL}× standalone`;
  const rule = 'backend → 2 frontends ÷ standalone pitaya-ts, delivered msgs/s, one room of the same size, same run (B-cluster)';
  let worst: { value: number; row: string } | undefined;
  for (const [row, targets] of rowsOf(runs, 'B-cluster')) {
    const r = ratio(deliveredOf(targets.get('pitaya-cluster-broadcast')), deliveredOf(targets.get('pitaya')));
    if (r !== undefined && (!worst || r < worst.value)) worst = { value: r, row };
  }
  if (!worst) return { goal, rule, measured: 'not measured', pass: undefined };
  const pass = worst.value >= CLUSTER_BROADCAST_GOAL;
  const measured = `${fmtRatio(worst.value)} (${worst.row})`;
  const passes = describeSpread(passRatios(runs, 'B-cluster', worst.row, 'pitaya-cluster-broadcast', 'pitaya', deliveredOf, (p, b) => p / b));
  const result: GoalResult = { goal, rule, measured, pass, ...(passes ? { passes } : {}) };
  return pass ? result : { ...result, gap: `needs +${Math.round((CLUSTER_BROADCAST_GOAL / worst.value - 1) * 100)} %` };
}
