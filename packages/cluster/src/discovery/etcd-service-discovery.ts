import type { Logger } from '@pitaya-ts/core';
import type { Etcd3, Lease, Namespace } from 'etcd3';
import { createEtcdClient, DEFAULT_ETCD_DIAL_TIMEOUT_MS, type EtcdConnectionOptions } from '../etcd/etcd-client';
import { DEFAULT_ETCD_PREFIX, EtcdKeys } from '../etcd/etcd-keys';
import { LeaseKeeper } from '../etcd/lease-keeper';
import { Backoff, errorMessage, WakeableSleep, withTimeout } from '../etcd/retry';
import { encodeServerInfo, validateServerId, validateServerType, type ServerInfo } from '../server-info';
import { EtcdServerMirror } from './etcd-server-mirror';
import { ServerRegistry } from './server-registry';
import type { ServiceDiscovery, ServiceDiscoveryListener } from './service-discovery';

/** Options of {@link EtcdServiceDiscovery}; names and defaults follow `pitaya.cluster.sd.etcd.*`. */
export interface EtcdServiceDiscoveryOptions extends EtcdConnectionOptions {
  /** Key namespace shared by every server of the cluster (default `pitaya/`). */
  readonly prefix?: string;
  /** Registration lease TTL in seconds, renewed every TTL/3 (default 60). */
  readonly heartbeatTtlSeconds?: number;
  /** Full resync period in ms (default 120 000). */
  readonly syncIntervalMs?: number;
  /** Bound of the lease revoke in `stop()` (default 5000 ms). */
  readonly revokeTimeoutMs?: number;
  /** Pause after deregistering so peers stop routing here before we stop serving (default 300 ms). */
  readonly shutdownDelayMs?: number;
  /** Server types to ignore (never this server itself). */
  readonly serverTypesBlacklist?: readonly string[];
  /** Cap of the backoff between re-registration attempts while etcd is unreachable (default 5000 ms). */
  readonly reconnectMaxDelayMs?: number;
}

/** Collaborators of {@link EtcdServiceDiscovery}. */
export interface EtcdServiceDiscoveryDeps {
  readonly logger: Logger;
  /** A client to share; when absent one is created from the options and closed by `stop()`. */
  readonly client?: Etcd3;
}

/** Called with the new value of {@link EtcdServiceDiscovery.healthy} on every change. */
export type HealthListener = (healthy: boolean) => void;

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Pitaya's etcd service discovery (pitaya-spec §5.2), same keys and JSON so Go servers join the same
 * cluster. Unlike Go, losing etcd never kills the server: the last known servers are kept and served,
 * `healthy` turns false, and registration is retried with capped backoff until etcd is back, then the
 * server is re-registered, the list resynced and the watch re-created.
 */
export class EtcdServiceDiscovery implements ServiceDiscovery {
  private readonly logger: Logger;
  private readonly client: Etcd3;
  private readonly ownsClient: boolean;
  private readonly ns: Namespace;
  private readonly registry: ServerRegistry;
  private readonly blacklist: ReadonlySet<string>;
  private readonly ttlSeconds: number;
  private readonly dialTimeoutMs: number;
  private readonly healthListeners = new Set<HealthListener>();
  private readonly sleeper = new WakeableSleep();
  private state: State = 'idle';
  private self: ServerInfo | undefined;
  private lease: Lease | undefined;
  private keeper: LeaseKeeper | undefined;
  private mirror: EtcdServerMirror | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private isHealthy = false;
  private recovery: Promise<void> | undefined;
  private needsRecovery = false;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: EtcdServiceDiscoveryOptions,
    deps: EtcdServiceDiscoveryDeps,
  ) {
    this.ttlSeconds = options.heartbeatTtlSeconds ?? 60;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1) throw new Error('heartbeatTtlSeconds must be an integer >= 1');
    this.dialTimeoutMs = options.dialTimeoutMs ?? DEFAULT_ETCD_DIAL_TIMEOUT_MS;
    this.logger = deps.logger.child({ module: 'etcd-service-discovery' });
    this.ownsClient = deps.client === undefined;
    this.client = deps.client ?? createEtcdClient(options);
    this.ns = this.client.namespace(options.prefix ?? DEFAULT_ETCD_PREFIX);
    this.registry = new ServerRegistry(this.logger);
    this.blacklist = new Set(options.serverTypesBlacklist ?? []);
  }

  get healthy(): boolean {
    return this.isHealthy;
  }

  async start(self: ServerInfo): Promise<void> {
    if (this.state !== 'idle') throw new Error(`cannot start service discovery in state ${this.state}`);
    validateServerId(self.id);
    validateServerType(self.type);
    this.self = self;
    this.registry.selfId = self.id;
    this.mirror = new EtcdServerMirror({
      ns: this.ns,
      registry: this.registry,
      logger: this.logger,
      selfId: self.id,
      blacklist: this.blacklist,
      timeoutMs: this.dialTimeoutMs,
      onProblem: (reason) => this.connectionLost(reason),
    });
    this.registry.upsert(self);
    this.state = 'starting';
    try {
      await this.register();
    } catch (e) {
      await this.stop();
      throw new Error(`cannot register server ${self.id} in etcd: ${errorMessage(e)}`, { cause: e });
    }
    this.state = 'running';
    const interval = this.options.syncIntervalMs ?? 120_000;
    this.syncTimer = setInterval(() => void this.periodicSync(), interval).unref();
    this.setHealthy(true);
    this.logger.info({ serverId: self.id, serverType: self.type, servers: this.registry.list().length }, 'registered in etcd');
  }

  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    clearInterval(this.syncTimer);
    this.sleeper.wake();
    const revokeTimeoutMs = this.options.revokeTimeoutMs ?? 5000;
    await withTimeout(this.recovery ?? Promise.resolve(), revokeTimeoutMs, 'recovery').catch(() => undefined);
    this.setHealthy(false);
    this.keeper?.stop();
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) {
      try {
        await withTimeout(lease.revoke({ deadline: Date.now() + revokeTimeoutMs }), revokeTimeoutMs, 'lease revoke');
      } catch (e) {
        // The key then expires with its TTL; peers drop us at the latest by then.
        this.logger.warn({ err: errorMessage(e) }, 'could not revoke the etcd lease on shutdown');
        lease.release();
      }
    }
    await this.mirror?.unwatch();
    await new Promise((r) => setTimeout(r, this.options.shutdownDelayMs ?? 300));
    if (this.ownsClient) this.client.close();
    this.state = 'stopped';
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

  /** Adds a health listener; the returned function removes it. */
  onHealthChange(listener: HealthListener): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Runs a full resync now (adds missing, updates changed, removes vanished servers). */
  async syncServers(): Promise<void> {
    const mirror = this.mirror;
    if (mirror === undefined) throw new Error('service discovery is not started');
    const { selfSeen } = await this.exclusive(() => mirror.resync());
    if (!selfSeen) this.connectionLost('own registration is missing from etcd');
  }

  /** Grant (or reuse) the lease, put our key, load the servers, watch from the snapshot on. */
  private register(): Promise<void> {
    return this.exclusive(async () => {
      this.assertActive();
      const lease = this.lease !== undefined && !this.lease.revoked() ? this.lease : this.newLease();
      const self = this.self as ServerInfo;
      const mirror = this.mirror as EtcdServerMirror;
      await lease.grant();
      this.assertActive();
      await lease.put(EtcdKeys.server(self.type, self.id)).value(encodeServerInfo(self));
      // Drop the old watch first: its events would race the snapshot; the new one resumes after it.
      await mirror.unwatch();
      const { revision } = await mirror.resync();
      this.assertActive();
      await mirror.watch(revision + 1n);
    });
  }

  // stop() may run while a re-registration is in flight: it must not put the key back nor leave a lease.
  private assertActive(): void {
    if (this.state !== 'starting' && this.state !== 'running') throw new Error('service discovery is stopping');
  }

  private newLease(): Lease {
    this.keeper?.stop();
    this.lease?.release();
    const lease = this.ns.lease(this.ttlSeconds, { autoKeepAlive: false });
    lease.on('lost', (err) => {
      if (lease === this.lease) this.connectionLost(`etcd lease lost: ${err.message}`);
    });
    this.keeper = new LeaseKeeper(lease, this.ttlSeconds, this.dialTimeoutMs, {
      onFailure: (err) => {
        if (lease === this.lease) this.connectionLost(`lease keep-alive failed: ${errorMessage(err)}`);
      },
      // etcd answers again: retry the registration now rather than after the remaining backoff.
      onAlive: () => {
        if (lease === this.lease) this.sleeper.wake();
      },
    });
    this.keeper.start();
    this.lease = lease;
    return lease;
  }

  private async periodicSync(): Promise<void> {
    if (this.state !== 'running' || !this.isHealthy) return;
    try {
      await this.syncServers();
    } catch (e) {
      this.connectionLost(`periodic resync failed: ${errorMessage(e)}`);
    }
  }

  /** Something shows etcd unreachable or our registration gone: go unhealthy and keep re-registering. */
  private connectionLost(reason: string): void {
    if (this.state !== 'running') return;
    this.setHealthy(false, reason);
    // Set even while a recovery runs: a loss seen during an attempt must cause another attempt.
    this.needsRecovery = true;
    this.recovery ??= this.recover();
  }

  private async recover(): Promise<void> {
    const backoff = new Backoff(100, this.options.reconnectMaxDelayMs ?? 5000);
    let attempt = 0;
    while (this.state === 'running' && this.needsRecovery) {
      this.needsRecovery = false;
      attempt++;
      try {
        await this.register();
      } catch (e) {
        this.needsRecovery = true;
        const delayMs = backoff.next();
        this.logger.debug({ attempt, delayMs, err: errorMessage(e) }, 'etcd re-registration failed, retrying');
        await this.sleeper.sleep(delayMs);
      }
    }
    // No await between the loop's last check and here, so no loss can slip in unnoticed.
    this.recovery = undefined;
    if (this.state !== 'running') return;
    this.setHealthy(true);
    this.logger.info({ attempts: attempt, servers: this.registry.list().length }, 'etcd is back: re-registered, resynced and watching');
  }

  private setHealthy(value: boolean, reason?: string): void {
    if (this.isHealthy === value) return;
    this.isHealthy = value;
    if (!value && reason !== undefined) {
      this.logger.warn({ reason, knownServers: this.registry.list().length }, 'etcd unavailable: keeping the last known servers, retrying registration');
    }
    for (const listener of [...this.healthListeners]) {
      try {
        listener(value);
      } catch (e) {
        this.logger.error({ err: e }, 'health listener threw');
      }
    }
  }

  // Registration, resync and recovery touch the same lease, watcher and registry: one at a time.
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.serial.then(task, task);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
