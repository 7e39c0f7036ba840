import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { PITAYA_CONFIG, USER_MESSENGER } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';
import type { UserMessenger } from '../session/user-messenger';
import type { BroadcastOptions, GroupCreateOptions, Groups } from './groups';

interface MemoryGroup {
  readonly members: Set<string>;
  readonly ttlMs: number | undefined;
  refreshedAt: number;
}

/**
 * Groups in this process's memory. Unlike Pitaya's, the map belongs to this instance (two apps in
 * one process do not share groups). Expired TTL groups are swept every `groups.memory.tickDuration`.
 */
@injectable('Singleton')
export class MemoryGroups implements Groups {
  private readonly groups = new Map<string, MemoryGroup>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly tickMs: number;

  constructor(
    @Inject(USER_MESSENGER) private readonly messenger: UserMessenger,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
  ) {
    this.tickMs = config.groups.memory.tickDuration;
  }

  onInit(): void {
    this.sweeper ??= setInterval(() => this.sweep(), this.tickMs);
    this.sweeper.unref();
  }

  onShutdown(): Promise<void> {
    return this.close();
  }

  create(name: string, options: GroupCreateOptions = {}): Promise<void> {
    if (this.groups.has(name)) return Promise.reject(new Error('group already exists'));
    this.groups.set(name, { members: new Set(), ttlMs: options.ttlMs, refreshedAt: Date.now() });
    return Promise.resolve();
  }

  delete(name: string): Promise<void> {
    return this.withGroup(name, () => {
      this.groups.delete(name);
    });
  }

  add(name: string, uid: string): Promise<void> {
    return this.withGroup(name, (group) => {
      if (!uid) throw new Error('empty uid');
      if (group.members.has(uid)) throw new Error('member already exists in group');
      group.members.add(uid);
    });
  }

  remove(name: string, uid: string): Promise<void> {
    return this.withGroup(name, (group) => {
      if (!group.members.delete(uid)) throw new Error('member not found in the group');
    });
  }

  removeAll(name: string): Promise<void> {
    return this.withGroup(name, (group) => group.members.clear());
  }

  contains(name: string, uid: string): Promise<boolean> {
    return this.withGroup(name, (group) => {
      if (!uid) throw new Error('empty uid');
      return group.members.has(uid);
    });
  }

  members(name: string): Promise<string[]> {
    return this.withGroup(name, (group) => [...group.members]);
  }

  count(name: string): Promise<number> {
    return this.withGroup(name, (group) => group.members.size);
  }

  renewTtl(name: string): Promise<void> {
    return this.withGroup(name, (group) => {
      if (group.ttlMs === undefined) throw new Error('memory group TTL not found');
      group.refreshedAt = Date.now();
    });
  }

  async broadcast(name: string, route: string, body: unknown, options: BroadcastOptions = {}): Promise<string[]> {
    const members = await this.members(name);
    return members.length === 0 ? [] : this.messenger.pushToUsers(route, body, members, options.frontendType);
  }

  close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    return Promise.resolve();
  }

  /** Deletes expired TTL groups (runs on a timer; exposed for tests). */
  sweep(now = Date.now()): void {
    for (const [name, group] of this.groups) {
      if (group.ttlMs !== undefined && now - group.refreshedAt > group.ttlMs) this.groups.delete(name);
    }
  }

  private withGroup<T>(name: string, action: (group: MemoryGroup) => T): Promise<T> {
    const group = this.groups.get(name);
    if (!group) return Promise.reject(new Error('group not found'));
    try {
      return Promise.resolve(action(group));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
