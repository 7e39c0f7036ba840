import { Etcd3 } from 'etcd3';
import { EtcdServiceDiscovery } from '@pitaya-ts/cluster';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { capturingLogger, LogLevel, serverInfo, uniquePrefix, type LogLine } from '../helpers';

// Kills and restarts etcd: this file owns its etcd, and its tests run one after the other.
let etcd: EtcdHandle;
const running: EtcdServiceDiscovery[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sd) => sd.stop()));
});

afterAll(async () => {
  await etcd?.stop();
});

interface Instance {
  readonly sd: EtcdServiceDiscovery;
  readonly lines: LogLine[];
  readonly health: boolean[];
}

function instance(prefix: string): Instance {
  const { logger, lines } = capturingLogger();
  const sd = new EtcdServiceDiscovery(
    { endpoints: [etcd.endpoint], prefix, heartbeatTtlSeconds: 2, revokeTimeoutMs: 1000, shutdownDelayMs: 0, reconnectMaxDelayMs: 500 },
    { logger },
  );
  const health: boolean[] = [];
  sd.onHealthChange((h) => health.push(h));
  running.push(sd);
  return { sd, lines, health };
}

async function withClient<T>(use: (client: Etcd3) => Promise<T>): Promise<T> {
  const client = new Etcd3({ hosts: etcd.endpoint });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

const registeredKeys = (prefix: string): Promise<string[]> =>
  withClient(async (c) => (await c.getAll().prefix(`${prefix}servers/`).keys()).sort());

/** Remaining TTL (s) of the lease each registration hangs on; -1 when that lease does not exist. */
const registrationTtls = (prefix: string): Promise<number[]> =>
  withClient(async (c) => {
    const { kvs } = await c.getAll().prefix(`${prefix}servers/`).exec();
    return Promise.all(kvs.map(async (kv) => Number((await c.leaseClient.leaseTimeToLive({ ID: kv.lease })).TTL)));
  });

describe('EtcdServiceDiscovery during an etcd outage', () => {
  it('keeps the known servers while etcd is down and re-registers once it is back', async () => {
    const prefix = uniquePrefix();
    const a = instance(prefix);
    const b = instance(prefix);
    const connector = serverInfo('connector', { frontend: true });
    const room = serverInfo('room');
    await a.sd.start(connector);
    await b.sd.start(room);
    await waitFor(() => a.sd.getServer(room.id));

    await etcd.kill();
    await waitFor(() => !a.sd.healthy && !b.sd.healthy, { message: 'both to notice the outage' });
    expect(a.sd.getServers()).toHaveLength(2);
    expect(a.sd.getServer(room.id)).toEqual(room);
    expect(b.sd.getServersByType('connector')).toEqual([connector]);
    expect(a.lines.some((l) => l.level === LogLevel.warn && /etcd unavailable/.test(l.msg))).toBe(true);

    await etcd.restart();
    await waitFor(() => a.sd.healthy && b.sd.healthy, { timeoutMs: 10_000, message: 'both to recover' });
    expect(a.health).toEqual([true, false, true]);
    expect(a.lines.some((l) => l.level === LogLevel.info && /etcd is back/.test(l.msg))).toBe(true);
    expect(await registeredKeys(prefix)).toEqual([`${prefix}servers/connector/${connector.id}`, `${prefix}servers/room/${room.id}`].sort());
    expect(a.sd.getServer(room.id)).toEqual(room);
    expect(b.sd.getServer(connector.id)).toEqual(connector);

    // The recovered watch is live: a newcomer is seen by both.
    const late = serverInfo('chat');
    await instance(prefix).sd.start(late);
    await waitFor(() => a.sd.getServer(late.id) && b.sd.getServer(late.id), { message: 'the newcomer' });
  });

  it('re-registers after etcd lost its data, and peers see each other again', async () => {
    const prefix = uniquePrefix();
    const a = instance(prefix);
    const b = instance(prefix);
    const connector = serverInfo('connector', { frontend: true });
    const room = serverInfo('room');
    await a.sd.start(connector);
    await b.sd.start(room);
    const removedFromA: string[] = [];
    const addedToA: string[] = [];
    a.sd.addListener({ onServerAdded: (s) => addedToA.push(s.id), onServerRemoved: (s) => removedFromA.push(s.id) });

    await etcd.kill();
    await waitFor(() => !a.sd.healthy && !b.sd.healthy, { message: 'both to notice the outage' });
    await etcd.restart({ wipeData: true });
    await waitFor(() => a.sd.healthy && b.sd.healthy, { timeoutMs: 10_000, message: 'both to recover' });
    await waitFor(async () => (await registeredKeys(prefix)).length === 2, { message: 'both keys back' });
    // The old leases died with the data: both keys must hang on newly granted, live leases.
    for (const ttl of await registrationTtls(prefix)) expect(ttl).toBeGreaterThan(0);
    await waitFor(() => a.sd.getServer(room.id) && b.sd.getServer(connector.id), { message: 'peers to see each other' });
    // Whether A briefly dropped B depends on who re-registered first; it must end up knowing B.
    expect(addedToA.length).toBe(removedFromA.length);
    expect(a.sd.getServers()).toHaveLength(2);
  });

  // Last: leaves etcd down (afterAll only removes it).
  it('stops promptly while etcd is down (revoke bounded by revokeTimeoutMs)', async () => {
    const a = instance(uniquePrefix());
    await a.sd.start(serverInfo('room'));
    await etcd.kill();
    await waitFor(() => !a.sd.healthy);
    const started = Date.now();
    await a.sd.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(a.health).toEqual([true, false]);
  });
});

