import { injectable } from 'inversify';
import { Inject, LOGGER, type Logger } from '@pitaya-ts/core';
import { SERVICE_DISCOVERY, type ServiceDiscovery, type ServiceDiscoveryListener } from '../discovery/service-discovery';
import { ServerUnreachableError } from '../rpc/rpc-errors';
import type { ServerInfo } from '../server-info';

interface Suspicion {
  /** Consecutive failures: the probe delay doubles with each. */
  failures: number;
  /** Without a prober: until then the server only gets traffic when its type has no healthy server. */
  until: number;
  /** With a prober: the next probe. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Checks whether a server can be reached again without sending it a request (for gRPC: the
 * channel connects); resolves false when it cannot, never rejects.
 */
export type ServerProbe = (serverId: string) => Promise<boolean>;

/** First delay before a suspect server is probed; doubled per failed probe up to the max. */
const PROBE_DELAY_MS = 500;
const PROBE_DELAY_MAX_MS = 5000;

/**
 * Which servers failed to answer at the transport level. etcd stays the source of truth for who is
 * in the cluster; this only orders the choice within it: a server whose channel failed is *suspect*
 * and gets no traffic while its type has a healthy server. The transport's probe (see
 * {@link setProbe}; the gRPC client checks that the channel connects) brings it back, tried after
 * 500 ms and then backing off to every 5 s; without a probe the server is offered again when the
 * delay has passed, and the first call that succeeds clears it. So after a `kill -9` the survivors,
 * or a restarted server under a new id, take the traffic at once instead of after the dead
 * server's lease TTL. A server leaving discovery is forgotten, so the map is bounded by the
 * cluster's size. Transport-agnostic: any RPC client that throws {@link ServerUnreachableError}
 * takes part.
 */
@injectable('Singleton')
export class ServerHealth implements ServiceDiscoveryListener {
  private readonly suspects = new Map<string, Suspicion>();
  private probe: ServerProbe | undefined;

  constructor(
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    // Lives as long as the discovery it listens to (both are container singletons).
    discovery.addListener(this);
  }

  /** Lets the RPC transport tell when a suspect server can be reached again. */
  setProbe(probe: ServerProbe | undefined): void {
    this.probe = probe;
  }

  onServerRemoved(server: ServerInfo): void {
    this.forget(server.id);
  }

  /** Forgets every suspect and stops probing (shutdown). */
  clear(): void {
    for (const id of [...this.suspects.keys()]) this.forget(id);
  }

  /** The servers to choose from: `servers` without the suspects, or all of them when none is healthy. */
  available(servers: readonly ServerInfo[]): readonly ServerInfo[] {
    // The common case (nothing suspect) allocates nothing.
    if (this.suspects.size === 0) return servers;
    const now = Date.now();
    let healthy: ServerInfo[] | undefined;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      if (this.isSuspect(server.id, now)) {
        healthy ??= servers.slice(0, i);
      } else {
        healthy?.push(server);
      }
    }
    if (healthy === undefined) return servers;
    return healthy.length > 0 ? healthy : servers;
  }

  /** True while `serverId` is out of rotation. */
  isSuspect(serverId: string, now = Date.now()): boolean {
    const suspicion = this.suspects.get(serverId);
    return suspicion !== undefined && suspicion.until > now;
  }

  /** Reports a call's success: a suspect server is healthy again. */
  succeeded(serverId: string): void {
    if (this.suspects.size !== 0 && this.suspects.has(serverId)) {
      this.forget(serverId);
      this.log.info({ server: serverId }, 'server answers again: back in rotation');
    }
  }

  /**
   * Reports a call's failure: an unreachable server becomes suspect. Timeouts (counted by the
   * transports with `metrics.rpcTimeout`) and application errors say nothing about the channel.
   */
  failed(server: { readonly id: string; readonly type: string }, error: unknown): void {
    if (error instanceof ServerUnreachableError) this.markSuspect(server);
  }

  /** Marks `server` suspect (only while discovery knows it: a departed server needs no tracking). */
  markSuspect(server: { readonly id: string; readonly type: string }): void {
    if (!this.discovery.getServer(server.id)) return;
    const previous = this.suspects.get(server.id);
    if (previous !== undefined && previous.timer !== undefined) return; // a probe is scheduled already
    const failures = (previous?.failures ?? 0) + 1;
    this.suspects.set(server.id, this.suspicion(server.id, failures));
    if (previous === undefined) this.log.warn({ server: server.id, type: server.type }, 'server unreachable: routing around it until it answers');
  }

  private suspicion(serverId: string, failures: number): Suspicion {
    const delay = Math.min(PROBE_DELAY_MAX_MS, PROBE_DELAY_MS * 2 ** Math.min(failures - 1, 10));
    if (this.probe === undefined) return { failures, until: Date.now() + delay, timer: undefined };
    const timer = setTimeout(() => void this.runProbe(serverId, failures), delay);
    timer.unref();
    return { failures, until: Number.POSITIVE_INFINITY, timer };
  }

  private async runProbe(serverId: string, failures: number): Promise<void> {
    const probe = this.probe;
    const reachable = probe === undefined ? true : await probe(serverId).catch(() => false);
    const current = this.suspects.get(serverId);
    if (current === undefined || current.failures !== failures) return; // forgotten or superseded meanwhile
    if (reachable) {
      this.forget(serverId);
      this.log.info({ server: serverId }, 'server reachable again: back in rotation');
    } else {
      this.suspects.set(serverId, this.suspicion(serverId, failures + 1));
    }
  }

  private forget(serverId: string): void {
    const suspicion = this.suspects.get(serverId);
    if (suspicion === undefined) return;
    clearTimeout(suspicion.timer);
    this.suspects.delete(serverId);
  }
}
