import type { Suite } from '../orchestrator/suite';
import type { TargetDefinition } from '../targets/target';

/** Scenario C on a freshly started server (so earlier scenarios do not inflate its baseline memory). */
export async function runIdle(suite: Suite, target: TargetDefinition): Promise<void> {
  const { plan } = suite;
  const spec = { scenario: 'C-idle' as const, row: `C-idle ws ${plan.idleConnections} conns`, transport: 'ws' as const, clients: plan.idleConnections };
  const ran = await suite.withTarget(target, async (running) => {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let start-up garbage settle before the baseline
    await suite.load(target, running, {
      ...spec,
      job: (endpoint) => ({
        kind: 'idle', endpoint, connections: plan.idleConnections, connectRatePerSec: plan.idleConnectRate, concurrency: 200,
        connectTimeoutMs: 15_000, maxRampMs: Math.max(20_000, (plan.idleConnections / plan.idleConnectRate) * 3000), settleMs: 1500,
      }),
    });
    return true;
  });
  if (!ran) suite.skip(target, spec, suite.failedStart ?? 'did not start');
}
