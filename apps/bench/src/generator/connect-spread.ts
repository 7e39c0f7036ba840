import type { Endpoint } from '../wire/endpoint';
import { connectClients, type ConnectOptions, type ConnectOutcome } from './connect-clients';

/**
 * {@link connectClients} over several endpoints (the cluster broadcast's frontends): `count` split
 * evenly, connected in parallel (each with its share of `concurrency`), and interleaved so that
 * consecutive clients (a room) alternate between endpoints. One endpoint: `connectClients` itself.
 */
export async function connectSpread(endpoints: readonly Endpoint[], options: ConnectOptions): Promise<ConnectOutcome> {
  if (endpoints.length <= 1) return connectClients(endpoints[0]!, options);
  const n = endpoints.length;
  const outcomes = await Promise.all(endpoints.map((endpoint, k) => connectClients(endpoint, {
    ...options,
    count: Math.floor(options.count / n) + (k < options.count % n ? 1 : 0),
    concurrency: Math.max(1, Math.ceil(options.concurrency / n)),
  })));
  const connections: ConnectOutcome['connections'] = [];
  const longest = Math.max(...outcomes.map((o) => o.connections.length));
  for (let i = 0; i < longest; i++) {
    for (const o of outcomes) if (i < o.connections.length) connections.push(o.connections[i]!);
  }
  const [first] = outcomes;
  return {
    connections,
    attempted: outcomes.reduce((sum, o) => sum + o.attempted, 0),
    failures: outcomes.reduce((sum, o) => sum + o.failures, 0),
    elapsedMs: Math.max(...outcomes.map((o) => o.elapsedMs)),
    // Handshake latencies of the first endpoint only (the broadcast run does not report them).
    handshake: first!.handshake,
    firstError: outcomes.find((o) => o.firstError !== undefined)?.firstError,
  };
}
