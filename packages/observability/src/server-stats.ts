import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * The cluster as seen by service discovery, reduced to what metrics need. `@pitaya-ts/cluster`'s
 * `ServiceDiscovery` satisfies it; it is found through Pitaya's `serviceDiscovery` module (see
 * {@link discoveryOf}), so this package neither loads the cluster code in standalone servers nor
 * needs the cluster module to export its providers.
 */
export interface DiscoveryView {
  getServers(): readonly { readonly type: string }[];
  /** Registered and the registry reachable. */
  readonly healthy: boolean;
}

/** Where the service discovery is: a lookup, because the cluster registers it only when the application starts. */
export type DiscoveryLookup = () => DiscoveryView | undefined;

/** The discovery held by the `serviceDiscovery` Pitaya module (cluster mode), if any. */
export function discoveryOf(modules: { get(name: string): object | undefined }): DiscoveryView | undefined {
  const module = modules.get('serviceDiscovery') as { discovery?: DiscoveryView } | undefined;
  return module?.discovery;
}

/** Servers by type, for `count_servers` (Pitaya declares it but never reports it). */
export function countServersByType(lookup: DiscoveryLookup): Map<string, number> {
  const discovery = lookup();
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
