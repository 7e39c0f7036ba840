/**
 * Groups: named sets of user ids with broadcast, Pitaya's `GroupService`.
 *
 * Two implementations ship: `MemoryGroups` (core, per application instance) and `EtcdGroups`
 * (cluster, shared by every server on the same etcd prefix). The container binds one to {@link GROUPS}.
 */
export interface GroupCreateOptions {
  /** Delete the group when it was not renewed for this long (milliseconds). No TTL when absent. */
  readonly ttlMs?: number;
}

export interface BroadcastOptions {
  /** Frontend server type the members are connected to (cluster mode). Defaults to this server's type. */
  readonly frontendType?: string;
}

export interface Groups {
  /** Creates a group; rejects with "group already exists" when it does. */
  create(name: string, options?: GroupCreateOptions): Promise<void>;
  /** Deletes a group and its members; rejects with "group not found". */
  delete(name: string): Promise<void>;
  /** Adds a uid; rejects with "member already exists in group" or "group not found". */
  add(name: string, uid: string): Promise<void>;
  /** Removes a uid; rejects with "member not found in the group" or "group not found". */
  remove(name: string, uid: string): Promise<void>;
  /** Removes every member, keeping the group. */
  removeAll(name: string): Promise<void>;
  contains(name: string, uid: string): Promise<boolean>;
  members(name: string): Promise<string[]>;
  count(name: string): Promise<number>;
  /** Restarts the TTL of a TTL group; rejects when the group has no TTL. */
  renewTtl(name: string): Promise<void>;
  /**
   * Pushes `route` with `body` to every member. The body is serialized and framed once for all local
   * members. Resolves with the uids that could not be reached.
   */
  broadcast(name: string, route: string, body: unknown, options?: BroadcastOptions): Promise<string[]>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/** Container token of the {@link Groups} implementation. */
export const GROUPS = Symbol.for('pitaya-ts:Groups');
