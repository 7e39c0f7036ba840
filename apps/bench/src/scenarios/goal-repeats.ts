import { GOAL_ECHO_CASES } from '../orchestrator/plan';
import type { Suite } from '../orchestrator/suite';
import { TARGETS } from '../targets/targets';
import { runBroadcasts } from './broadcast-scenario';
import { runClusterBroadcast } from './cluster-broadcast-scenario';
import { runForward } from './cluster-scenario';
import { bareMax, runClosedEcho, runOpenEcho } from './echo-scenario';

/** The open-loop row the Goals table judges (p99 at 50 % of the bare maximum). */
const JUDGED_OPEN_FRACTION = 0.5;

/**
 * The extra passes over the judged rows (`plan.goalRepeats`): per pass, bare then pitaya-ts are
 * restarted and primed and run the A goal echo rows, the open loop at 50 % of the main pass's bare
 * maximum and the B closed-loop rows; then scenario D's
 * gRPC pair, bare forwarder first, and the cluster broadcast pair, standalone first. Alternating the two sides in time spreads the machine's drift
 * over both; the report keeps each target's best pass per row (`rowsOf`).
 */
export async function runGoalRepeats(suite: Suite): Promise<void> {
  const { plan, ctx } = suite;
  for (let repeat = 1; repeat <= plan.goalRepeats; repeat++) {
    for (const id of ['bare', 'pitaya'] as const) {
      const target = TARGETS[id];
      if (target.unavailable(ctx)) continue;
      await suite.withTarget(target, async (running) => {
        await suite.prime(target, running, plan.primeMs);
        await runClosedEcho(suite, target, running, GOAL_ECHO_CASES, repeat);
        if (suite.plan.openFractions.includes(JUDGED_OPEN_FRACTION)) {
          await runOpenEcho(suite, target, running, bareMax(suite.runs), [JUDGED_OPEN_FRACTION], repeat);
        }
        await runBroadcasts(suite, target, running, ['closed'], repeat);
      });
    }
    for (const id of ['bare-forward', 'pitaya-cluster'] as const) await runForward(suite, id, repeat);
    await runClusterBroadcast(suite, repeat);
  }
}
