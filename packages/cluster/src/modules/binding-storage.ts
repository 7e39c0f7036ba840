import type { Logger } from '@pitaya-ts/core';
import type { Etcd3, Lease, Namespace } from 'etcd3';
import { createEtcdClient, DEFAULT_ETCD_DIAL_TIMEOUT_MS, type EtcdConnectionOptions } from '../etcd/etcd-client';
import { assertKeySegment, DEFAULT_ETCD_PREFIX, EtcdKeys } from '../etcd/etcd-keys';
import { LeaseKeeper } from '../etcd/lease-keeper';
import { Backoff, errorMessage, WakeableSleep, withTimeout } from '../etcd/retry';
import type { ServerInfo } from '../server-info';
import { mapBounded } from '../util/bounded';
import { BindingCache } from './binding-cache';

/** Pitaya's message when a uid has no binding (`constants.ErrBindingNotFound`). */
export const BINDING_NOT_FOUND_MESSAGE = 'binding for this user was not found in etcd';

/** Frontend types whose bindings are cached; past that, lookups of other types read etcd. */
const MAX_CACHED_TYPES = 8;
/** Direct reads shared between concurrent lookups of the same uid, at most; past it reads are not shared. */
const MAX_SHARED_READS = 10_000;

const isKeySegment = (value: string): boolean => typeof value === 'string' && value !== '' && !value.includes('/');

/** Options of {@link EtcdBindingStorage}; names and defaults follow `pitaya.modules.bindingstorage.etcd.*`. */
export interface EtcdBindingStorageOptions extends EtcdConnectionOptions {
  /** Key namespace (default `pitaya/`). */
  readonly prefix?: string;
  /** TTL of the lease holding this frontend's bindings, in seconds (default 5 h), kept alive while running. */
  readonly leaseTtlSeconds?: number;
  /** Bound of the lease revoke in `stop()` (default 5000 ms). */
  readonly revokeTimeoutMs?: number;
  /** Cap of the backoff between lease re-grants while etcd is unreachable (default 5000 ms). */
  readonly reconnectMaxDelayMs?: number;
}

/** Collaborators of {@link EtcdBindingStorage}. */
export interface EtcdBindingStorageDeps {
  /** This server: bindings are written as `bindings/<server.type>/<uid>` → `server.id`. */
  readonly server: Pick<ServerInfo, 'id' | 'type'>;
  readonly logger: Logger;
  /** A client to share; when absent one is created from the options and closed by `stop()`. */
  readonly client?: Etcd3;
}

/**
 * Which frontend each user is connected to (pitaya-spec §4.5), so backends can push to and kick users over
 * gRPC. A frontend puts a binding when a session binds and removes it when the session closes; all of
 * them hang on one long lease, so a crashed frontend's bindings expire with it.
 */
export class EtcdBindingStorage {
  private readonly client: Etcd3;
  private readonly ownsClient: boolean;
  private readonly ns: Namespace;
  private readonly logger: Logger;
  private readonly sleeper = new WakeableSleep();
  /** The uids bound here, re-put when the lease has to be re-granted. */
  private readonly held = new Set<string>();
  private lease: Lease | undefined;
  private keeper: LeaseKeeper | undefined;
  private running = false;
  private regranting: Promise<void> | undefined;
  /** Watched bindings per frontend type asked about (a handful: types come from code, not clients). */
  private readonly caches = new Map<string, BindingCache>();
  /** Direct reads in flight by binding key: concurrent broadcasts to one member share one etcd read. */
  private readonly reads = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly options: EtcdBindingStorageOptions,
    private readonly deps: EtcdBindingStorageDeps,
  ) {
    this.logger = deps.logger.child({ module: 'etcd-binding-storage' });
    this.ownsClient = deps.client === undefined;
    this.client = deps.client ?? createEtcdClient(options);
    this.ns = this.client.namespace(options.prefix ?? DEFAULT_ETCD_PREFIX);
  }

  /** Grants the lease (rejects when etcd is unreachable). */
  async start(): Promise<void> {
    if (this.running) return;
    const lease = this.newLease();
    try {
      await lease.grant();
    } catch (e) {
      this.keeper?.stop();
      lease.release();
      this.lease = undefined;
      throw new Error(`cannot grant the binding storage lease: ${errorMessage(e)}`, { cause: e });
    }
    this.running = true;
  }

  /** Revokes the lease, which deletes every binding this server holds, and closes an owned client. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.regranting;
    this.keeper?.stop();
    const lease = this.lease;
    this.lease = undefined;
    const timeoutMs = this.options.revokeTimeoutMs ?? 5000;
    if (lease !== undefined) {
      try {
        await withTimeout(lease.revoke({ deadline: Date.now() + timeoutMs }), timeoutMs, 'lease revoke');
      } catch (e) {
        this.logger.warn({ err: errorMessage(e) }, 'could not revoke the binding lease; bindings expire with its TTL');
        lease.release();
      }
    }
    this.held.clear();
    const caches = [...this.caches.values()];
    this.caches.clear();
    await Promise.all(caches.map((c) => c.close()));
    if (this.ownsClient) this.client.close();
  }

  /**
   * Records that `uid` is connected to this frontend. Resolves with the frontend the uid was bound
   * to until now (`undefined`: none), read by the same put (etcd's `prev_kv`): the unique-session
   * check needs no read of its own.
   */
  async putBinding(uid: string): Promise<string | undefined> {
    assertKeySegment('uid', uid);
    const lease = this.activeLease();
    this.held.add(uid);
    try {
      const previous = await lease.put(this.key(this.deps.server.type, uid)).value(this.deps.server.id).getPrevious();
      return previous.value !== undefined && previous.value !== null && previous.value.length > 0 ? previous.value.toString() : undefined;
    } catch (e) {
      this.held.delete(uid);
      throw e;
    }
  }

  /**
   * Deletes `uid`'s binding only while it still names this server, in one transaction: when the user
   * already reconnected to another frontend, its newer binding survives (Pitaya deletes unconditionally).
   * Resolves whether a binding was deleted.
   */
  async removeBinding(uid: string): Promise<boolean> {
    assertKeySegment('uid', uid);
    this.held.delete(uid);
    const key = this.key(this.deps.server.type, uid);
    const res = await this.ns.if(key, 'Value', '==', this.deps.server.id).then(this.ns.delete().key(key)).commit();
    return res.succeeded;
  }

  /** The id of the frontend of type `frontendType` that `uid` is bound to; rejects when there is none. */
  async getUserFrontendId(uid: string, frontendType: string): Promise<string> {
    assertKeySegment('uid', uid);
    assertKeySegment('frontend type', frontendType);
    const id = await this.ns.get(this.key(frontendType, uid)).string();
    if (id === null) throw new Error(BINDING_NOT_FOUND_MESSAGE);
    return id;
  }

  /**
   * The frontend of each uid (`undefined`: not bound), in order. Answered from a watched copy of
   * `bindings/<frontendType>/` when it is connected; uids it does not know (a binding put a moment
   * ago may not have arrived yet) and every uid while it is not, are read from etcd, at most
   * `concurrency` at a time.
   */
  async frontendsOf(uids: readonly string[], frontendType: string, concurrency = 32): Promise<(string | undefined)[]> {
    assertKeySegment('frontend type', frontendType);
    const cache = this.cacheOf(frontendType);
    // A cache being loaded answers everyone once loaded; bounded by the load's own timeout.
    const loading = cache?.loading();
    if (loading !== undefined && uids.length > 1) await loading;
    const found: (string | undefined)[] = new Array<string | undefined>(uids.length);
    const misses: number[] = [];
    for (let i = 0; i < uids.length; i++) {
      const cached = cache?.get(uids[i]!);
      if (cached === undefined || cached === null) misses.push(i);
      else found[i] = cached;
    }
    await mapBounded(misses, concurrency, async (i) => {
      found[i] = await this.readFrontendId(uids[i]!, frontendType).catch(() => undefined);
    });
    return found;
  }

  /** `uid`'s frontend read from etcd now (`undefined`: not bound); the cache learns it. */
  readFrontendId(uid: string, frontendType: string): Promise<string | undefined> {
    if (!isKeySegment(uid)) return Promise.resolve(undefined);
    const key = this.key(frontendType, uid);
    const shared = this.reads.get(key);
    if (shared !== undefined) return shared;
    const read = this.ns.get(key).string().then((value) => {
      const id = value ?? undefined;
      this.caches.get(frontendType)?.learn(uid, id);
      return id;
    });
    if (this.reads.size >= MAX_SHARED_READS) return read;
    this.reads.set(key, read);
    const forget = (): void => {
      this.reads.delete(key);
    };
    read.then(forget, forget);
    return read;
  }

  private cacheOf(frontendType: string): BindingCache | undefined {
    let cache = this.caches.get(frontendType);
    if (cache === undefined && this.caches.size < MAX_CACHED_TYPES && this.running) {
      cache = new BindingCache(this.ns, frontendType, this.options.dialTimeoutMs ?? DEFAULT_ETCD_DIAL_TIMEOUT_MS, this.logger);
      this.caches.set(frontendType, cache);
      void cache.start();
    }
    return cache;
  }

  private key(frontendType: string, uid: string): string {
    return EtcdKeys.binding(frontendType, uid);
  }

  private activeLease(): Lease {
    if (!this.running || this.lease === undefined) throw new Error('binding storage is not started');
    return this.lease;
  }

  private newLease(): Lease {
    this.keeper?.stop();
    const ttlSeconds = this.options.leaseTtlSeconds ?? 5 * 60 * 60;
    const lease = this.ns.lease(ttlSeconds, { autoKeepAlive: false });
    lease.on('lost', (err) => {
      if (lease !== this.lease || !this.running) return;
      this.logger.warn({ err: err.message, bindings: this.held.size }, 'binding lease lost; re-granting and re-putting bindings');
      this.regranting ??= this.regrant().finally(() => (this.regranting = undefined));
    });
    this.keeper = new LeaseKeeper(lease, ttlSeconds, this.options.dialTimeoutMs ?? DEFAULT_ETCD_DIAL_TIMEOUT_MS, {
      onAlive: () => {
        if (lease === this.lease) this.sleeper.wake();
      },
    });
    this.keeper.start();
    this.lease = lease;
    return lease;
  }

  /** Re-grants until it works (etcd may be down for a while), then restores the bindings still held. */
  private async regrant(): Promise<void> {
    const backoff = new Backoff(100, this.options.reconnectMaxDelayMs ?? 5000);
    while (this.running) {
      const lease = this.newLease();
      try {
        await lease.grant();
        for (const uid of [...this.held]) await this.restore(lease, uid);
        this.logger.info({ bindings: this.held.size }, 'binding lease re-granted, bindings restored');
        return;
      } catch (e) {
        lease.release();
        this.logger.debug({ err: errorMessage(e) }, 'binding lease re-grant failed, retrying');
        await this.sleeper.sleep(backoff.next());
      }
    }
  }

  // Re-put only when the key is absent or still ours: the user may have moved to another frontend meanwhile.
  private async restore(lease: Lease, uid: string): Promise<void> {
    const key = this.key(this.deps.server.type, uid);
    const put = lease.put(key).value(this.deps.server.id);
    const created = await this.ns.if(key, 'Version', '==', 0).then(put).commit();
    if (!created.succeeded) await this.ns.if(key, 'Value', '==', this.deps.server.id).then(put).commit();
  }
}
