/**
 * Failures a production cluster meets: a backend killed with requests in flight, and an etcd
 * outage. Real processes, real etcd, real gRPC.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import type { ServerProcess } from '@pitaya-ts/testing';
import { startE2eServer } from '../support/e2e-server';

const SHORT_TTL = { PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: '3s', PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '4s' };

describe('faults', () => {
  let etcd: EtcdHandle;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];

  const server = async (prefix: string, args: Record<string, string>): Promise<ServerProcess> => {
    const started = await startE2eServer({ etcd: etcd.endpoint, sdprefix: prefix, ...args }, SHORT_TTL);
    servers.push(started);
    return started;
  };
  const connect = async (to: ServerProcess): Promise<PitayaClient> => {
    const client = await PitayaClient.connect(`tcp://127.0.0.1:${to.tcpPort}`, { requestTimeoutMs: 10_000 });
    clients.push(client);
    return client;
  };
  const outcome = (p: Promise<unknown>): Promise<{ ok: boolean; code?: string; msg?: string; at: number }> =>
    p.then(
      () => ({ ok: true, at: Date.now() }),
      (e: unknown) => ({ ok: false, code: (e as ClientError).code, msg: (e as ClientError).message, at: Date.now() }),
    );

  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await etcd?.stop();
  }, 30_000);

  it('a backend killed with SIGKILL: in-flight requests fail within their deadline, then the frontend stops routing to it', async () => {
    const prefix = `kill-${randomUUID()}/`;
    const backend = await server(prefix, { type: 'game', frontend: 'false' });
    const front = await server(prefix, { type: 'connector' });
    const users = await Promise.all([1, 2, 3].map(() => connect(front)));
    await waitFor(async () => (await outcome(users[0]!.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });

    const sentAt = Date.now();
    const inFlight = users.flatMap((c) => [outcome(c.request('game.testsvc.sleep', { ms: 3000 })), outcome(c.request('game.testsvc.serverid'))]);
    await new Promise((r) => setTimeout(r, 300));
    await backend.stop('SIGKILL');

    const results = await Promise.all(inFlight);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(['PIT-500', 'PIT-408']).toContain(r.code);
      expect(r.at - sentAt).toBeLessThan(4000 + 1500);
    }
    // Before etcd drops it, calls fail fast instead of hanging; after its TTL, the type has no server.
    const fast = await outcome(users[0]!.request('game.testsvc.serverid'));
    expect(fast.ok).toBe(false);
    await waitFor(async () => (await outcome(users[0]!.request('game.testsvc.serverid'))).msg === 'no servers available of this type', {
      timeoutMs: 10_000, message: 'the frontend still routes to the dead backend',
    });
    // A replacement backend is used as soon as it registers.
    await server(prefix, { type: 'game', frontend: 'false' });
    await waitFor(async () => (await outcome(users[1]!.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });
  }, 60_000);

  it('etcd stopped and restarted: servers keep serving, re-register, and discovery recovers without a restart', async () => {
    const prefix = `outage-${randomUUID()}/`;
    const backend = await server(prefix, { type: 'game', frontend: 'false' });
    const front = await server(prefix, { type: 'connector' });
    const client = await connect(front);
    await waitFor(async () => (await outcome(client.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });

    await etcd.kill();
    // Longer than the TTL: nothing expires while etcd is down, and what is known keeps working.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await client.request('game.testsvc.serverid')).toEqual({ id: backend.id });

    await etcd.restart();
    const kv = new Etcd3({ hosts: etcd.url });
    try {
      await waitFor(async () => {
        const keys = await kv.getAll().prefix(`${prefix}servers/`).keys();
        return keys.includes(`${prefix}servers/game/${backend.id}`) && keys.includes(`${prefix}servers/connector/${front.id}`);
      }, { timeoutMs: 20_000, message: 'servers did not re-register after etcd came back' });
    } finally {
      kv.close();
    }
    // The frontend's watch works again: a server started now is found and used.
    const late = await server(prefix, { type: 'late', frontend: 'false' });
    await waitFor(async () => (await outcome(client.request('late.testsvc.serverid'))).ok, { timeoutMs: 15_000 });
    expect(await client.request('late.testsvc.serverid')).toEqual({ id: late.id });
  }, 90_000);
});
