import { validateServerId, validateServerType, type ServerInfo } from '../server-info';
import { ServerRegistry } from './server-registry';
import type { ServiceDiscovery, ServiceDiscoveryListener } from './service-discovery';

/**
 * A fixed server list (tests and fixed topologies). `start(self)` adds `self`; {@link addServer} and
 * {@link removeServer} change the list at run time and notify listeners like a real discovery would.
 */
export class StaticServiceDiscovery implements ServiceDiscovery {
  private readonly registry = new ServerRegistry();
  private started = false;

  constructor(servers: readonly ServerInfo[] = []) {
    for (const server of servers) this.addServer(server);
  }

  get healthy(): boolean {
    return this.started;
  }

  async start(self: ServerInfo): Promise<void> {
    validateServerId(self.id);
    validateServerType(self.type);
    this.registry.selfId = self.id;
    this.registry.upsert(self);
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  /** Adds or replaces a server (listeners hear removed + added on a change). */
  addServer(server: ServerInfo): void {
    validateServerId(server.id);
    validateServerType(server.type);
    this.registry.upsert(server);
  }

  /** Removes a server; returns whether it was known. */
  removeServer(id: string): boolean {
    return this.registry.remove(id) !== undefined;
  }

  getServer(id: string): ServerInfo | undefined {
    return this.registry.get(id);
  }

  getServersByType(type: string): readonly ServerInfo[] {
    return this.registry.ofType(type);
  }

  getServers(): readonly ServerInfo[] {
    return this.registry.list();
  }

  addListener(listener: ServiceDiscoveryListener): () => void {
    return this.registry.addListener(listener);
  }
}
