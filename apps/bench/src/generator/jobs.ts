import type { BenchRoutes, Endpoint } from '../wire/endpoint';
import type { LatencySummary } from './latency-recorder';

/** Settings every load job shares. Every phase is bounded in time. */
export interface TimedJob {
  readonly endpoint: Endpoint;
  readonly routes: BenchRoutes;
  /** Load runs but nothing is recorded (JIT, buffers, pools warm up). */
  readonly warmupMs: number;
  /** The recorded window. */
  readonly measureMs: number;
  /** After the window: how long to wait for answers still in flight before giving up on them. */
  readonly drainMs: number;
  /** Per connection, handshake included. */
  readonly connectTimeoutMs: number;
  /** Handshakes in flight at once while connecting the clients. */
  readonly connectConcurrency: number;
}

/**
 * An echo or broadcast job may run on the native generator (`native/loadgen.c`, compiled by the orchestrator):
 * the path of its binary. Unset = the Node clients of this process.
 */
export interface NativeCapable {
  readonly nativeBinary?: string;
}

/** Scenario A, closed loop: every client has exactly one request in flight. */
export interface EchoClosedJob extends TimedJob, NativeCapable {
  readonly kind: 'echo-closed';
  readonly clients: number;
  readonly payloadBytes: number;
}

/** Scenario A, open loop: a fixed aggregate rate, latency from the intended send time. */
export interface EchoOpenJob extends TimedJob, NativeCapable {
  readonly kind: 'echo-open';
  readonly clients: number;
  readonly payloadBytes: number;
  readonly ratePerSec: number;
  /** A client with this many unanswered requests skips its turn (counted as shed) instead of queueing without bound. */
  readonly maxOutstandingPerClient: number;
}

/** Scenario B: rooms of `roomSize` members, the last member of each room sends. */
export interface BroadcastJob extends TimedJob, NativeCapable {
  readonly kind: 'broadcast';
  readonly rooms: number;
  readonly roomSize: number;
  /** `closed`: a room sends its next message when the sender got its own copy (capacity); `rate`: fixed rate per sender (latency). */
  readonly mode: 'closed' | 'rate';
  /** Messages per second per sender in `rate` mode. */
  readonly ratePerSender: number;
  /** `closed` mode: messages each room keeps in flight (enough rooms × this keeps the server busy). */
  readonly inFlightPerRoom: number;
  /**
   * Members of each room that send (its last ones; default 1). With one sender, a room's window of
   * messages comes from one session, whose messages a server handles one at a time.
   */
  readonly sendersPerRoom?: number;
  readonly payloadBytes: number;
  /** Members spread round-robin over these frontends instead of all on `endpoint` (the cluster broadcast). */
  readonly endpoints?: readonly Endpoint[];
}

/** Scenario C: ramp idle connections, hold them, let the orchestrator read the server's memory. */
export interface IdleJob {
  readonly kind: 'idle';
  readonly endpoint: Endpoint;
  readonly connections: number;
  /** Connection attempts per second; 0 = as fast as `concurrency` allows. */
  readonly connectRatePerSec: number;
  readonly concurrency: number;
  readonly connectTimeoutMs: number;
  /** The ramp stops starting new attempts after this long. */
  readonly maxRampMs: number;
  /** Quiet time after the ramp before the memory is read. */
  readonly settleMs: number;
}

export type Job = EchoClosedJob | EchoOpenJob | BroadcastJob | IdleJob;

/** What connecting the clients cost. */
export interface ConnectStats {
  readonly connected: number;
  readonly connectFailures: number;
  /** Clients that dropped during the run (a server kick, a reset). */
  readonly disconnects: number;
}

/** Result of an echo job (closed or open loop). */
export interface EchoResult extends ConnectStats {
  readonly kind: 'echo-closed' | 'echo-open';
  readonly windowMs: number;
  /** Requests answered in the window (closed) or requests intended in the window and answered (open). */
  readonly completed: number;
  /** `completed` per second. */
  readonly throughput: number;
  /** Open loop: requests intended in the window (sent or shed). */
  readonly intended: number;
  /** Open loop: turns skipped because the client already had too many requests in flight. */
  readonly shed: number;
  /** Requests of the window never answered within the drain time (recorded at their age then). */
  readonly lost: number;
  /** Error responses (flag 0x20) among the completed. */
  readonly errors: number;
  /** Every answer of the run, warm-up and drain included (what a server-side profile covers). */
  readonly answeredTotal: number;
  readonly latency: LatencySummary;
  /** Share of one core the generator used during the window. */
  readonly generatorCpu: number;
}

/** Result of a broadcast job. */
export interface BroadcastResult extends ConnectStats {
  readonly kind: 'broadcast';
  readonly windowMs: number;
  /** Broadcasts sent in the window. */
  readonly sends: number;
  /** Pushes received in the window, by every member (the sender included). */
  readonly deliveries: number;
  readonly deliveredPerSec: number;
  /** Broadcasts sent over the whole run (warm-up included). */
  readonly sentTotal: number;
  /** Pushes received over the whole run (warm-up and drain included). */
  readonly deliveredTotal: number;
  /** Closed mode: rooms that had to resend after 1 s without their own copy. */
  readonly stalls: number;
  /** Members that sent at least one message (every room's senders, when the window keeps them all busy). */
  readonly senders: number;
  /** Closed mode: most messages any room had in flight (sent, its sender's own copy not back yet). */
  readonly maxInFlight: number;
  /** End-to-end latency from the timestamp in the payload. */
  readonly latency: LatencySummary;
  readonly generatorCpu: number;
}

/** Result of an idle ramp. */
export interface IdleResult {
  readonly kind: 'idle';
  readonly attempted: number;
  readonly connected: number;
  readonly failures: number;
  /** First attempt to last completion. */
  readonly rampMs: number;
  /** Successful handshakes per second during the ramp. */
  readonly connectRate: number;
  /** Still open when the memory was read. */
  readonly alive: number;
  /** Handshake latency. */
  readonly handshake: LatencySummary;
}

export type JobResult = EchoResult | BroadcastResult | IdleResult;

/**
 * Calls from a run back to whoever drives it. `checkpoint` resolves once the orchestrator has read
 * the server's /proc counters (CPU at `measure-start`/`measure-end`, memory at `idle-before`/`idle-after`).
 */
export interface RunHooks {
  checkpoint(label: CheckpointLabel): Promise<void>;
}

export type CheckpointLabel = 'measure-start' | 'measure-end' | 'idle-before' | 'idle-after';

/** Hooks that do nothing (in-process runs, tests). */
export const NO_HOOKS: RunHooks = { checkpoint: () => Promise.resolve() };
