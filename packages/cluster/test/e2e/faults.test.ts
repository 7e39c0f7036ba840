/**
 * Failures a production cluster meets: a backend killed with requests in flight, an etcd outage,
 * and (NATS) a nats-server outage. Real processes, real etcd, real gRPC, then a real nats-server.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import type { ServerProcess } from '@pitaya-ts/testing';
import { startE2eServer } from '../support/e2e-server';
import { startTransport, TRANSPORTS, type TransportHarness } from '../support/transports';

/** Lease TTL of the servers in this suite. */
const TTL_MS = 3000;
const SHORT_TTL = {
  PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: `${TTL_MS / 1000}s`,
  PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '4s',
  PITAYA_CLUSTER_RPC_CLIENT_NATS_REQUESTTIMEOUT: '4s',
};

describe.each(TRANSPORTS)('faults over %s', (transport) => {
  let etcd: EtcdHandle;
  let rpc: TransportHarness;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];

  const server = async (prefix: string, args: Record<string, string>, env: Record<string, string> = {}): Promise<ServerProcess> => {
    const started = await startE2eServer({ etcd: etcd.endpoint, sdprefix: prefix, ...args }, rpc.env({ ...SHORT_TTL, ...env }));
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
    [etcd, rpc] = await Promise.all([startEtcd(), startTransport(transport)]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await Promise.all([etcd?.stop(), rpc?.stop()]);
  }, 30_000);

  it('a backend killed with SIGKILL: in-flight requests fail within their deadline, then the frontend stops routing to it', async () => {
    const prefix = `kill-${randomUUID()}/`;
    const backend = await server(prefix, { type: 'game', frontend: 'false' });
    const front = await server(prefix, { type: 'connector' });
    const users = await Promise.all([1, 2, 3].map(() => connect(front)));
    const probe = await connect(front);
    await waitFor(async () => (await outcome(users[0]!.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });

    const sentAt = Date.now();
    const inFlight = users.flatMap((c) => [outcome(c.request('game.testsvc.sleep', { ms: 3000 })), outcome(c.request('game.testsvc.serverid'))]);
    // The sleeps were written before the probe, and the frontend forwards in the order it reads: once the probe's
    // answer is back, the sleeps are at the backend (each user's serverid waits behind its sleep: ordered sessions).
    expect((await outcome(probe.request('game.testsvc.serverid'))).ok).toBe(true);
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
    // The outage itself, not a wait for an event: it must outlast the lease TTL, to show that nothing
    // expires while etcd is down and that what is known keeps working.
    await new Promise((r) => setTimeout(r, TTL_MS + 1000));
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

  if (transport === 'nats') {
    it('nats-server killed and restarted during traffic: requests fail fast, nobody crashes, traffic and pushes resume', async () => {
      const prefix = `nats-${randomUUID()}/`;
      // Two reconnect attempts 300 ms apart: the outage outlasts them, which is where Pitaya kills the process.
      const giveUpEarly = {
        PITAYA_CLUSTER_RPC_CLIENT_NATS_MAXRECONNECTIONRETRIES: '2',
        PITAYA_CLUSTER_RPC_SERVER_NATS_MAXRECONNECTIONRETRIES: '2',
        PITAYA_CLUSTER_RPC_CLIENT_NATS_RECONNECTWAIT: '300ms',
        PITAYA_CLUSTER_RPC_SERVER_NATS_RECONNECTWAIT: '300ms',
      };
      const backend = await server(prefix, { type: 'game', frontend: 'false' }, giveUpEarly);
      const front = await server(prefix, { type: 'connector' }, giveUpEarly);
      const users = await Promise.all([1, 2, 3, 4].map(() => connect(front)));
      await waitFor(async () => (await outcome(users[0]!.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });
      const pushee = await PitayaClient.connect(`tcp://127.0.0.1:${front.tcpPort}`, { encoding: 'raw', requestTimeoutMs: 10_000 });
      clients.push(pushee);
      const uid = randomUUID();
      expect(Buffer.from((await pushee.request('connector.testsvc.testbindid', Buffer.from(uid))) as Uint8Array).toString()).toBe('ack');

      type Sample = { ok: boolean; code?: string; sentAt: number; tookMs: number };
      const samples: Sample[] = [];
      let running = true;
      const traffic = users.map(async (c) => {
        while (running) {
          const sentAt = Date.now();
          const r = await outcome(c.request('game.testsvc.serverid'));
          samples.push({ ok: r.ok, code: r.code, sentAt, tookMs: r.at - sentAt });
          await new Promise((resolve) => setTimeout(resolve, 20)); // pacing: a client, not a flood
        }
      });
      await waitFor(() => samples.filter((s) => s.ok).length >= 20, { timeoutMs: 10_000 });

      const killedAt = Date.now();
      await rpc.nats!.kill();
      // The outage lasts until requests sent during it have failed, two per client on average.
      await waitFor(() => samples.filter((s) => !s.ok && s.sentAt > killedAt + 200).length >= 2 * users.length, {
        timeoutMs: 20_000, message: 'requests sent while NATS was down did not fail',
      });
      const restartedAt = Date.now();
      await rpc.nats!.restart();
      await waitFor(() => samples.some((s) => s.ok && s.sentAt > restartedAt), { timeoutMs: 20_000, message: 'traffic did not resume after NATS came back' });
      const resumedAt = samples.find((s) => s.ok && s.sentAt > restartedAt)!.sentAt;
      await waitFor(() => samples.filter((s) => s.ok && s.sentAt > resumedAt).length >= 20, { timeoutMs: 10_000 });
      running = false;
      await Promise.all(traffic);

      // Sent while NATS was down: all errors, none hanging past the request timeout (4 s) plus slack.
      const during = samples.filter((s) => s.sentAt > killedAt + 200 && s.sentAt < restartedAt);
      expect(during.length).toBeGreaterThan(0);
      for (const s of during) {
        expect(s.ok).toBe(false);
        expect(['PIT-500', 'PIT-408']).toContain(s.code);
        expect(s.tookMs).toBeLessThan(4000 + 1500);
      }
      // Nobody died, every client is still connected, and pushes reach the user bound before the outage
      // (its push subject was subscribed again on the rebuilt connection).
      expect(backend.child.exitCode).toBeNull();
      expect(front.child.exitCode).toBeNull();
      expect([...users, pushee].every((c) => c.connected)).toBe(true);
      const pushed = new Promise<unknown>((resolve) => pushee.on('route.sendtousers', resolve));
      await waitFor(async () => {
        pushee.notify('game.testsvc.testsendtousers', Buffer.from(JSON.stringify({ msg: 'after the outage', uids: [uid] })));
        return Promise.race([pushed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300))]);
      }, { timeoutMs: 10_000, message: 'no push after the outage' });

      const failedFast = during.filter((s) => s.code === 'PIT-500');
      console.log(JSON.stringify({
        natsOutageMs: restartedAt - killedAt,
        requestsDuringOutage: during.length,
        failedFastPit500: failedFast.length,
        timedOutPit408: during.length - failedFast.length,
        maxErrorLatencyMs: Math.max(...during.map((s) => s.tookMs)),
        medianErrorLatencyMs: during.map((s) => s.tookMs).sort((a, b) => a - b)[Math.floor(during.length / 2)],
        firstSuccessAfterRestartMs: resumedAt - restartedAt,
        okTotal: samples.filter((s) => s.ok).length,
      }));
    }, 90_000);
  }
});
