import type { Logger, PitayaModule } from '@pitaya-ts/core';
import type { Etcd3 } from 'etcd3';
import type { ServiceDiscovery, ServiceDiscoveryListener } from '../discovery/service-discovery';
import { EtcdKeys } from '../etcd/etcd-keys';
import { errorMessage } from '../etcd/retry';
import type { ServerInfo } from '../server-info';
import { mapBounded } from '../util/bounded';

/** Settings of {@link FrontendSweeper}. */
export interface FrontendSweeperOptions {
  /** This frontend: it sweeps after frontends of its own type. */
  readonly self: Pick<ServerInfo, 'id' | 'type'>;
  /** Absolute prefix of the binding storage's keys (`pitaya/`). */
  readonly bindingsPrefix: string;
  /** Absolute prefix of the etcd groups, on the same etcd; `undefined` when groups are not in etcd. */
  readonly groupsPrefix: string | undefined;
  /**
   * How long a frontend must stay out of discovery before its users are swept (default 2000 ms): a
   * frontend that re-registers at once (an etcd hiccup) keeps its users.
   */
  readonly graceMs?: number;
}

/** Collaborators of {@link FrontendSweeper}. */
export interface FrontendSweeperDeps {
  readonly client: Etcd3;
  readonly discovery: ServiceDiscovery;
  readonly logger: Logger;
}

const SWEEP_CONCURRENCY = 16;

/**
 * Removes what a crashed frontend leaves in etcd: its users' bindings (they hang on a lease of
 * hours) and their etcd group memberships (written by backends, removed only by the frontend's
 * session-close path, which a crash never runs). A frontend sweeps after the frontends of its own
 * type once they have left discovery (their registration lease expired) and stayed out for a grace
 * period, and at start-up after any that are already gone. Each user is swept in one transaction
 * that holds only while its binding still names the dead frontend, so a user who already
 * reconnected elsewhere keeps the membership the new session made. Sweeps are idempotent: several
 * frontends doing the same one only repeat deletes.
 */
export class FrontendSweeper implements PitayaModule, ServiceDiscoveryListener {
  private readonly logger: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sweeping = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly options: FrontendSweeperOptions,
    private readonly deps: FrontendSweeperDeps,
  ) {
    this.logger = deps.logger.child({ module: 'frontend-sweeper' });
  }

  /** Starts listening; sweeps after frontends that are gone already (after the grace period). */
  afterInit(): void {
    this.unsubscribe = this.deps.discovery.addListener(this);
    this.later(() => {
      void this.track(this.sweepOrphans().catch((e: unknown) =>
        this.logger.warn({ err: errorMessage(e) }, 'could not look for bindings of departed frontends')));
    });
  }

  /** Grace periods still running plus sweeps in progress: 0 once every departure seen so far is settled. */
  get pending(): number {
    return this.timers.size + this.sweeping.size;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.sweeping]);
  }

  onServerRemoved(server: ServerInfo): void {
    if (!server.frontend || server.type !== this.options.self.type) return;
    this.later(() => {
      if (this.deps.discovery.getServer(server.id) === undefined) this.track(this.sweep(server.id));
    });
  }

  /** Sweeps every binding of this type that names a frontend absent from discovery. */
  async sweepOrphans(): Promise<void> {
    const owners = new Set(Object.values(await this.bindings()));
    for (const id of owners) {
      if (this.stopped) return;
      if (id !== this.options.self.id && this.deps.discovery.getServer(id) === undefined) await this.sweep(id);
    }
  }

  /** Removes the bindings naming `frontendId` and the group memberships of those users. Resolves with how many users were swept. */
  async sweep(frontendId: string): Promise<number> {
    const { client } = this.deps;
    try {
      const bindings = await this.bindings();
      const uids = Object.keys(bindings).filter((uid) => bindings[uid] === frontendId);
      if (uids.length === 0) return 0;
      const memberships = await this.membershipsOf(new Set(uids));
      let swept = 0;
      await mapBounded(uids, SWEEP_CONCURRENCY, async (uid) => {
        if (this.stopped) return;
        const bindingKey = this.options.bindingsPrefix + EtcdKeys.binding(this.options.self.type, uid);
        const deletes = (memberships.get(uid) ?? []).map((key) => client.delete().key(key));
        const res = await client.if(bindingKey, 'Value', '==', frontendId).then(...deletes, client.delete().key(bindingKey)).commit();
        if (res.succeeded) swept++;
      });
      this.logger.info({ frontend: frontendId, users: swept }, 'swept the bindings and group memberships of a frontend that left');
      return swept;
    } catch (e) {
      this.logger.warn({ frontend: frontendId, err: errorMessage(e) }, 'could not sweep after a frontend that left; retried when the next one leaves or at start-up');
      return 0;
    }
  }

  /** uid → frontend id of every binding of this frontend type. */
  private async bindings(): Promise<Record<string, string>> {
    const prefix = this.options.bindingsPrefix + EtcdKeys.binding(this.options.self.type, '');
    const all = await this.deps.client.getAll().prefix(prefix).strings();
    const byUid: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(all)) byUid[key.slice(prefix.length)] = value;
    return byUid;
  }

  /** uid → absolute keys of its `groups/<name>/uids/<uid>` memberships, for the uids asked. */
  private async membershipsOf(uids: ReadonlySet<string>): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (this.options.groupsPrefix === undefined) return found;
    const prefix = this.options.groupsPrefix + 'groups/';
    for (const key of await this.deps.client.getAll().prefix(prefix).keys()) {
      // `groups/<name>/uids/<uid>`: names and uids never contain "/".
      const parts = key.slice(prefix.length).split('/');
      if (parts.length !== 3 || parts[1] !== 'uids' || !uids.has(parts[2]!)) continue;
      const list = found.get(parts[2]!);
      if (list === undefined) found.set(parts[2]!, [key]);
      else list.push(key);
    }
    return found;
  }

  private later(task: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) task();
    }, this.options.graceMs ?? 2000);
    timer.unref();
    this.timers.add(timer);
  }

  private track<T>(work: Promise<T>): Promise<void> {
    const done = work.then(() => undefined, () => undefined);
    this.sweeping.add(done);
    void done.finally(() => this.sweeping.delete(done));
    return done;
  }
}
