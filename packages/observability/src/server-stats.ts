import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * The cluster as seen by service discovery, reduced to what metrics need. `@pitaya-ts/cluster`'s
 * `ServiceDiscovery` satisfies it; it is looked up through its token so this package does not load
 * the cluster code in standalone servers.
 */
export interface DiscoveryView {
  getServers(): readonly { readonly type: string }[];
  /** Registered and the registry reachable. */
  readonly healthy: boolean;
}

/** Container token of `@pitaya-ts/cluster`'s service discovery (the same global symbol). */
export const SERVICE_DISCOVERY_TOKEN = Symbol.for('pitaya-ts:ServiceDiscovery');

/** Servers by type, for `count_servers` (Pitaya declares it but never reports it). */
export function countServersByType(discovery: DiscoveryView | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (!discovery) return counts;
  for (const server of discovery.getServers()) counts.set(server.type, (counts.get(server.type) ?? 0) + 1);
  return counts;
}

/** Event-loop utilisation since the previous call, 0–1: Node's honest analogue of Pitaya's goroutine gauges. */
export class EventLoopMeter {
  private last: EventLoopUtilization = performance.eventLoopUtilization();

  sample(): number {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    return delta.utilization;
  }
}
