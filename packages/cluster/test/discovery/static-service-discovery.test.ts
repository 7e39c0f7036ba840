import { StaticServiceDiscovery, type ServerInfo } from '@pitaya-ts/cluster';
import { serverInfo } from '../helpers';

describe('StaticServiceDiscovery', () => {
  it('serves a fixed list plus itself and notifies listeners of run-time changes', async () => {
    const room = serverInfo('room');
    const sd = new StaticServiceDiscovery([room]);
    const added: ServerInfo[] = [];
    const removed: ServerInfo[] = [];
    const unsubscribe = sd.addListener({ onServerAdded: (s) => added.push(s), onServerRemoved: (s) => removed.push(s) });
    expect(sd.healthy).toBe(false);

    const self = serverInfo('connector', { frontend: true });
    await sd.start(self);
    expect(sd.healthy).toBe(true);
    expect(added).toEqual([]); // never for itself
    expect(sd.getServers()).toEqual([room, self]);
    expect(sd.getServersByType('room')).toEqual([room]);
    expect(sd.getServersByType('nope')).toEqual([]);
    expect(sd.getServer(self.id)).toEqual(self);

    const other = serverInfo('room');
    sd.addServer(other);
    expect(added).toEqual([other]);
    expect(sd.getServersByType('room')).toEqual([room, other]);
    const moved = { ...other, metadata: { grpcPort: '2' } };
    sd.addServer(moved);
    expect(removed).toEqual([other]);
    expect(added).toEqual([other, moved]);
    sd.addServer(moved); // unchanged: no notification
    expect(added).toHaveLength(2);

    expect(sd.removeServer(room.id)).toBe(true);
    expect(sd.removeServer(room.id)).toBe(false);
    unsubscribe();
    sd.addServer(serverInfo('room'));
    expect(added).toHaveLength(2);
    expect(() => sd.addServer(serverInfo('bad/type'))).toThrow(/must not contain "\/"/);
    await sd.stop();
    expect(sd.healthy).toBe(false);
  });

  it('returns frozen snapshots', async () => {
    const sd = new StaticServiceDiscovery([serverInfo('room')]);
    expect(Object.isFrozen(sd.getServers())).toBe(true);
    expect(Object.isFrozen(sd.getServersByType('room'))).toBe(true);
    expect(Object.isFrozen(sd.getServers()[0]?.metadata)).toBe(true);
  });
});
