import type { Transport } from '../wire/endpoint';

/** One closed-loop echo row of scenario A. */
export interface EchoCase {
  readonly transport: Transport;
  readonly clients: number;
  readonly payload: number;
}

/** Issue 14's goal rows: WebSocket and TCP × 100 and 1,000 clients × 64 B (the same in quick and full runs). */
export const GOAL_ECHO_CASES: readonly EchoCase[] = [
  { transport: 'ws', clients: 100, payload: 64 },
  { transport: 'ws', clients: 1000, payload: 64 },
  { transport: 'tcp', clients: 100, payload: 64 },
  { transport: 'tcp', clients: 1000, payload: 64 },
];

/** Sizes and durations of one benchmark run. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Open-loop window (shorter in quick mode). */
  readonly openMeasureMs: number;
  readonly drainMs: number;
  /** Unrecorded load run against each target before its first case. */
  readonly primeMs: number;
  /** Scenario A, closed loop: the goal rows first ({@link GOAL_ECHO_CASES}), then informational ones. */
  readonly echoCases: readonly EchoCase[];
  /** Payload sizes of the declared-schema rows (A-schema) and of the in-process schema cost. */
  readonly payloads: readonly number[];
  /**
   * The generator-calibration row: the bare server's first goal row driven again with the `ws`
   * package's client instead of the raw one, to show what the generator's client costs.
   */
  readonly calibrationCase: EchoCase;
  /** Scenario A, open loop: client count and rates as fractions of the bare maximum. */
  readonly openClients: number;
  readonly openFractions: readonly number[];
  /** The "pitaya-ts, compression on" row: echo of 1 KB. */
  readonly compressionClients: number;
  /** Scenario B: members in total, split into rooms of each size. */
  readonly broadcastMembers: number;
  readonly roomSizes: readonly number[];
  readonly ratePerSender: number;
  readonly broadcastPayload: number;
  /** Scenario C. */
  readonly idleConnections: number;
  readonly idleConnectRate: number;
  /** Scenario D: client counts of the forwarded echo. */
  readonly clusterClients: readonly number[];
  /** Cluster broadcast (B-cluster): members of the one room, spread over two frontends. */
  readonly clusterBroadcastMembers: number;
  /** Scenario E. */
  readonly bootHandlers: number;
  readonly bootRuns: number;
  /** `--profile`: closed-loop echo 64 B at this many clients. */
  readonly profileClients: number;
  /**
   * Extra passes over the judged rows (A goal echo rows, B closed-loop rows, D over gRPC), each
   * restarting bare then pitaya-ts (bare forwarder then pitaya-ts pair for D) so the two alternate in
   * time; every table then shows each target's best pass. 0 = one pass.
   */
  readonly goalRepeats: number;
  /**
   * Interleaved pairs of the echo goal rows (scenario `A-paired`) and of the closed-loop broadcast
   * rows (`B-paired`): bare and pitaya-ts both up on the server core, the generator alternating
   * between them in short windows (bare first in odd pairs, pitaya-ts first in even ones), so each
   * pair's two windows see the same machine state. The echo goals and the broadcast guard are judged
   * on the median of the pairs' ratios. 0 = no pairs (the best passes are judged).
   */
  readonly pairedPasses: number;
  /** Warm-up and measured window of each paired run (the servers are primed once, before the pairs). */
  readonly pairedWarmupMs: number;
  readonly pairedMeasureMs: number;
}

/** `--quick`: every target and scenario, small and short (under 2 minutes with the build). */
export const QUICK_PLAN: BenchPlan = {
  mode: 'quick',
  warmupMs: 300,
  measureMs: 1000,
  openMeasureMs: 800,
  drainMs: 500,
  primeMs: 500,
  echoCases: [...GOAL_ECHO_CASES, { transport: 'ws', clients: 100, payload: 1024 }],
  // The goal rows cost two rows more than before: the schema rows keep only 64 B and the open loop only
  // the 50 % point of the goal, so the quick run stays under 2 minutes.
  payloads: [64],
  calibrationCase: { transport: 'ws', clients: 100, payload: 64 },
  openClients: 200,
  openFractions: [0.5],
  compressionClients: 100,
  broadcastMembers: 200,
  roomSizes: [10, 100],
  ratePerSender: 10,
  broadcastPayload: 128,
  idleConnections: 2000,
  idleConnectRate: 4000,
  clusterClients: [200],
  clusterBroadcastMembers: 1000,
  bootHandlers: 100,
  bootRuns: 3,
  profileClients: 200,
  goalRepeats: 0,
  pairedPasses: 1,
  pairedWarmupMs: 300,
  pairedMeasureMs: 700,
};

/** The full run: the sizes of peers.md §10, 3 s warm-up and 10 s windows; judged rows best of 5 passes. */
export const FULL_PLAN: BenchPlan = {
  mode: 'full',
  warmupMs: 3000,
  measureMs: 10_000,
  openMeasureMs: 10_000,
  drainMs: 2000,
  primeMs: 3000,
  echoCases: [
    ...GOAL_ECHO_CASES,
    { transport: 'ws', clients: 1000, payload: 1024 },
    { transport: 'tcp', clients: 1000, payload: 1024 },
    { transport: 'ws', clients: 2000, payload: 64 },
  ],
  payloads: [64, 1024],
  calibrationCase: { transport: 'ws', clients: 100, payload: 64 },
  openClients: 1000,
  openFractions: [0.25, 0.5, 0.75],
  compressionClients: 1000,
  broadcastMembers: 2000,
  roomSizes: [10, 100, 500],
  ratePerSender: 10,
  broadcastPayload: 128,
  idleConnections: 10_000,
  idleConnectRate: 2000,
  clusterClients: [100, 1000],
  clusterBroadcastMembers: 1000,
  bootHandlers: 100,
  bootRuns: 7,
  profileClients: 1000,
  // One 10 s pass moved these ratios by ±10–25 % on this machine kind, and a process could stay in a
  // slow state for a whole pass (same code, echo at 29k and 57k req/s): best of 5, every pass reported.
  goalRepeats: 4,
  // Nine pairs of 3 s windows: the two windows of a pair run seconds apart, where the passes above
  // run minutes apart and this host's speed moves by ±25 % over minutes. A slow spell of the host
  // lasts ~10 s and can take one side's two adjacent windows (pair k's second, pair k+1's first):
  // nine pairs keep such a spell to two of nine, which the median ignores. An odd count has a true median.
  pairedPasses: 9,
  pairedWarmupMs: 1000,
  pairedMeasureMs: 3000,
};

/** Override of the windows (and of the judged rows' extra passes and interleaved pairs) from the command line. */
export function withWindows(plan: BenchPlan, measureSec?: number, warmupSec?: number, repeats?: number, pairs?: number): BenchPlan {
  return {
    ...plan,
    ...(repeats !== undefined ? { goalRepeats: repeats } : {}),
    ...(pairs !== undefined ? { pairedPasses: pairs } : {}),
    ...(measureSec !== undefined ? { measureMs: measureSec * 1000, openMeasureMs: measureSec * 1000 } : {}),
    ...(warmupSec !== undefined ? { warmupMs: warmupSec * 1000 } : {}),
  };
}
