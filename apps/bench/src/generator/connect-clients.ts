import { BenchConnection } from '../wire/bench-connection';
import type { Endpoint } from '../wire/endpoint';
import { LatencyRecorder } from './latency-recorder';
import { now, sleep } from './timing';

/** How to open a batch of clients. */
export interface ConnectOptions {
  readonly count: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Attempts per second; 0 = as fast as `concurrency` allows. */
  readonly ratePerSec?: number;
  /** No attempt starts after this long. */
  readonly deadlineMs?: number;
}

/** The clients that made it, and what it took. */
export interface ConnectOutcome {
  readonly connections: BenchConnection[];
  readonly attempted: number;
  readonly failures: number;
  readonly elapsedMs: number;
  readonly handshake: LatencyRecorder;
  /** The first failure, to explain a run that could not connect. */
  readonly firstError?: string;
}

/**
 * Opens `count` clients with at most `concurrency` handshakes in flight, optionally paced; a
 * failure is counted, never retried (a retry would hide the failure rate scenario C reports).
 */
export async function connectClients(endpoint: Endpoint, options: ConnectOptions): Promise<ConnectOutcome> {
  const started = now();
  const deadline = started + (options.deadlineMs ?? Number.POSITIVE_INFINITY);
  const interval = options.ratePerSec ? 1000 / options.ratePerSec : 0;
  const connections: BenchConnection[] = [];
  const handshake = new LatencyRecorder();
  let next = 0;
  let failures = 0;
  let firstError: string | undefined;
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      const due = started + index * interval;
      if (due > deadline) return;
      if (due > now()) await sleep(due - now());
      const t = now();
      try {
        connections.push(await BenchConnection.open(endpoint, options.timeoutMs));
        handshake.recordMillis(now() - t);
      } catch (error) {
        failures++;
        firstError ??= (error as Error).message;
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, options.count));
  await Promise.all(Array.from({ length: lanes }, lane));
  return { connections, attempted: connections.length + failures, failures, elapsedMs: now() - started, handshake, firstError };
}

/** Closes every client and gives the sockets a moment to go. */
export async function closeAll(connections: readonly BenchConnection[]): Promise<void> {
  for (const c of connections) c.close();
  await sleep(20);
}
