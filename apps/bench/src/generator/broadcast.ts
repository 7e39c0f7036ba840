import { encodeMessagePacket, MessageType } from '@pitaya-ts/protocol';
import { PUSH_ROUTE } from '../wire/endpoint';
import { broadcastPayload, joinPayload, padding, readTimestamp } from '../wire/payloads';
import { FIRST_REQUEST_ID } from '../wire/request-template';
import type { BenchConnection } from '../wire/bench-connection';
import { closeAll } from './connect-clients';
import { connectSpread } from './connect-spread';
import type { BroadcastJob, BroadcastResult, RunHooks } from './jobs';
import { LatencyRecorder } from './latency-recorder';
import { runPaced } from './paced-loop';
import { cpuMillis, now, sleep, waitFor } from './timing';

interface Room {
  readonly name: string;
  /** The members that send (the room's last `sendersPerRoom`); closed mode rotates over them. */
  readonly senders: readonly BenchConnection[];
  /** Next sender of a room-level send (the initial window, the stall watchdog, rate mode). */
  nextSender: number;
  /**
   * With several senders: the timestamps each one has in flight, so that only the copy of its own
   * message releases a sender's next one (every sender also receives the others' messages).
   */
  readonly outstanding?: Map<BenchConnection, Set<number>>;
  lastSendAt: number;
  /** Messages sent whose sender's own copy has not come back (closed mode's window). */
  inFlight: number;
}

/** A room that got no copy of its message for this long resends (closed mode). */
const STALL_MS = 1000;
/** Joins in flight at once. */
const JOIN_BATCH = 200;

/**
 * Scenario B: every member joins its room (binding a uid), then the last member of each room
 * broadcasts `{ts, room, pad}`; all members, the sender included, receive it as a push. Latency is
 * receive time minus `ts`: sender and receivers live in this process and share its clock. `closed`
 * mode keeps `inFlightPerRoom` messages in flight per room (capacity); `rate` mode sends at a fixed rate per
 * sender with `ts` = the intended time (latency without coordinated omission).
 */
export async function runBroadcast(job: BroadcastJob, hooks: RunHooks): Promise<BroadcastResult> {
  const total = job.rooms * job.roomSize;
  const outcome = await connectSpread(job.endpoints ?? [job.endpoint], { count: total, concurrency: job.connectConcurrency, timeoutMs: job.connectTimeoutMs });
  if (outcome.connections.length < total) {
    await closeAll(outcome.connections);
    throw new Error(`only ${outcome.connections.length}/${total} members connected: ${outcome.firstError ?? 'unknown error'}`);
  }
  const recorder = new LatencyRecorder();
  const pad = padding(job.payloadBytes);
  let phase: 'join' | 'warmup' | 'measure' | 'stop' = 'join';
  let sends = 0;
  let sentTotal = 0;
  let deliveredTotal = 0;
  let deliveries = 0;
  let stalls = 0;
  let disconnects = 0;
  let closing = false;

  const rooms: Room[] = [];
  const activeSenders = new Set<BenchConnection>();
  let maxInFlight = 0;
  const send = (room: Room, intendedMs: number, sender?: BenchConnection): void => {
    room.lastSendAt = now();
    sentTotal++;
    if (++room.inFlight > maxInFlight) maxInFlight = room.inFlight;
    if (phase === 'measure') sends++;
    const ts = Math.round(intendedMs * 1000);
    const data = broadcastPayload(ts, room.name, job.payloadBytes, pad);
    const from = sender ?? room.senders[room.nextSender++ % room.senders.length]!;
    room.outstanding?.get(from)!.add(ts);
    activeSenders.add(from);
    from.send(encodeMessagePacket({ type: MessageType.Notify, route: job.routes.send, data }));
  };

  let joined = 0;
  for (let r = 0; r < job.rooms; r++) {
    const name = `room-${r}`;
    const members = outcome.connections.slice(r * job.roomSize, (r + 1) * job.roomSize);
    const senderCount = Math.min(members.length, Math.max(1, job.sendersPerRoom ?? 1));
    const senders = members.slice(members.length - senderCount);
    const room: Room = {
      name, senders, nextSender: 0, lastSendAt: 0, inFlight: 0,
      outstanding: senderCount > 1 ? new Map(senders.map((s) => [s, new Set<number>()])) : undefined,
    };
    rooms.push(room);
    for (const member of members) {
      const isSender = room.senders.includes(member);
      member.listener = {
        onResponse: (id) => {
          if (id === FIRST_REQUEST_ID) joined++;
        },
        onPush: (route, data) => {
          if (route !== PUSH_ROUTE) return;
          deliveredTotal++;
          const t = now();
          if (phase === 'measure') {
            deliveries++;
            const ts = readTimestamp(data);
            if (Number.isFinite(ts)) recorder.recordMicros(t * 1000 - ts);
          }
          if (!isSender || job.mode !== 'closed') return;
          // A sender's own copy releases its next message (a lone sender's copies are all its own).
          if (room.outstanding !== undefined && !room.outstanding.get(member)!.delete(readTimestamp(data))) return;
          room.inFlight--;
          if (phase === 'warmup' || phase === 'measure') send(room, now(), member);
        },
        onClose: () => {
          if (!closing) disconnects++;
        },
      };
    }
  }
  // Join in batches, the sender of each room last, so its own copy is the last one written.
  const order = outcome.connections.map((c, i) => ({ c, room: Math.floor(i / job.roomSize), uid: `u${i}` }));
  for (let i = 0; i < order.length; i += JOIN_BATCH) {
    const batch = order.slice(i, i + JOIN_BATCH);
    for (const m of batch) {
      m.c.send(encodeMessagePacket({ type: MessageType.Request, id: FIRST_REQUEST_ID, route: job.routes.join, data: joinPayload(rooms[m.room]!.name, m.uid) }));
    }
    const target = Math.min(order.length, i + JOIN_BATCH);
    if (!(await waitFor(() => joined >= target, job.connectTimeoutMs))) {
      closing = true;
      await closeAll(outcome.connections);
      throw new Error(`joins timed out: ${joined}/${total} answered`);
    }
  }

  phase = 'warmup';
  const start = now();
  const measureStart = start + job.warmupMs;
  const measureEnd = measureStart + job.measureMs;
  let t0 = 0;
  let cpu0 = 0;
  const startTimer = setTimeout(() => {
    phase = 'measure';
    void hooks.checkpoint('measure-start');
    t0 = now();
    cpu0 = cpuMillis();
  }, job.warmupMs);
  if (job.mode === 'closed') {
    for (const room of rooms) for (let i = 0; i < Math.max(1, job.inFlightPerRoom); i++) send(room, now());
    const watchdog = setInterval(() => {
      const t = now();
      for (const room of rooms) {
        if (t - room.lastSendAt > STALL_MS) {
          stalls++;
          send(room, t);
        }
      }
    }, STALL_MS / 2);
    await sleep(measureEnd - now());
    clearInterval(watchdog);
  } else {
    await runPaced(job.rooms * job.ratePerSender, start, measureEnd, (at, k) => send(rooms[k % rooms.length]!, at));
  }
  clearTimeout(startTimer);
  phase = 'stop';
  const windowMs = t0 > 0 ? now() - t0 : job.measureMs;
  const cpu = t0 > 0 ? (cpuMillis() - cpu0) / windowMs : 0;
  void hooks.checkpoint('measure-end');
  await waitFor(() => deliveredTotal >= sentTotal * job.roomSize, job.drainMs);
  closing = true;
  await closeAll(outcome.connections);
  return {
    kind: 'broadcast',
    connected: outcome.connections.length,
    connectFailures: outcome.failures,
    disconnects,
    windowMs,
    sends,
    deliveries,
    sentTotal,
    deliveredTotal,
    deliveredPerSec: deliveries / (windowMs / 1000),
    stalls,
    senders: activeSenders.size,
    maxInFlight,
    latency: recorder.summary(),
    generatorCpu: cpu,
  };
}
