import type { Suite } from '../orchestrator/suite';
import type { LoadSpec } from '../orchestrator/suite';
import { TARGETS } from '../targets/targets';
import type { RunningTarget, TargetDefinition } from '../targets/target';
import type { Endpoint } from '../wire/endpoint';
import { inFlightPerRoom } from './broadcast-scenario';
import { timed } from './job-defaults';

/** Row of the cluster broadcast, the same for the standalone baseline and the cluster. */
export function clusterBroadcastRow(members: number): string {
  return `B-cluster 1×${members} members`;
}

/**
 * The cluster broadcast: one room of `plan.clusterBroadcastMembers`, first on scenario B's
 * standalone pitaya-ts server (the baseline, same run), then with the room on a backend and its
 * members spread over two frontends. Closed loop as in B, with the window spread over as many
 * senders (each sends its next message when it gets its own copy): a room's traffic comes from its
 * members, and one session's messages are handled one at a time, so a single sender measures one
 * session's round trip through the cluster, not the broadcast. `repeat` marks an extra pass.
 * Returns the cluster target's status.
 */
export async function runClusterBroadcast(suite: Suite, repeat?: number): Promise<string> {
  const { plan, ctx } = suite;
  const members = plan.clusterBroadcastMembers;
  const window = inFlightPerRoom(1);
  const spec: LoadSpec = {
    scenario: 'B-cluster', row: clusterBroadcastRow(members), transport: 'ws', clients: members, roomSize: members, rooms: 1,
    payloadBytes: plan.broadcastPayload,
    ...(repeat !== undefined ? { repeat } : {}),
    job: (endpoint: Endpoint, t: RunningTarget) => ({
      ...timed(plan, endpoint, t), kind: 'broadcast', rooms: 1, roomSize: members, mode: 'closed', ratePerSender: plan.ratePerSender,
      inFlightPerRoom: window, sendersPerRoom: window, payloadBytes: plan.broadcastPayload,
      endpoints: [endpoint, ...(t.extraWsPorts ?? []).map((port) => ({ ...endpoint, port }))],
    }),
  };
  const { job: _job, ...row } = spec;
  const run = async (target: TargetDefinition): Promise<string> => {
    const reason = target.unavailable(ctx);
    if (reason) {
      suite.skip(target, row, reason);
      return reason;
    }
    const ran = await suite.withTarget(target, async (running) => {
      await suite.prime(target, running, plan.primeMs);
      await suite.load(target, running, spec);
      return true;
    });
    if (ran) return 'ran';
    suite.skip(target, row, suite.failedStart ?? 'did not start');
    return `failed to start: ${suite.failedStart ?? ''}`;
  };
  await run(TARGETS.pitaya);
  return run(TARGETS['pitaya-cluster-broadcast']);
}
