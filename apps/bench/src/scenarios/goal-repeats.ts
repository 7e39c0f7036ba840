import { GOAL_ECHO_CASES } from '../orchestrator/plan';
import type { Suite } from '../orchestrator/suite';
import { TARGETS } from '../targets/targets';
import { runBroadcasts } from './broadcast-scenario';
import { runForward } from './cluster-scenario';
import { runClosedEcho } from './echo-scenario';

/**
 * The extra passes over the judged rows (`plan.goalRepeats`): per pass, bare then pitaya-ts are
 * restarted and primed and run the A goal echo rows and the B closed-loop rows; then scenario D's
 * gRPC pair, bare forwarder first. Alternating the two sides in time spreads the machine's drift
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
        await runBroadcasts(suite, target, running, ['closed'], repeat);
      });
    }
    for (const id of ['bare-forward', 'pitaya-cluster'] as const) await runForward(suite, id, repeat);
  }
}
