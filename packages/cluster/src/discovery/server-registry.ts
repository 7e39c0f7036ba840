import type { Logger } from '@pitaya-ts/core';
import type { ServerInfo } from '../server-info';
import type { ServiceDiscoveryListener } from './service-discovery';

/** Two descriptors describe the same registration (same fields, same metadata). */
export function sameServerInfo(a: ServerInfo, b: ServerInfo): boolean {
  if (a.id !== b.id || a.type !== b.type || a.frontend !== b.frontend || a.hostname !== b.hostname) return false;
  const ka = Object.keys(a.metadata);
  return ka.length === Object.keys(b.metadata).length && ka.every((k) => b.metadata[k] === a.metadata[k]);
}

/**
 * The local copy of the cluster shared by the discovery implementations: servers by id and by type,
 * listener fan-out (never for `selfId`), per-type arrays cached until the next change.
 */
export class ServerRegistry {
  private readonly byId = new Map<string, ServerInfo>();
  private readonly byType = new Map<string, readonly ServerInfo[]>();
  private readonly listeners = new Set<ServiceDiscoveryListener>();
  private all: readonly ServerInfo[] | undefined;
  selfId: string | undefined;

  constructor(private readonly logger?: Logger) {}

  get(id: string): ServerInfo | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  ofType(type: string): readonly ServerInfo[] {
    let list = this.byType.get(type);
    if (list === undefined) {
      list = Object.freeze([...this.byId.values()].filter((s) => s.type === type));
      this.byType.set(type, list);
    }
    return list;
  }

  list(): readonly ServerInfo[] {
    return (this.all ??= Object.freeze([...this.byId.values()]));
  }

  /**
   * Adds or replaces a server. A changed descriptor is announced as removed (old) then added (new) so
   * that listeners holding per-server state (e.g. a gRPC channel to `grpcHost:grpcPort`) rebuild it.
   */
  upsert(server: ServerInfo): void {
    const previous = this.byId.get(server.id);
    if (previous !== undefined && sameServerInfo(previous, server)) return;
    const frozen = Object.freeze({ ...server, metadata: Object.freeze({ ...server.metadata }) });
    if (previous !== undefined) this.remove(previous.id);
    this.byId.set(frozen.id, frozen);
    this.invalidate(frozen.type);
    this.notify('onServerAdded', frozen);
  }

  remove(id: string): ServerInfo | undefined {
    const previous = this.byId.get(id);
    if (previous === undefined) return undefined;
    this.byId.delete(id);
    this.invalidate(previous.type);
    this.notify('onServerRemoved', previous);
    return previous;
  }

  addListener(listener: ServiceDiscoveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private invalidate(type: string): void {
    this.byType.delete(type);
    this.all = undefined;
  }

  // A throwing listener must not break discovery nor keep the other listeners from hearing about it.
  private notify(event: 'onServerAdded' | 'onServerRemoved', server: ServerInfo): void {
    if (server.id === this.selfId) return;
    for (const listener of [...this.listeners]) {
      try {
        listener[event]?.(server);
      } catch (e) {
        this.logger?.error({ err: e, serverId: server.id }, `service discovery listener ${event} threw`);
      }
    }
  }
}
