import type { BroadcastOptions, GroupCreateOptions, Groups, Logger, UserMessenger } from '@pitaya-ts/core';
import { Range, type Etcd3, type IKeyValue, type IRequestOp, type ITxnResponse, type Namespace } from 'etcd3';
import { createEtcdClient, type EtcdConnectionOptions } from '../etcd/etcd-client';
import { assertKeySegment, DEFAULT_ETCD_PREFIX, EtcdKeys } from '../etcd/etcd-keys';

/** Pitaya's group error messages (`pitaya:pkg/constants/errors.go`). */
export const GroupErrorMessage = {
  GroupAlreadyExists: 'group already exists',
  GroupNotFound: 'group not found',
  MemberAlreadyExists: 'member already exists in group',
  MemberNotFound: 'member not found in the group',
  LeaseNotFound: 'etcd lease not found in group',
} as const;

/** Most groups whose etcd incarnation {@link EtcdGroups.add} remembers; past it the memory starts over. */
const MAX_KNOWN_GROUPS = 10_000;

/** Most joins in one transaction (etcd refuses more than 128 compares or reads: `--max-txn-ops`). */
const MAX_JOIN_BATCH = 100;

interface KnownGroup {
  readonly create: string;
  readonly lease: string;
}

type JoinOutcome = 'added' | 'exists' | 'stale';

interface PendingJoin {
  readonly uid: string;
  resolve(outcome: JoinOutcome): void;
  reject(error: unknown): void;
}

/** Options of {@link EtcdGroups}; names and defaults follow `pitaya.groups.etcd.*`. */
export interface EtcdGroupsOptions extends EtcdConnectionOptions {
  /** Key namespace (default `pitaya/`). */
  readonly prefix?: string;
  /** Deadline of each etcd operation (default 5000 ms). */
  readonly transactionTimeoutMs?: number;
}

/** Collaborators of {@link EtcdGroups}. */
export interface EtcdGroupsDeps {
  /** Delivers {@link EtcdGroups.broadcast} pushes to the members, wherever they are connected. */
  readonly messenger: UserMessenger;
  readonly logger?: Logger;
  /** A client to share; when absent one is created from the options and closed by `close()`. */
  readonly client?: Etcd3;
}

/**
 * Groups stored in etcd and shared by every server on the same prefix (pitaya-spec §5.9), with Pitaya's
 * layout so Go servers see the same groups: `groups/<name>` → `""` (on a lease of the TTL, if any) and
 * `groups/<name>/uids/<uid>` → `""` on the group's lease. Every change is a transaction on
 * `CreateRevision`, so concurrent servers cannot create a group twice or add a member twice.
 */
export class EtcdGroups implements Groups {
  private readonly client: Etcd3;
  private readonly ownsClient: boolean;
  private readonly ns: Namespace;
  private readonly timeoutMs: number;
  /**
   * Per group name, the create revision and lease of the group key last seen by `add`: with them a
   * join is one transaction (guarded by the create revision, so a group deleted or recreated since
   * is detected and re-read) instead of a read and a transaction.
   */
  private readonly known = new Map<string, KnownGroup>();
  /** Joins of known groups waiting for this turn's transaction (flushed on the next `setImmediate`). */
  private readonly joins = new Map<string, PendingJoin[]>();
  /** Reads of a group's incarnation in flight, shared by the joins waiting on them. */
  private readonly reading = new Map<string, Promise<KnownGroup>>();

  constructor(
    options: EtcdGroupsOptions,
    private readonly deps: EtcdGroupsDeps,
  ) {
    this.ownsClient = deps.client === undefined;
    this.client = deps.client ?? createEtcdClient(options);
    this.ns = this.client.namespace(options.prefix ?? DEFAULT_ETCD_PREFIX);
    this.timeoutMs = options.transactionTimeoutMs ?? 5000;
  }

  async create(name: string, options: GroupCreateOptions = {}): Promise<void> {
    assertKeySegment('group name', name);
    const put = this.ns.put(EtcdKeys.group(name)).value('');
    let leaseId: string | undefined;
    if (options.ttlMs !== undefined) {
      // etcd leases count whole seconds; round up so a group never expires before its TTL.
      const ttl = Math.max(1, Math.ceil(options.ttlMs / 1000));
      leaseId = (await this.ns.leaseClient.leaseGrant({ TTL: ttl }, this.callOptions())).ID;
      put.lease(leaseId);
    }
    const res = await this.txn().if(EtcdKeys.group(name), 'Create', '==', 0).then(put).commit();
    // The transaction's revision is the group key's create revision: joins need no read of it.
    if (res.succeeded) {
      if (this.known.size >= MAX_KNOWN_GROUPS) this.known.clear();
      this.known.set(name, { create: res.header.revision, lease: leaseId ?? '0' });
    }
    if (!res.succeeded) {
      // Go leaks this lease; it holds nothing, so free it right away.
      if (leaseId !== undefined) await this.ns.leaseClient.leaseRevoke({ ID: leaseId }, this.callOptions()).catch(() => undefined);
      throw new Error(GroupErrorMessage.GroupAlreadyExists);
    }
  }

  async delete(name: string): Promise<void> {
    assertKeySegment('group name', name);
    this.known.delete(name);
    const res = await this.whenGroupExists(
      name,
      this.ns.delete().prefix(EtcdKeys.groupMembersPrefix(name)),
      this.ns.delete().key(EtcdKeys.group(name)),
    );
    if (!res.succeeded) throw new Error(GroupErrorMessage.GroupNotFound);
  }

  async add(name: string, uid: string): Promise<void> {
    assertKeySegment('group name', name);
    assertKeySegment('uid', uid);
    // Joins wait for one read of the group (shared by simultaneous joins), then go in batches. Twice
    // at most: a group deleted or recreated meanwhile is read again once, then the plain path decides.
    for (let attempt = 0; attempt < 2; attempt++) {
      const known = this.known.get(name) ?? (await this.learnGroup(name));
      const outcome = await new Promise<JoinOutcome>((resolve, reject) => this.queueJoin(name, { uid, resolve, reject }));
      if (outcome === 'added') return;
      if (outcome === 'exists') throw new Error(GroupErrorMessage.MemberAlreadyExists);
      if (this.known.get(name) === known) this.known.delete(name);
    }
    const group = await this.groupKv(name);
    const put = this.ns.put(EtcdKeys.groupMember(name, uid)).value('');
    // Members share the group's lease so that they expire with it.
    if (group.lease !== '0') put.lease(group.lease);
    const res = await this.txn()
      .if(EtcdKeys.group(name), 'Create', '>', 0)
      .and(EtcdKeys.groupMember(name, uid), 'Create', '==', 0)
      .then(put)
      .else(this.ns.get(EtcdKeys.group(name)))
      .commit();
    if (res.succeeded) return;
    // The else branch tells the two failures apart (Go reports both as "member already exists").
    const groupGone = res.responses[0]?.response_range.kvs.length === 0;
    throw new Error(groupGone ? GroupErrorMessage.GroupNotFound : GroupErrorMessage.MemberAlreadyExists);
  }

  async remove(name: string, uid: string): Promise<void> {
    assertKeySegment('group name', name);
    assertKeySegment('uid', uid);
    const res = await this.txn()
      .if(EtcdKeys.groupMember(name, uid), 'Create', '>', 0)
      .then(this.ns.delete().key(EtcdKeys.groupMember(name, uid)))
      .else(this.ns.get(EtcdKeys.group(name)))
      .commit();
    if (res.succeeded) return;
    const groupGone = res.responses[0]?.response_range.kvs.length === 0;
    throw new Error(groupGone ? GroupErrorMessage.GroupNotFound : GroupErrorMessage.MemberNotFound);
  }

  async removeAll(name: string): Promise<void> {
    assertKeySegment('group name', name);
    const res = await this.whenGroupExists(name, this.ns.delete().prefix(EtcdKeys.groupMembersPrefix(name)));
    if (!res.succeeded) throw new Error(GroupErrorMessage.GroupNotFound);
  }

  async contains(name: string, uid: string): Promise<boolean> {
    assertKeySegment('group name', name);
    assertKeySegment('uid', uid);
    const res = await this.whenGroupExists(name, this.ns.get(EtcdKeys.groupMember(name, uid)));
    if (!res.succeeded) throw new Error(GroupErrorMessage.GroupNotFound);
    return (res.responses[0]?.response_range.kvs.length ?? 0) > 0;
  }

  async members(name: string): Promise<string[]> {
    return (await this.memberKvs(name, false)).map((kv) => kv.key.subarray(this.membersPrefix(name).length).toString());
  }

  async count(name: string): Promise<number> {
    // Unlike Go's etcd implementation (a bare count), a missing group is an error, as in every other method.
    return (await this.memberKvs(name, true)).count;
  }

  async renewTtl(name: string): Promise<void> {
    assertKeySegment('group name', name);
    const group = await this.groupKv(name);
    if (group.lease === '0') throw new Error(GroupErrorMessage.LeaseNotFound);
    const stream = await this.ns.leaseClient.leaseKeepAlive(this.callOptions());
    try {
      const ttl = await new Promise<string>((resolve, reject) => {
        stream.on('data', (res) => resolve(res.TTL));
        stream.on('error', reject);
        stream.write({ ID: group.lease });
      });
      // TTL 0: the lease (hence the group) expired between our read and the keep-alive.
      if (ttl === '0') throw new Error(GroupErrorMessage.GroupNotFound);
    } finally {
      stream.end();
    }
  }

  async broadcast(name: string, route: string, body: unknown, options: BroadcastOptions = {}): Promise<string[]> {
    const members = await this.members(name);
    if (members.length === 0) return [];
    return this.deps.messenger.pushToUsers(route, body, members, options.frontendType);
  }

  /** Reads the group's incarnation once for every join waiting on it (rejects "group not found"). */
  private learnGroup(name: string): Promise<KnownGroup> {
    let reading = this.reading.get(name);
    if (reading === undefined) {
      reading = this.groupKv(name).then((kv) => {
        const known = { create: kv.create_revision, lease: kv.lease };
        if (this.known.size >= MAX_KNOWN_GROUPS) this.known.clear();
        this.known.set(name, known);
        return known;
      }).finally(() => this.reading.delete(name));
      this.reading.set(name, reading);
    }
    return reading;
  }

  /**
   * Joins of a known group arriving in the same event-loop turn go to etcd together: a room that
   * 1,000 players join at once costs ~10 transactions, not 1,000.
   */
  private queueJoin(name: string, join: PendingJoin): void {
    let queue = this.joins.get(name);
    if (queue === undefined) {
      this.joins.set(name, (queue = []));
      setImmediate(() => this.flushJoins(name));
    }
    queue.push(join);
  }

  private flushJoins(name: string): void {
    const queue = this.joins.get(name) ?? [];
    this.joins.delete(name);
    const known = this.known.get(name);
    if (known === undefined) {
      for (const join of queue) join.resolve('stale');
      return;
    }
    // The same uid twice in one transaction would be added once and reported added twice.
    const seen = new Set<string>();
    const first: PendingJoin[] = [];
    const again: PendingJoin[] = [];
    for (const join of queue) {
      if (seen.has(join.uid)) again.push(join);
      else {
        seen.add(join.uid);
        first.push(join);
      }
    }
    for (let i = 0; i < first.length; i += MAX_JOIN_BATCH) void this.commitJoins(name, known, first.slice(i, i + MAX_JOIN_BATCH));
    for (const join of again) this.queueJoin(name, join);
  }

  /** One transaction: the group is still the one known and none of the uids is a member. */
  private async commitJoins(name: string, known: KnownGroup, batch: readonly PendingJoin[]): Promise<void> {
    try {
      let cmp = this.txn().if(EtcdKeys.group(name), 'Create', '==', known.create);
      const puts = batch.map(({ uid }) => {
        cmp = cmp.and(EtcdKeys.groupMember(name, uid), 'Create', '==', 0);
        const put = this.ns.put(EtcdKeys.groupMember(name, uid)).value('');
        // Members share the group's lease so that they expire with it.
        if (known.lease !== '0') put.lease(known.lease);
        return put;
      });
      const res = await cmp.then(...puts)
        .else(this.ns.get(EtcdKeys.group(name)), ...batch.map(({ uid }) => this.ns.get(EtcdKeys.groupMember(name, uid))))
        .commit();
      if (res.succeeded) {
        for (const join of batch) join.resolve('added');
        return;
      }
      const group = res.responses[0]?.response_range.kvs[0];
      if (group === undefined || group.create_revision !== known.create) {
        for (const join of batch) join.resolve('stale');
      } else {
        // Some are members already (the else branch read them): they fail, the others go again.
        const rest = batch.filter((join, j) => {
          const member = (res.responses[j + 1]?.response_range.kvs.length ?? 0) > 0;
          if (member) join.resolve('exists');
          return !member;
        });
        if (rest.length > 0) await this.commitJoins(name, known, rest);
      }
    } catch (error) {
      for (const join of batch) join.reject(error);
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.close();
  }

  private callOptions(): { deadline: number } {
    return { deadline: Date.now() + this.timeoutMs };
  }

  private txn(): { if: Namespace['if'] } {
    const options = this.callOptions();
    return { if: (...args) => this.ns.if(...args).options(options) };
  }

  private whenGroupExists(name: string, ...ops: { op(): Promise<IRequestOp> }[]): Promise<ITxnResponse> {
    return this.txn().if(EtcdKeys.group(name), 'Create', '>', 0).then(...ops).commit();
  }

  private async groupKv(name: string): Promise<IKeyValue> {
    const res = await this.ns.get(EtcdKeys.group(name)).options(this.callOptions()).exec();
    const kv = res.kvs[0];
    if (kv === undefined) throw new Error(GroupErrorMessage.GroupNotFound);
    return kv;
  }

  /** Absolute key prefix of the members (transaction responses carry absolute keys). */
  private membersPrefix(name: string): Buffer {
    return Buffer.concat([this.ns.prefix, Buffer.from(EtcdKeys.groupMembersPrefix(name))]);
  }

  private async memberKvs(name: string, countOnly: true): Promise<{ count: number }>;
  private async memberKvs(name: string, countOnly: false): Promise<IKeyValue[]>;
  private async memberKvs(name: string, countOnly: boolean): Promise<IKeyValue[] | { count: number }> {
    assertKeySegment('group name', name);
    const range = Range.prefix(this.membersPrefix(name));
    // A raw op is not namespaced by etcd3, hence the absolute range.
    const op: IRequestOp = { request_range: { key: range.start, range_end: range.end, keys_only: true, count_only: countOnly } };
    const res = await this.txn().if(EtcdKeys.group(name), 'Create', '>', 0).then(op).commit();
    if (!res.succeeded) throw new Error(GroupErrorMessage.GroupNotFound);
    const found = res.responses[0]?.response_range;
    return countOnly ? { count: Number(found?.count ?? 0) } : (found?.kvs ?? []);
  }
}
