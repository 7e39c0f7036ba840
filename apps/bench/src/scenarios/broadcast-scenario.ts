import type { Suite } from '../orchestrator/suite';
import type { RunningTarget, TargetDefinition } from '../targets/target';
import { timed } from './job-defaults';

/** Broadcasts in flight across all rooms in capacity mode: enough to keep a server busy, whatever the room count. */
export const BROADCASTS_IN_FLIGHT = 64;

/** Per room, so that rooms × this ≥ {@link BROADCASTS_IN_FLIGHT}. */
export function inFlightPerRoom(rooms: number): number {
  return Math.max(1, Math.ceil(BROADCASTS_IN_FLIGHT / rooms));
}

/**
 * Runs scenario B (closed capacity, then fixed rate, unless `modes` says otherwise) for every room
 * size; `repeat` marks an extra pass over the judged rows.
 */
export async function runBroadcasts(
  suite: Suite, target: TargetDefinition, running: RunningTarget, modes: readonly ('closed' | 'rate')[] = ['closed', 'rate'], repeat?: number,
): Promise<void> {
  const { plan } = suite;
  for (const mode of modes) {
    for (const roomSize of plan.roomSizes) {
      const rooms = Math.max(1, Math.floor(plan.broadcastMembers / roomSize));
      const scenario = mode === 'closed' ? 'B-closed' : 'B-rate';
      const row = mode === 'closed'
        ? `B-closed ${rooms}×${roomSize} members`
        : `B-rate ${rooms}×${roomSize} members @${plan.ratePerSender}/s/sender`;
      await suite.load(target, running, {
        scenario, row, transport: 'ws', clients: rooms * roomSize, roomSize, rooms, payloadBytes: plan.broadcastPayload,
        ratePerSec: mode === 'rate' ? rooms * plan.ratePerSender : undefined,
        ...(repeat !== undefined ? { repeat } : {}),
        job: (endpoint, t) => ({
          ...timed(plan, endpoint, t), kind: 'broadcast', rooms, roomSize, mode, ratePerSender: plan.ratePerSender,
          inFlightPerRoom: inFlightPerRoom(rooms), payloadBytes: plan.broadcastPayload,
        }),
      });
    }
  }
}
