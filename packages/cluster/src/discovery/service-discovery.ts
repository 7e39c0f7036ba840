import type { ServerInfo } from '../server-info';

/** Notified when another server joins or leaves the cluster (never for this server itself). */
export interface ServiceDiscoveryListener {
  onServerAdded?(server: ServerInfo): void;
  onServerRemoved?(server: ServerInfo): void;
}

/**
 * Which servers form the cluster (Pitaya's `ServiceDiscovery`). The list includes this server once
 * started; lookups are synchronous reads of a local copy, so routers can call them per message.
 */
export interface ServiceDiscovery {
  /** Registers `self`, loads the current servers and starts watching for changes. */
  start(self: ServerInfo): Promise<void>;
  /** Deregisters (bounded by the revoke timeout), stops watching and timers, then waits the shutdown delay. */
  stop(): Promise<void>;
  getServer(id: string): ServerInfo | undefined;
  /** The servers of `type`; `[]` when there are none. */
  getServersByType(type: string): readonly ServerInfo[];
  getServers(): readonly ServerInfo[];
  /** Adds a listener; the returned function removes it. */
  addListener(listener: ServiceDiscoveryListener): () => void;
  /** Registered and the registry is reachable (readiness). */
  readonly healthy: boolean;
}

/** Container token of the {@link ServiceDiscovery} implementation. */
export const SERVICE_DISCOVERY = Symbol.for('pitaya-ts:ServiceDiscovery');
