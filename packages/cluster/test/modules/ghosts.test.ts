/**
 * What a crashed frontend leaves in etcd, and how broadcasts find users: the frontend sweeper and
 * the binding storage's watched cache, against a real etcd.
 */
import { Etcd3, Namespace } from 'etcd3';
import { EtcdGroups, StaticServiceDiscovery } from '@pitaya-ts/cluster';
import { EtcdBindingStorage } from '@pitaya-ts/cluster/internal';
import { FrontendSweeper } from '../../src/modules/frontend-sweeper';
import { BindingCache } from '../../src/modules/binding-cache';
import { freePort, startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import type { UserMessenger } from '@pitaya-ts/core';
import { capturingLogger, serverInfo, uniquePrefix } from '../helpers';

let etcd: EtcdHandle;
let raw: Etcd3;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  raw?.close();
  await etcd?.stop();
});

const noMessenger: UserMessenger = { pushToUsers: async () => [], kickUsers: async () => [] };

async function bindingStorage(id: string, prefix: string): Promise<EtcdBindingStorage> {
  const storage = new EtcdBindingStorage({ endpoints: [etcd.endpoint], prefix }, { server: { id, type: 'connector' }, logger: capturingLogger().logger });
  await storage.start();
  cleanups.push(() => storage.stop());
  return storage;
}

function groups(prefix: string): EtcdGroups {
  const g = new EtcdGroups({ endpoints: [etcd.endpoint], prefix }, { messenger: noMessenger });
  cleanups.push(() => g.close());
  return g;
}

describe('FrontendSweeper: no ghost members after a frontend crash', () => {
  it('removes the dead frontend\'s bindings and group memberships, and keeps users who reconnected elsewhere', async () => {
    const prefix = uniquePrefix();
    const dead = await bindingStorage('fe-dead', prefix);
    const live = await bindingStorage('fe-live', prefix);
    const room = groups(prefix);
    await room.create('room');
    await room.create('lobby');
    for (const uid of ['u1', 'u2', 'u3']) {
      await dead.putBinding(uid);
      await room.add('room', uid);
    }
    await room.add('lobby', 'u1');
    // u3 reconnected to the live frontend before the sweep: its new session re-joined the room.
    await live.putBinding('u3');
    await live.putBinding('u4');
    await room.add('room', 'u4');

    const discovery = new StaticServiceDiscovery();
    const self = serverInfo('connector', { id: 'fe-live', frontend: true });
    await discovery.start(self);
    const sweeper = new FrontendSweeper(
      { self, bindingsPrefix: prefix, groupsPrefix: prefix, graceMs: 50 },
      { client: raw, discovery, logger: capturingLogger().logger },
    );
    expect(await sweeper.sweep('fe-dead')).toBe(2);

    expect((await room.members('room')).sort()).toEqual(['u3', 'u4']);
    expect(await room.members('lobby')).toEqual([]);
    const bindings = await raw.getAll().prefix(`${prefix}bindings/connector/`).strings();
    expect(bindings).toEqual({ [`${prefix}bindings/connector/u3`]: 'fe-live', [`${prefix}bindings/connector/u4`]: 'fe-live' });
    await sweeper.shutdown();
  });

  it('sweeps when a frontend of its type leaves discovery and stays out, and at start-up for frontends already gone', async () => {
    const prefix = uniquePrefix();
    const crashed = await bindingStorage('fe-crashed', prefix);
    const earlier = await bindingStorage('fe-earlier', prefix);
    const room = groups(prefix);
    await room.create('room');
    await crashed.putBinding('a');
    await room.add('room', 'a');
    await earlier.putBinding('b');
    await room.add('room', 'b');

    const crashedInfo = serverInfo('connector', { id: 'fe-crashed', frontend: true });
    const backend = serverInfo('room', { id: 'room-1' });
    const discovery = new StaticServiceDiscovery([crashedInfo, backend]);
    const self = serverInfo('connector', { id: 'fe-new', frontend: true });
    await discovery.start(self);
    const sweeper = new FrontendSweeper(
      { self, bindingsPrefix: prefix, groupsPrefix: prefix, graceMs: 100 },
      { client: raw, discovery, logger: capturingLogger().logger },
    );
    cleanups.push(() => sweeper.shutdown());
    sweeper.afterInit();
    // fe-earlier is in no discovery: swept at start-up; fe-crashed is still registered: kept.
    await waitFor(async () => !(await room.members('room')).includes('b'), { timeoutMs: 5000, message: 'start-up sweep did not run' });
    expect(await room.members('room')).toEqual(['a']);

    // A backend leaving is not a frontend's business; a frontend leaving and coming back at once keeps its users.
    discovery.removeServer(backend.id);
    discovery.removeServer(crashedInfo.id);
    discovery.addServer(crashedInfo);
    // Its grace period runs out and finds it back in discovery: nothing is swept.
    expect(sweeper.pending).toBeGreaterThan(0);
    await waitFor(() => sweeper.pending === 0, { timeoutMs: 5000, message: 'the grace period never settled' });
    expect(await room.members('room')).toEqual(['a']);

    discovery.removeServer(crashedInfo.id);
    await waitFor(async () => (await room.members('room')).length === 0, { timeoutMs: 5000, message: 'the departed frontend was not swept' });
    expect(await raw.getAll().prefix(`${prefix}bindings/`).keys()).toEqual([]);
  });
});

describe('EtcdBindingStorage.frontendsOf: a watched copy of the bindings', () => {
  it('answers from memory once watching, follows puts and deletes, and reads etcd for what it does not know yet', async () => {
    const prefix = uniquePrefix();
    const fe1 = await bindingStorage('fe-1', prefix);
    const fe2 = await bindingStorage('fe-2', prefix);
    const backend = await bindingStorage('room-1', prefix);
    const uids = Array.from({ length: 50 }, (_, i) => `user-${i}`);
    for (const uid of uids) await (Number(uid.slice(5)) % 2 ? fe1 : fe2).putBinding(uid);

    const reads = jest.spyOn(backend, 'readFrontendId');
    const first = await backend.frontendsOf([...uids, 'nobody'], 'connector');
    expect(first).toEqual([...uids.map((uid) => (Number(uid.slice(5)) % 2 ? 'fe-1' : 'fe-2')), undefined]);

    // Once the watch is up, a broadcast to the room costs no etcd read at all.
    await waitFor(async () => {
      reads.mockClear();
      await backend.frontendsOf(uids, 'connector');
      return reads.mock.calls.length === 0;
    }, { timeoutMs: 5000, message: 'the binding cache never served from memory' });

    // A user moving to another frontend and a user leaving are followed through the watch.
    await fe1.removeBinding('user-1');
    await fe2.putBinding('user-1');
    await fe2.removeBinding('user-2');
    await waitFor(async () => {
      const [moved, gone] = await backend.frontendsOf(['user-1', 'user-2'], 'connector');
      return moved === 'fe-2' && gone === undefined;
    }, { timeoutMs: 5000 });

    // A binding the watch has not delivered yet is still found: misses are read from etcd.
    reads.mockClear();
    await fe1.putBinding('late');
    expect(await backend.frontendsOf(['late'], 'connector')).toEqual(['fe-1']);
  });
});

describe('EtcdBindingStorage: a cold binding cache under a burst of broadcasts', () => {
  it('makes concurrent broadcasts wait for one snapshot instead of reading every member from etcd', async () => {
    const prefix = uniquePrefix();
    const fe = await bindingStorage('fe-1', prefix);
    const uids = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    await Promise.all(uids.map((uid) => fe.putBinding(uid)));
    // A backend just (re)started: its cache of connector bindings is cold when 32 broadcasts arrive at once.
    const backend = await bindingStorage('room-1', prefix);
    const reads = jest.spyOn(backend, 'readFrontendId');
    const results = await Promise.all(Array.from({ length: 32 }, () => backend.frontendsOf(uids, 'connector')));
    for (const found of results) expect(found).toEqual(uids.map(() => 'fe-1'));
    // Without the wait each broadcast read all 300 members (9,600 reads, which also crowded out the
    // snapshot, keeping the cache cold): now the snapshot answers all of them.
    expect(reads).not.toHaveBeenCalled();
  });

  it('shares one etcd read between concurrent lookups of the same uid', async () => {
    const prefix = uniquePrefix();
    const fe = await bindingStorage('fe-1', prefix);
    await fe.putBinding('user-1');
    const backend = await bindingStorage('room-1', prefix);
    const gets = jest.spyOn(Namespace.prototype, 'get');
    try {
      const found = await Promise.all(Array.from({ length: 50 }, () => backend.readFrontendId('user-1', 'connector')));
      expect(found).toEqual(found.map(() => 'fe-1'));
      expect(gets).toHaveBeenCalledTimes(1);
      // Once answered, the next lookup reads again (nothing is cached past the read itself).
      expect(await backend.readFrontendId('user-1', 'connector')).toBe('fe-1');
      expect(gets).toHaveBeenCalledTimes(2);
    } finally {
      gets.mockRestore();
    }
  });

  it('after a failed load, does not try again for a while (an unreachable etcd is not asked on every broadcast)', async () => {
    const client = new Etcd3({ hosts: `127.0.0.1:${await freePort()}`, dialTimeout: 200 });
    const cache = new BindingCache(client.namespace('nowhere/'), 'connector', 200, capturingLogger().logger);
    try {
      expect(cache.get('user-1')).toBeNull(); // starts a load, which fails: nothing listens there
      const attempt = cache.loading();
      expect(attempt).toBeDefined();
      await attempt; // never rejects
      expect(cache.ready).toBe(false);
      expect(cache.get('user-1')).toBeNull();
      expect(cache.loading()).toBeUndefined(); // no new attempt inside BINDING_CACHE_RETRY_MS
    } finally {
      await cache.close();
      client.close();
    }
  });
});
