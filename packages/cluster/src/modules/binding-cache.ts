import type { Logger } from '@pitaya-ts/core';
import type { Namespace, Watcher } from 'etcd3';
import { EtcdKeys } from '../etcd/etcd-keys';
import { errorMessage, withTimeout } from '../etcd/retry';

/** Most bindings one cache holds; past it the cache gives up and every lookup goes to etcd. */
export const BINDING_CACHE_MAX_ENTRIES = 1_000_000;

/**
 * After a failed load, lookups read etcd directly for this long before the cache tries again: an
 * unreachable etcd is not asked for a snapshot and a watch on every broadcast.
 */
export const BINDING_CACHE_RETRY_MS = 1000;

/**
 * A watched copy of one frontend type's bindings (`bindings/<type>/<uid>` → frontend id), so a
 * broadcast to a room resolves its members' frontends from memory instead of one etcd round trip
 * per member. etcd stays the truth: the copy is a snapshot plus a watch from the snapshot's
 * revision, and the caller confirms misses and failed deliveries with a direct read, since the
 * watch may trail a put by a few ms. While etcd is unreachable the copy keeps answering with what
 * it last knew (as discovery keeps the last known servers), and etcd3 resumes the watch from its
 * last revision when etcd is back, so nothing is missed.
 */
export class BindingCache {
  private readonly entries = new Map<string, string>();
  private readonly prefix: string;
  private watcher: Watcher | undefined;
  private loaded = false;
  private closed = false;
  private overflow = false;
  private starting: Promise<void> | undefined;
  /** When the last load failed (`performance.now()`), for {@link BINDING_CACHE_RETRY_MS}. */
  private failedAt = -Infinity;

  constructor(
    private readonly ns: Namespace,
    frontendType: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly maxEntries = BINDING_CACHE_MAX_ENTRIES,
  ) {
    this.prefix = EtcdKeys.binding(frontendType, '');
  }

  /** True when lookups can be answered from memory. */
  get ready(): boolean {
    return this.loaded && !this.overflow && !this.closed;
  }

  /** Loads and watches (once; again after a failure); never rejects. */
  start(): Promise<void> {
    this.starting ??= this.load().catch((e: unknown) => {
      this.logger.warn({ err: errorMessage(e), prefix: this.prefix }, 'binding cache unavailable, reading bindings from etcd');
      this.failedAt = performance.now();
      void this.stopWatch();
      this.starting = undefined;
    });
    return this.starting;
  }

  /**
   * The load in progress, if any (it never rejects). Starts one when the cache is not ready and
   * the last failure is older than {@link BINDING_CACHE_RETRY_MS}. A caller with many uids to
   * resolve waits for it: one snapshot instead of one etcd read per uid (the first broadcasts after
   * a restart would otherwise each read every member, and crowd out the load itself).
   */
  loading(): Promise<void> | undefined {
    if (this.ready || this.closed || this.overflow) return undefined;
    if (this.starting === undefined && performance.now() - this.failedAt >= BINDING_CACHE_RETRY_MS) void this.start();
    return this.starting;
  }

  /** The frontend id of `uid` (`undefined` when not bound), or `null` when the cache cannot tell. */
  get(uid: string): string | undefined | null {
    if (!this.ready) {
      void this.loading();
      return null;
    }
    return this.entries.get(uid);
  }

  /** Records what a direct read found (it is at least as new as the watch). */
  learn(uid: string, frontendId: string | undefined): void {
    if (!this.ready) return;
    if (frontendId === undefined) this.entries.delete(uid);
    else this.set(uid, frontendId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopWatch();
    this.entries.clear();
  }

  private async load(): Promise<void> {
    // Bounded like the watch below: lookups wait for this load (see `loading`).
    const res = await withTimeout(this.ns.getAll().prefix(this.prefix).exec(), this.timeoutMs, 'binding cache snapshot');
    if (this.closed) return;
    this.entries.clear();
    for (const kv of res.kvs) this.set(kv.key.toString().slice(this.prefix.length), kv.value.toString());
    const watcher = this.ns.watch().prefix(this.prefix).startRevision((BigInt(res.header.revision) + 1n).toString()).watcher();
    this.watcher = watcher;
    const live = (): boolean => watcher === this.watcher;
    watcher.on('put', (kv) => {
      if (live()) this.set(kv.key.toString().slice(this.prefix.length), kv.value.toString());
    });
    watcher.on('delete', (kv) => {
      if (live()) this.entries.delete(kv.key.toString().slice(this.prefix.length));
    });
    // e.g. the revision was compacted away: start over from a new snapshot on the next lookup.
    watcher.on('error', (err) => {
      if (!live()) return;
      this.logger.warn({ err: errorMessage(err), prefix: this.prefix }, 'binding cache watch failed; reloading');
      this.loaded = false;
      this.starting = undefined;
      void this.stopWatch();
    });
    await withTimeout(new Promise<void>((resolve, reject) => {
      watcher.once('connected', () => resolve());
      watcher.once('error', reject);
    }), this.timeoutMs, 'binding cache watch');
    if (live()) this.loaded = true;
  }

  private set(uid: string, frontendId: string): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(uid)) {
      this.overflow = true;
      this.entries.clear();
      this.logger.warn({ prefix: this.prefix, maxEntries: this.maxEntries }, 'too many bindings to cache; reading them from etcd');
      void this.stopWatch();
      return;
    }
    this.entries.set(uid, frontendId);
  }

  private async stopWatch(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.loaded = false;
    if (watcher === undefined) return;
    await withTimeout(watcher.cancel(), this.timeoutMs, 'binding cache watch cancel').catch(() => undefined);
    watcher.removeAllListeners();
  }
}
