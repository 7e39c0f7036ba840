import { closeAll, connectClients } from './connect-clients';
import type { IdleJob, IdleResult, RunHooks } from './jobs';
import { sleep } from './timing';

/**
 * Scenario C: with the server's memory read before (`idle-before`), opens `connections` clients at
 * the given pace, each completing the handshake and then staying silent; after a settle time the
 * orchestrator reads the memory again (`idle-after`) and everything is closed.
 */
export async function runIdleRamp(job: IdleJob, hooks: RunHooks): Promise<IdleResult> {
  await hooks.checkpoint('idle-before');
  const outcome = await connectClients(job.endpoint, {
    count: job.connections,
    concurrency: job.concurrency,
    timeoutMs: job.connectTimeoutMs,
    ratePerSec: job.connectRatePerSec,
    deadlineMs: job.maxRampMs,
  });
  await sleep(job.settleMs);
  await hooks.checkpoint('idle-after');
  const alive = outcome.connections.filter((c) => c.isOpen).length;
  await closeAll(outcome.connections);
  return {
    kind: 'idle',
    attempted: outcome.attempted,
    connected: outcome.connections.length,
    failures: outcome.failures,
    rampMs: outcome.elapsedMs,
    connectRate: outcome.connections.length / (outcome.elapsedMs / 1000),
    alive,
    handshake: outcome.handshake.summary(),
  };
}
