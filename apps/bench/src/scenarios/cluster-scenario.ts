import type { Suite } from '../orchestrator/suite';
import { TARGETS } from '../targets/targets';
import { timed } from './job-defaults';

/** Scenario D's targets: a bare forwarder and a pitaya-ts pair per transport. */
export type ForwardTarget = 'bare-forward' | 'pitaya-cluster' | 'bare-forward-nats' | 'pitaya-cluster-nats';

/**
 * Scenario D: forwarded echo frontend → backend, per transport first through its bare baseline (ws →
 * raw grpc-js, ws → raw NATS request/reply), then through pitaya-ts; a "not run" record per row with
 * the reason when a target cannot run. Returns the status of each target.
 */
export async function runCluster(suite: Suite): Promise<Record<ForwardTarget, string>> {
  const order: readonly ForwardTarget[] = ['bare-forward', 'pitaya-cluster', 'bare-forward-nats', 'pitaya-cluster-nats'];
  const statuses = {} as Record<ForwardTarget, string>;
  for (const id of order) statuses[id] = await runForward(suite, id);
  return statuses;
}

/** Every D row of one target (`repeat` marks an extra pass); returns its status. */
export async function runForward(suite: Suite, id: ForwardTarget, repeat?: number): Promise<string> {
  const { plan, ctx } = suite;
  const target = TARGETS[id];
  const specs = plan.clusterClients.map((clients) => ({
    scenario: 'D-forward' as const, row: `D-forward ws ${clients}c 64B`, transport: 'ws' as const, clients, payloadBytes: 64,
    ...(repeat !== undefined ? { repeat } : {}),
  }));
  const reason = target.unavailable(ctx);
  if (reason) {
    for (const spec of specs) suite.skip(target, spec, reason);
    return reason;
  }
  const ran = await suite.withTarget(target, async (running) => {
    // Unrecorded echo first: gRPC channels and NATS subscriptions connect on the first call, which
    // under load took longer than a quick run's whole window.
    await suite.prime(target, running, plan.primeMs, false);
    for (const spec of specs) {
      await suite.load(target, running, {
        ...spec,
        job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients: spec.clients, payloadBytes: 64 }),
      });
    }
    return true;
  });
  if (ran) return 'ran';
  for (const spec of specs) suite.skip(target, spec, suite.failedStart ?? 'did not start');
  return `failed to start: ${suite.failedStart ?? ''}`;
}
