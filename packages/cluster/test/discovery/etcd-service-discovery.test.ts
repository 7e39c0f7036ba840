import { Etcd3 } from 'etcd3';
import {
  EtcdServiceDiscovery,
  encodeServerInfo,
  type EtcdServiceDiscoveryOptions,
  type ServerInfo,
  type ServiceDiscoveryListener,
} from '@pitaya-ts/cluster';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { capturingLogger, LogLevel, serverInfo, uniquePrefix } from '../helpers';

let etcd: EtcdHandle;
let raw: Etcd3;
const running: EtcdServiceDiscovery[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sd) => sd.stop()));
});

afterAll(async () => {
  raw?.close();
  await etcd?.stop();
});

function discovery(options: EtcdServiceDiscoveryOptions, logger = capturingLogger().logger): EtcdServiceDiscovery {
  const sd = new EtcdServiceDiscovery({ endpoints: [etcd.endpoint], shutdownDelayMs: 0, ...options }, { logger });
  running.push(sd);
  return sd;
}

function recorder(): ServiceDiscoveryListener & { added: ServerInfo[]; removed: ServerInfo[] } {
  const added: ServerInfo[] = [];
  const removed: ServerInfo[] = [];
  return { added, removed, onServerAdded: (s) => added.push(s), onServerRemoved: (s) => removed.push(s) };
}

describe('EtcdServiceDiscovery', () => {
  it('registers under <prefix>servers/<type>/<id> with the Go JSON, and two instances see each other', async () => {
    const prefix = uniquePrefix();
    const connector = serverInfo('connector', { frontend: true, metadata: { grpcHost: '127.0.0.1', grpcPort: '3434' } });
    const room = serverInfo('room');
    const a = discovery({ prefix });
    const b = discovery({ prefix });
    const heardByA = recorder();
    a.addListener(heardByA);

    await a.start(connector);
    expect(a.healthy).toBe(true);
    expect(await raw.get(`${prefix}servers/connector/${connector.id}`).string()).toBe(encodeServerInfo(connector));
    expect(a.getServers()).toEqual([connector]);

    await b.start(room);
    expect(b.getServer(connector.id)).toEqual(connector);
    await waitFor(() => heardByA.added.length === 1, { message: 'A to hear about B' });
    expect(heardByA.added).toEqual([room]);
    expect(a.getServersByType('room')).toEqual([room]);
    expect(a.getServersByType('connector')).toEqual([connector]);
    expect(a.getServersByType('gate')).toEqual([]);
    expect(a.getServers()).toHaveLength(2);
  });

  it('ignores blacklisted server types, except its own registration', async () => {
    const prefix = uniquePrefix();
    const room = serverInfo('room');
    const chat = serverInfo('chat');
    await discovery({ prefix }).start(room);
    await discovery({ prefix }).start(chat);
    const self = serverInfo('room');
    const sd = discovery({ prefix, serverTypesBlacklist: ['room'] });
    await sd.start(self);
    expect(sd.getServersByType('room')).toEqual([self]);
    expect(sd.getServer(chat.id)).toEqual(chat);
    await discovery({ prefix }).start(serverInfo('room'));
    await waitFor(() => sd.getServersByType('chat').length === 1);
    expect(sd.getServersByType('room')).toEqual([self]);
  });

  it('revokes its lease on stop, so peers drop it at once', async () => {
    const prefix = uniquePrefix();
    const a = discovery({ prefix });
    const b = discovery({ prefix, shutdownDelayMs: 50 });
    const heard = recorder();
    a.addListener(heard);
    const leaving = serverInfo('room');
    await a.start(serverInfo('connector'));
    await b.start(leaving);
    await waitFor(() => a.getServer(leaving.id));

    const stoppedAt = Date.now();
    await b.stop();
    expect(b.healthy).toBe(false);
    expect(await raw.get(`${prefix}servers/room/${leaving.id}`).exists()).toBe(false);
    await waitFor(() => heard.removed.length === 1, { timeoutMs: 2000, message: 'A to see B leave' });
    expect(heard.removed).toEqual([leaving]);
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    expect(a.getServer(leaving.id)).toBeUndefined();
  });

  it('drops a server that vanished without revoking once its TTL expires', async () => {
    const prefix = uniquePrefix();
    const sd = discovery({ prefix });
    await sd.start(serverInfo('connector'));
    // A crashed server (Go or ours): a key on a 2 s lease that nobody keeps alive.
    const crashed = serverInfo('room');
    const lease = raw.lease(2, { autoKeepAlive: false });
    await lease.put(`${prefix}servers/room/${crashed.id}`).value(encodeServerInfo(crashed));
    await waitFor(() => sd.getServer(crashed.id));
    await waitFor(() => sd.getServer(crashed.id) === undefined, { timeoutMs: 5000, message: 'the TTL to expire' });
  });

  it('repairs a missed delete and a missed put on the periodic resync', async () => {
    const prefix = uniquePrefix();
    const logs = capturingLogger();
    const sd = discovery({ prefix, syncIntervalMs: 200 }, logs.logger);
    const heard = recorder();
    sd.addListener(heard);
    const gone = serverInfo('room');
    await raw.put(`${prefix}servers/room/${gone.id}`).value(encodeServerInfo(gone));
    await sd.start(serverInfo('connector'));
    expect(sd.getServer(gone.id)).toEqual(gone);

    // Make the watch miss changes (as after a dropped stream), then change etcd behind its back.
    await (sd as unknown as { mirror: { unwatch(): Promise<void> } }).mirror.unwatch();
    const late = serverInfo('chat');
    await raw.delete().key(`${prefix}servers/room/${gone.id}`);
    await raw.put(`${prefix}servers/chat/${late.id}`).value(encodeServerInfo(late));
    await waitFor(() => sd.getServer(gone.id) === undefined && sd.getServer(late.id), { message: 'the resync' });
    expect(heard.removed).toEqual([gone]);
    expect(heard.added).toEqual([gone, late]);
    expect(logs.lines.some((l) => l.msg === 'removing a server that is no longer in etcd' && l.serverId === gone.id)).toBe(true);
  });

  it('applies a re-PUT with changed metadata (removed + added for listeners)', async () => {
    const prefix = uniquePrefix();
    const a = discovery({ prefix });
    const heard = recorder();
    a.addListener(heard);
    await a.start(serverInfo('connector'));
    const room = serverInfo('room', { metadata: { grpcPort: '1' } });
    await discovery({ prefix }).start(room);
    await waitFor(() => a.getServer(room.id));

    const moved = { ...room, metadata: { grpcPort: '2' } };
    await raw.put(`${prefix}servers/room/${room.id}`).value(encodeServerInfo(moved)).ignoreLease();
    await waitFor(() => a.getServer(room.id)?.metadata.grpcPort === '2', { message: 'the metadata update' });
    expect(heard.added).toEqual([room, moved]);
    expect(heard.removed).toEqual([room]);
    expect(a.getServersByType('room')).toEqual([moved]);
  });

  it('ignores malformed keys and values with a warning', async () => {
    const prefix = uniquePrefix();
    const logs = capturingLogger();
    const sd = discovery({ prefix }, logs.logger);
    await raw.put(`${prefix}servers/room`).value('{}');
    await sd.start(serverInfo('connector'));
    await raw.put(`${prefix}servers/room/x/y`).value('{}');
    await raw.put(`${prefix}servers/room/bad-json`).value('{nope');
    await raw.put(`${prefix}servers/room/other-id`).value(encodeServerInfo(serverInfo('room', { id: 'mismatch' })));
    await waitFor(() => logs.lines.filter((l) => l.level === LogLevel.warn).length >= 4, { message: 'four warnings' });
    expect(sd.getServers()).toHaveLength(1);
  });

  it('keeps notifying listeners when one throws, and stops notifying removed ones', async () => {
    const prefix = uniquePrefix();
    const sd = discovery({ prefix });
    const heard = recorder();
    sd.addListener({ onServerAdded: () => { throw new Error('listener bug'); } });
    const removeHeard = sd.addListener(heard);
    await sd.start(serverInfo('connector'));
    await discovery({ prefix }).start(serverInfo('room'));
    await waitFor(() => heard.added.length === 1);
    removeHeard();
    await discovery({ prefix }).start(serverInfo('room'));
    await waitFor(() => sd.getServersByType('room').length === 2);
    expect(heard.added).toHaveLength(1);
  });

  it('rejects invalid descriptors and an unreachable etcd at start', async () => {
    await expect(discovery({ prefix: uniquePrefix() }).start(serverInfo('a.b'))).rejects.toThrow(/must not contain "\."/);
    const nowhere = new EtcdServiceDiscovery(
      { endpoints: '127.0.0.1:1', dialTimeoutMs: 500, shutdownDelayMs: 0 },
      { logger: capturingLogger().logger },
    );
    await expect(nowhere.start(serverInfo('room'))).rejects.toThrow(/cannot register server .* in etcd/);
    expect(nowhere.healthy).toBe(false);
  });
});
