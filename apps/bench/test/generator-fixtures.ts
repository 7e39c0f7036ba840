import { BareServer } from '../src/servers/bare-server';
import { PITAYA_ROUTES } from '../src/servers/bench-routes';
import type { BroadcastJob, BroadcastResult, CheckpointLabel, RunHooks, TimedJob } from '../src/generator/jobs';
import type { Transport } from '../src/wire/endpoint';

// Fixtures shared by the generator tests (Node and native): a tiny in-process bare server, a
// job's timing, hooks that record the checkpoints.

export async function withServer<T>(delayMs: number, body: (server: BareServer, ports: { ws: number; tcp: number }) => Promise<T>): Promise<T> {
  const server = new BareServer({ host: '127.0.0.1', wsPort: 0, tcpPort: 0, routes: PITAYA_ROUTES, delayMs });
  const ports = await server.start();
  try {
    return await body(server, ports);
  } finally {
    await server.close();
  }
}

/**
 * A server delay of `ms` can show up to ~1 ms shorter: libuv starts a timer from the loop's cached
 * time, which is already in the past when the request arrives late in a loop iteration.
 */
export function atLeastDelay(ms: number): number {
  return (ms - 2) * 1000;
}

export function timedJob(transport: Transport, port: number, warmupMs: number, measureMs: number): TimedJob {
  return {
    endpoint: { transport, host: '127.0.0.1', port },
    routes: PITAYA_ROUTES,
    warmupMs,
    measureMs,
    drainMs: 2000,
    connectTimeoutMs: 5000,
    connectConcurrency: 10,
  };
}

export function recordingHooks(): RunHooks & { labels: CheckpointLabel[] } {
  const labels: CheckpointLabel[] = [];
  return { labels, checkpoint: (label) => (labels.push(label), Promise.resolve()) };
}

/** Two rooms of 5, one sender each at 25 messages/s for 0.8 s: the rate-mode broadcast both generators are checked with. */
export function rateBroadcastJob(port: number): BroadcastJob {
  return { ...timedJob('ws', port, 200, 800), kind: 'broadcast', rooms: 2, roomSize: 5, mode: 'rate', ratePerSender: 25, inFlightPerRoom: 1, payloadBytes: 96 };
}

/** What {@link rateBroadcastJob} must produce on the server and in the generator's result: exact counts, no lost push. */
export function expectRateBroadcastCounts(server: BareServer, result: BroadcastResult): void {
  expect(server.stats.requests).toBe(10); // the joins
  expect(server.stats.notifies).toBe(result.sentTotal);
  expect(server.stats.pushes).toBe(result.sentTotal * 5);
  expect(result.deliveredTotal).toBe(server.stats.pushes);
  expect(result.latency.count).toBe(result.deliveries);
  expect(result.sends).toBeGreaterThanOrEqual(38); // 2 rooms × 25/s × 0.8 s, give or take an edge
  expect(result.sends).toBeLessThanOrEqual(42);
}
