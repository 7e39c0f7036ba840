import type { BenchPlan } from '../orchestrator/plan';
import type { LoadSpec, Suite } from '../orchestrator/suite';
import type { RunningTarget, TargetDefinition } from '../targets/target';
import { timed } from './job-defaults';

/** Broadcasts in flight across all rooms in capacity mode: enough to keep a server busy, whatever the room count. */
export const BROADCASTS_IN_FLIGHT = 64;

/** Per room, so that rooms × this ≥ {@link BROADCASTS_IN_FLIGHT}. */
export function inFlightPerRoom(rooms: number): number {
  return Math.max(1, Math.ceil(BROADCASTS_IN_FLIGHT / rooms));
}

/** Row label of a closed-loop broadcast row (scenario B-closed, and its interleaved pairs B-paired). */
export function broadcastClosedRow(rooms: number, roomSize: number): string {
  return `B-closed ${rooms}×${roomSize} members`;
}

/** Rooms of one room size: the plan's broadcast members split into rooms of that size. */
export function roomsOf(plan: BenchPlan, roomSize: number): number {
  return Math.max(1, Math.floor(plan.broadcastMembers / roomSize));
}

/**
 * The load of one broadcast row (`mode` closed or rate) at one room size; `window` overrides the
 * plan's warm-up and measured window (the interleaved pairs' shorter windows).
 */
export function broadcastLoad(
  plan: BenchPlan, mode: 'closed' | 'rate', roomSize: number, window?: { readonly warmupMs: number; readonly measureMs: number },
): Omit<LoadSpec, 'scenario'> {
  const rooms = roomsOf(plan, roomSize);
  const row = mode === 'closed'
    ? broadcastClosedRow(rooms, roomSize)
    : `B-rate ${rooms}×${roomSize} members @${plan.ratePerSender}/s/sender`;
  return {
    row, transport: 'ws', clients: rooms * roomSize, roomSize, rooms, payloadBytes: plan.broadcastPayload,
    ratePerSec: mode === 'rate' ? rooms * plan.ratePerSender : undefined,
    job: (endpoint, t) => ({
      ...timed(plan, endpoint, t, window?.measureMs), ...(window ? { warmupMs: window.warmupMs } : {}),
      kind: 'broadcast', rooms, roomSize, mode, ratePerSender: plan.ratePerSender, inFlightPerRoom: inFlightPerRoom(rooms), payloadBytes: plan.broadcastPayload,
    }),
  };
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
      await suite.load(target, running, {
        scenario: mode === 'closed' ? 'B-closed' : 'B-rate', ...broadcastLoad(plan, mode, roomSize),
        ...(repeat !== undefined ? { repeat } : {}),
      });
    }
  }
}
