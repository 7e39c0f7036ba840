import { Etcd3 } from 'etcd3';
import type { UserMessenger } from '@pitaya-ts/core';
import { EtcdGroups, GroupErrorMessage } from '@pitaya-ts/cluster';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { uniquePrefix } from '../helpers';

let etcd: EtcdHandle;
let raw: Etcd3;
const open: EtcdGroups[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

afterAll(async () => {
  raw?.close();
  await etcd?.stop();
});

interface PushCall {
  readonly route: string;
  readonly body: unknown;
  readonly uids: readonly string[];
  readonly frontendType: string | undefined;
}

function messenger(failed: string[] = []): UserMessenger & { calls: PushCall[] } {
  const calls: PushCall[] = [];
  return {
    calls,
    pushToUsers: async (route, body, uids, frontendType) => {
      calls.push({ route, body, uids, frontendType });
      return failed;
    },
    kickUsers: async () => [],
  };
}

function groups(prefix: string, m: UserMessenger = messenger()): EtcdGroups {
  const g = new EtcdGroups({ endpoints: [etcd.endpoint], prefix }, { messenger: m });
  open.push(g);
  return g;
}

describe('EtcdGroups', () => {
  it("stores groups with Pitaya's key layout and answers every query", async () => {
    const prefix = uniquePrefix();
    const g = groups(prefix);
    await g.create('room-1');
    expect(await raw.get(`${prefix}groups/room-1`).string()).toBe('');
    await g.add('room-1', 'u1');
    await g.add('room-1', 'u2');
    expect(await raw.get(`${prefix}groups/room-1/uids/u1`).string()).toBe('');
    expect((await g.members('room-1')).sort()).toEqual(['u1', 'u2']);
    expect(await g.count('room-1')).toBe(2);
    expect(await g.contains('room-1', 'u1')).toBe(true);
    expect(await g.contains('room-1', 'u3')).toBe(false);

    // A second server on the same prefix sees the same group.
    expect((await groups(prefix).members('room-1')).sort()).toEqual(['u1', 'u2']);

    await g.remove('room-1', 'u1');
    expect(await g.members('room-1')).toEqual(['u2']);
    await g.removeAll('room-1');
    expect(await g.members('room-1')).toEqual([]);
    expect(await g.count('room-1')).toBe(0);
    await g.add('room-1', 'u3');
    await g.delete('room-1');
    expect(await raw.getAll().prefix(`${prefix}groups/`).keys()).toEqual([]);
  });

  it("rejects with Pitaya's error messages", async () => {
    const g = groups(uniquePrefix());
    await g.create('g');
    await expect(g.create('g')).rejects.toThrow(GroupErrorMessage.GroupAlreadyExists);
    await g.add('g', 'u');
    await expect(g.add('g', 'u')).rejects.toThrow('member already exists in group');
    await expect(g.remove('g', 'nobody')).rejects.toThrow('member not found in the group');
    await expect(g.renewTtl('g')).rejects.toThrow('etcd lease not found in group');
    for (const op of [
      () => g.add('none', 'u'),
      () => g.remove('none', 'u'),
      () => g.removeAll('none'),
      () => g.delete('none'),
      () => g.contains('none', 'u'),
      () => g.members('none'),
      () => g.count('none'),
      () => g.renewTtl('none'),
    ]) {
      await expect(op()).rejects.toThrow('group not found');
    }
  });

  it('joins a known group in one etcd transaction, and notices a group deleted or recreated by another server', async () => {
    const prefix = uniquePrefix();
    const g = groups(prefix);
    const other = groups(prefix);
    await g.create('room');
    await g.add('room', 'u1');
    // From now on `add` is one transaction: count the requests the etcd client sends.
    const internals = g as unknown as { ns: { if: (...args: unknown[]) => unknown }; groupKv: (name: string) => Promise<unknown> };
    const txns = jest.spyOn(internals.ns, 'if');
    const reads = jest.spyOn(internals, 'groupKv');
    await g.add('room', 'u2');
    await expect(g.add('room', 'u2')).rejects.toThrow(GroupErrorMessage.MemberAlreadyExists);
    expect(txns).toHaveBeenCalledTimes(2);
    // The group is checked inside the transaction, never read on its own.
    expect(reads).not.toHaveBeenCalled();
    txns.mockRestore();
    reads.mockRestore();

    // Recreated elsewhere with a TTL: the new members must hang on the new lease, not on no lease.
    await other.delete('room');
    await expect(g.add('room', 'u3')).rejects.toThrow(GroupErrorMessage.GroupNotFound);
    await other.create('room', { ttlMs: 60_000 });
    await g.add('room', 'u3');
    const member = await raw.get(`${prefix}groups/room/uids/u3`).exec();
    const group = await raw.get(`${prefix}groups/room`).exec();
    expect(member.kvs[0]?.lease).toBe(group.kvs[0]?.lease);
    expect(member.kvs[0]?.lease).not.toBe('0');
    expect(await g.members('room')).toEqual(['u3']);
  });

  it('sends simultaneous joins of a known group to etcd in a few transactions, each join answered on its own', async () => {
    const prefix = uniquePrefix();
    const g = groups(prefix);
    await g.create('room');
    await g.add('room', 'first');
    await g.add('room', 'old');
    const internals = g as unknown as { ns: { if: (...args: unknown[]) => unknown } };
    const txns = jest.spyOn(internals.ns, 'if');
    const uids = Array.from({ length: 250 }, (_, i) => `u${i}`);
    // Every join at once, plus a uid twice and one already in: those two alone fail.
    const joins = [...uids, 'u7', 'old'];
    const outcomes = await Promise.allSettled(joins.map((uid) => g.add('room', uid)));
    const transactions = txns.mock.calls.length;
    txns.mockRestore();
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${joins[i]}: ${(o.reason as Error).message}`] : []));
    expect(failed.sort()).toEqual([`old: ${GroupErrorMessage.MemberAlreadyExists}`, `u7: ${GroupErrorMessage.MemberAlreadyExists}`]);
    expect((await g.members('room')).sort()).toEqual(['first', 'old', ...uids].sort());
    // 3 batches of ≤ 100, the second 'u7' alone, the batch holding 'old' again without it, and (when the
    // second 'u7' commits first) the batch holding the first one again: 5 or 6, not one per join.
    expect(transactions).toBeGreaterThanOrEqual(5);
    expect(transactions).toBeLessThanOrEqual(6);
  });

  it('rejects names and uids that are empty or contain "/"', async () => {
    const g = groups(uniquePrefix());
    await expect(g.create('a/b')).rejects.toThrow(/group name "a\/b" must not contain "\/"/);
    await expect(g.create('')).rejects.toThrow(/group name must be a non-empty string/);
    await g.create('g');
    await expect(g.add('g', 'x/y')).rejects.toThrow(/uid "x\/y" must not contain "\/"/);
    await expect(g.contains('g', '')).rejects.toThrow(/uid must be a non-empty string/);
  });

  it('expires a TTL group with its members, and renewTtl keeps it alive', async () => {
    const prefix = uniquePrefix();
    const g = groups(prefix);
    await g.create('short', { ttlMs: 2000 });
    await g.create('renewed', { ttlMs: 2000 });
    await g.add('short', 'u1');
    await g.add('renewed', 'u1');
    const { kvs } = await raw.get(`${prefix}groups/short/uids/u1`).exec();
    const group = await raw.get(`${prefix}groups/short`).exec();
    expect(kvs[0]?.lease).toBe(group.kvs[0]?.lease);
    expect(kvs[0]?.lease).not.toBe('0');

    const renewer = setInterval(() => void g.renewTtl('renewed').catch(() => undefined), 500);
    try {
      await waitFor(async () => (await raw.getAll().prefix(`${prefix}groups/short`).keys()).length === 0, {
        timeoutMs: 5000,
        message: 'the TTL group to expire',
      });
      await expect(g.members('short')).rejects.toThrow('group not found');
      expect(await g.members('renewed')).toEqual(['u1']);
    } finally {
      clearInterval(renewer);
    }
  });

  it('broadcasts to the members through the messenger', async () => {
    const m = messenger(['u2']);
    const g = groups(uniquePrefix(), m);
    await g.create('room');
    await g.add('room', 'u1');
    await g.add('room', 'u2');
    expect(await g.broadcast('room', 'onChat', { text: 'hi' }, { frontendType: 'connector' })).toEqual(['u2']);
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]).toMatchObject({ route: 'onChat', body: { text: 'hi' }, frontendType: 'connector' });
    expect([...(m.calls[0]?.uids ?? [])].sort()).toEqual(['u1', 'u2']);

    await g.removeAll('room');
    expect(await g.broadcast('room', 'onChat', {})).toEqual([]);
    expect(m.calls).toHaveLength(1);
    await expect(g.broadcast('missing', 'onChat', {})).rejects.toThrow('group not found');
  });
});
