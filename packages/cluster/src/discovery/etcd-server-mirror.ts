import type { Logger } from '@pitaya-ts/core';
import type { IKeyValue, Namespace, Watcher } from 'etcd3';
import { EtcdKeys, parseServerKey } from '../etcd/etcd-keys';
import { errorMessage, withTimeout } from '../etcd/retry';
import { parseServerInfo, type ServerInfo } from '../server-info';
import type { ServerRegistry } from './server-registry';

/** Collaborators and settings of {@link EtcdServerMirror}. */
export interface EtcdServerMirrorOptions {
  readonly ns: Namespace;
  readonly registry: ServerRegistry;
  readonly logger: Logger;
  readonly selfId: string;
  readonly blacklist: ReadonlySet<string>;
  /** Bound of watch creation and cancellation. */
  readonly timeoutMs: number;
  /** The watch broke or our own key was deleted: the owner must resync and re-watch. */
  readonly onProblem: (reason: string) => void;
}

type WatchEvent = { readonly type: 'put' | 'delete'; readonly kv: IKeyValue };

/**
 * Mirrors `<prefix>servers/` into the {@link ServerRegistry}: a snapshot (full get) and a watch that
 * starts right after the snapshot's revision, so no change is missed or applied twice. Our own key is
 * never mirrored (the registry holds `self` already); blacklisted types are skipped.
 */
export class EtcdServerMirror {
  private watcher: Watcher | undefined;
  private buffered: WatchEvent[] | undefined;

  constructor(private readonly o: EtcdServerMirrorOptions) {}

  /**
   * Applies a snapshot: adds missing, updates changed, removes vanished servers. Watch events that arrive
   * meanwhile are replayed after it when newer than the snapshot (older ones are in it already and
   * replaying them would undo newer state). Resolves with the snapshot revision.
   */
  async resync(): Promise<{ revision: bigint; selfSeen: boolean }> {
    const { ns, registry, selfId, blacklist, logger } = this.o;
    this.buffered = [];
    let revision: bigint | undefined;
    try {
      const res = await ns.getAll().prefix(EtcdKeys.serversPrefix).exec();
      revision = BigInt(res.header.revision);
      const seen = new Set<string>();
      let selfSeen = false;
      for (const kv of res.kvs) {
        const server = this.serverFrom(kv);
        if (server === undefined) continue;
        if (server.id === selfId) selfSeen = true;
        else if (!blacklist.has(server.type)) {
          seen.add(server.id);
          registry.upsert(server);
        }
      }
      for (const id of registry.ids()) {
        if (id === selfId || seen.has(id)) continue;
        logger.info({ serverId: id }, 'removing a server that is no longer in etcd');
        registry.remove(id);
      }
      return { revision, selfSeen };
    } finally {
      const pending = this.buffered;
      this.buffered = undefined;
      for (const e of pending) if (revision === undefined || BigInt(e.kv.mod_revision) > revision) this.apply(e);
    }
  }

  /** Replaces the watch with one starting at `fromRevision`; resolves once etcd confirmed it. */
  async watch(fromRevision: bigint): Promise<void> {
    await this.unwatch();
    const watcher = this.o.ns.watch().prefix(EtcdKeys.serversPrefix).startRevision(fromRevision.toString()).watcher();
    this.watcher = watcher;
    const live = (): boolean => watcher === this.watcher;
    watcher.on('put', (kv) => live() && this.onEvent({ type: 'put', kv }));
    watcher.on('delete', (kv) => live() && this.onEvent({ type: 'delete', kv }));
    watcher.on('disconnected', (err) => live() && this.o.onProblem(`etcd watch disconnected: ${errorMessage(err)}`));
    // e.g. the start revision was compacted away: the owner re-creates the watch from a fresh snapshot.
    watcher.on('error', (err) => live() && this.o.onProblem(`etcd watch failed: ${errorMessage(err)}`));
    const connected = new Promise<void>((resolve, reject) => {
      watcher.once('connected', () => resolve());
      watcher.once('disconnected', (err) => reject(err));
      watcher.once('error', (err) => reject(err));
    });
    try {
      await withTimeout(connected, this.o.timeoutMs, 'etcd watch');
    } catch (e) {
      await this.unwatch();
      throw e;
    }
  }

  /** Cancels the watch; never blocks longer than the timeout (cancel waits for etcd when connected). */
  async unwatch(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    if (watcher === undefined) return;
    await withTimeout(watcher.cancel(), this.o.timeoutMs, 'etcd watch cancel').catch(() => undefined);
    watcher.removeAllListeners();
  }

  private onEvent(event: WatchEvent): void {
    if (this.buffered !== undefined) this.buffered.push(event);
    else this.apply(event);
  }

  private apply({ type, kv }: WatchEvent): void {
    const key = parseServerKey(kv.key.toString());
    if (key === undefined) {
      this.o.logger.warn({ key: kv.key.toString() }, 'ignoring an etcd key that is not servers/<type>/<id>');
      return;
    }
    if (key.id === this.o.selfId) {
      if (type === 'delete') this.o.onProblem('own registration was deleted from etcd');
      return;
    }
    if (this.o.blacklist.has(key.type)) return;
    if (type === 'delete') {
      this.o.registry.remove(key.id);
      return;
    }
    // Go's LoadOrStore ignores a re-PUT until the server is deleted; we apply it, so a server that
    // changes its metadata (e.g. a new gRPC port) is reachable at once.
    const server = this.serverFrom(kv);
    if (server !== undefined) this.o.registry.upsert(server);
  }

  private serverFrom(kv: IKeyValue): ServerInfo | undefined {
    const raw = kv.key.toString();
    const key = parseServerKey(raw);
    if (key === undefined) {
      this.o.logger.warn({ key: raw }, 'ignoring an etcd key that is not servers/<type>/<id>');
      return undefined;
    }
    try {
      const server = parseServerInfo(kv.value);
      if (server.id === key.id && server.type === key.type) return server;
      this.o.logger.warn({ key: raw, id: server.id, type: server.type }, 'ignoring a server whose JSON does not match its key');
    } catch (e) {
      this.o.logger.warn({ key: raw, err: errorMessage(e) }, 'ignoring an unparsable server');
    }
    return undefined;
  }
}
