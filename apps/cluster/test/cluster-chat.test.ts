/**
 * The chat split across processes: two connectors and a room backend, found through etcd, the room
 * group in etcd. Users on different connectors join through the backend and see each other. Runs
 * over gRPC, then over NATS (a throwaway nats-server), as `npm run cluster -- --rpc nats` does.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startEtcd, startNats, waitFor, type EtcdHandle, type NatsHandle } from '@pitaya-ts/testing';
import { PitayaClient } from '@pitaya-ts/client/node';
import { ServerProcess } from '@pitaya-ts/testing';

const DIST = path.resolve(__dirname, '../dist');

describe.each(['grpc', 'nats'] as const)('cluster chat (apps/cluster) over %s', (transport) => {
  let etcd: EtcdHandle;
  let nats: NatsHandle | undefined;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];

  beforeAll(async () => {
    [etcd, nats] = await Promise.all([startEtcd(), transport === 'nats' ? startNats() : undefined]);
    const env = {
      PITAYA_CLUSTER_RPC_TRANSPORT: transport,
      ...(nats ? { PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT: nats.url, PITAYA_CLUSTER_RPC_SERVER_NATS_CONNECT: nats.url } : {}),
      PITAYA_CLUSTER_SD_ETCD_ENDPOINTS: etcd.endpoint,
      PITAYA_CLUSTER_SD_ETCD_PREFIX: `chat-${randomUUID()}/`,
      PITAYA_CLUSTER_RPC_SERVER_GRPC_HOST: '127.0.0.1',
      CHAT_HOST: '127.0.0.1', CHAT_WS_PORT: '0', CHAT_TCP_PORT: '0', CHAT_HTTP_PORT: '0',
    };
    servers.push(await ServerProcess.start(path.join(DIST, 'room-server.js'), {}, { env }));
    servers.push(...(await Promise.all([1, 2].map(() => ServerProcess.start(path.join(DIST, 'connector-server.js'), {}, { env })))));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all([etcd?.stop(), nats?.stop()]);
  }, 30_000);

  it('joins through the room backend and relays messages between users of two connectors', async () => {
    const [alice, bob] = await Promise.all(servers.slice(1).map(async (connector) => {
      const client = await PitayaClient.connect(`ws://127.0.0.1:${connector.info.listening[0]!.port}/pitaya`);
      clients.push(client);
      return client;
    }));
    const aliceSees: unknown[] = [];
    alice!.on('onNewUser', (m) => aliceSees.push(m));
    alice!.on('onMessage', (m) => aliceSees.push(m));
    await waitFor(async () => (await alice!.request('room.room.join', {}).catch(() => undefined)) !== undefined, { timeoutMs: 10_000 });
    const bobMembers: unknown[] = [];
    bob!.on('onMembers', (m) => bobMembers.push(m));
    expect(await bob!.request('room.room.join', {})).toEqual({ code: 0, result: 'success' });
    await waitFor(() => bobMembers.length === 1 && aliceSees.length === 1, { timeoutMs: 5000 });
    expect((bobMembers[0] as { members: string[] }).members).toHaveLength(1);
    expect(aliceSees[0]).toEqual({ content: expect.stringMatching(/^New user: /) });

    bob!.notify('room.room.message', { name: 'bob', content: 'across the cluster' });
    await waitFor(() => aliceSees.length === 2, { timeoutMs: 5000 });
    expect(aliceSees[1]).toEqual({ name: 'bob', content: 'across the cluster' });
  }, 30_000);

  it('removes a user who disconnects from the room (the connector tells the backend)', async () => {
    const carol = await PitayaClient.connect(`ws://127.0.0.1:${servers[1]!.info.listening[0]!.port}/pitaya`);
    clients.push(carol);
    await carol.request('room.room.join', {});
    const dave = await PitayaClient.connect(`ws://127.0.0.1:${servers[2]!.info.listening[0]!.port}/pitaya`);
    clients.push(dave);
    const before: unknown[] = [];
    dave.on('onMembers', (m) => before.push(m));
    await dave.request('room.room.join', {});
    await waitFor(() => before.length === 1);
    const countBefore = (before[0] as { members: string[] }).members.length;
    await carol.close();
    await waitFor(async () => {
      const after: unknown[] = [];
      const probe = await PitayaClient.connect(`ws://127.0.0.1:${servers[2]!.info.listening[0]!.port}/pitaya`);
      probe.on('onMembers', (m) => after.push(m));
      await probe.request('room.room.join', {});
      await waitFor(() => after.length === 1);
      await probe.close();
      // The probe itself joined, and carol left: one more member than dave saw, minus carol.
      return (after[0] as { members: string[] }).members.length === countBefore;
    }, { timeoutMs: 5000 });
  }, 30_000);
});
