/**
 * Chaos suite: real server processes killed with SIGKILL, a real etcd stopped, real clients
 * measuring what they see. Sized for CI (well under a minute); `CHAOS_ROOM_SIZE` scales the room.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { ServerProcess, startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import { startE2eServer } from '../support/e2e-server';

const APPS = path.resolve(__dirname, '../../../../apps/cluster/dist');
// 200 players is the room of the crash report: on an unshared 2-core runner they rejoin in ~1.5 s (3 runs: 1.44–1.49 s)
// against the 5 s forward deadline. Each chat join costs 5 etcd operations, so a machine shared with other heavy
// work can push the storm past that deadline: set CHAOS_ROOM_SIZE lower there.
const ROOM_SIZE = Number(process.env.CHAOS_ROOM_SIZE ?? 200);

interface Outcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly sentAt: number;
  readonly at: number;
}

const outcome = (p: Promise<unknown>, sentAt = Date.now()): Promise<Outcome> =>
  p.then(
    () => ({ ok: true, sentAt, at: Date.now() }),
    (e: unknown) => ({ ok: false, code: (e as ClientError).code, sentAt, at: Date.now() }),
  );

describe('chaos', () => {
  let etcd: EtcdHandle;
  let kv: Etcd3;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];

  const track = <T extends ServerProcess>(server: T): T => {
    servers.push(server);
    return server;
  };
  const connect = async (url: string): Promise<PitayaClient> => {
    const client = await PitayaClient.connect(url, { requestTimeoutMs: 15_000 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    etcd = await startEtcd();
    kv = new Etcd3({ hosts: etcd.url });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    kv?.close();
    await etcd?.stop();
  }, 30_000);

  it('kill -9 of a backend: no request hangs, the survivor serves at once, a backend restarted under a new id within 3 s', async () => {
    const sdprefix = `chaos-be-${randomUUID()}/`;
    // The default 60 s registration TTL: recovery must not wait for the dead server's lease.
    const env = { PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '4s' };
    const game = (): Promise<ServerProcess> => startE2eServer({ etcd: etcd.endpoint, sdprefix, type: 'game', frontend: 'false' }, env).then(track);
    const [b1, b2] = await Promise.all([game(), game()]);
    const front = track(await startE2eServer({ etcd: etcd.endpoint, sdprefix, type: 'connector' }, env));
    const users = await Promise.all([1, 2, 3, 4].map(() => connect(`tcp://127.0.0.1:${front.tcpPort}`)));
    await waitFor(async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await users[0]!.request<{ id: string }>('game.testsvc.serverid').catch(() => undefined);
        if (r) ids.add(r.id);
      }
      return ids.size === 2;
    }, { timeoutMs: 15_000, message: 'the frontend does not see both backends' });

    // Every user sends requests one after another until told to stop.
    const results: (Outcome & { server?: string })[] = [];
    let running = true;
    const loops = users.map(async (client) => {
      while (running) {
        const sentAt = Date.now();
        const r = await client.request<{ id: string }>('game.testsvc.serverid').then(
          (reply) => ({ ok: true, server: reply.id, sentAt, at: Date.now() }),
          (e: unknown) => ({ ok: false, code: (e as ClientError).code, sentAt, at: Date.now() }),
        );
        results.push(r);
        // Pacing, not synchronisation: a request failing fast must not turn this loop into a busy spin.
        if (!r.ok) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const during = async (ms: number): Promise<void> => {
      await new Promise((r) => setTimeout(r, ms));
    };

    await during(500);
    await b1.stop('SIGKILL');
    const killedAt = Date.now();
    await during(2000);
    // One dead server among two: at most the calls already on its channel fail, then only b2 answers.
    const afterKill = results.filter((r) => r.sentAt > killedAt + 1000);
    expect(afterKill.length).toBeGreaterThan(10);
    expect(afterKill.filter((r) => !r.ok)).toEqual([]);
    expect(afterKill.filter((r) => r.server !== b2.id)).toEqual([]);

    // Both dead (still registered for a minute): requests fail fast, none hangs.
    await b2.stop('SIGKILL');
    const bothDeadAt = Date.now();
    await during(1000);
    const spawnedAt = Date.now();
    const b3 = await game();
    const restartedAt = Date.now();
    await waitFor(() => results.some((r) => r.ok && r.sentAt >= restartedAt && r.server === b3.id), { timeoutMs: 10_000, message: 'the restarted backend never served' });
    const firstServed = results.find((r) => r.ok && r.sentAt >= restartedAt)!;
    const recoveryMs = firstServed.at - restartedAt;
    await during(1500);
    running = false;
    await Promise.all(loops);

    // From b2's exit to the spawn of its replacement, nothing can serve.
    const whileDead = results.filter((r) => r.sentAt > bothDeadAt && r.sentAt < spawnedAt);
    expect(whileDead.length).toBeGreaterThan(0);
    // They fail fast with PIT-500 (well inside the 4 s deadline, even on a loaded runner).
    expect(whileDead.filter((r) => r.ok || r.code !== 'PIT-500' || r.at - r.sentAt >= 2500)).toEqual([]);
    expect(recoveryMs).toBeLessThanOrEqual(3000);
    // Once the restarted backend is in, nothing fails (the dead ones are never probed with requests).
    expect(results.filter((r) => r.sentAt > firstServed.at && !r.ok)).toEqual([]);
    // No request ever hung: each one answered within the RPC deadline (4 s) plus a margin.
    expect(Math.max(...results.map((r) => r.at - r.sentAt))).toBeLessThan(5000);
    console.log(`chaos: backend restarted under a new id served ${recoveryMs} ms after it started; ${results.length} requests, ${results.filter((r) => !r.ok).length} failed (all while no backend was alive or on the killed channel)`);
  }, 60_000);

  it('kill -9 of a frontend: no ghost members, and the full room reconnects to a new frontend without an error', async () => {
    const prefix = `chaos-fe-${randomUUID().slice(0, 8)}/`;
    const env = {
      PITAYA_CLUSTER_SD_ETCD_ENDPOINTS: etcd.endpoint,
      PITAYA_CLUSTER_SD_ETCD_PREFIX: prefix,
      PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: '3s',
      PITAYA_CLUSTER_RPC_SERVER_GRPC_HOST: '127.0.0.1',
      CHAT_HOST: '127.0.0.1', CHAT_WS_PORT: '0', CHAT_TCP_PORT: '0', CHAT_HTTP_PORT: '0',
    };
    const connector = async (): Promise<ServerProcess> => track(await ServerProcess.start(path.join(APPS, 'connector-server.js'), {}, { env }));
    track(await ServerProcess.start(path.join(APPS, 'room-server.js'), {}, { env }));
    const members = async (): Promise<string[]> =>
      (await kv.getAll().prefix(`${prefix}groups/room/uids/`).keys()).map((k) => k.slice(`${prefix}groups/room/uids/`.length));

    /** Connects the room to `front`; joins in waves of `wave` players (everyone at once: a storm). */
    const joinAll = async (front: ServerProcess, wave: number): Promise<Outcome[]> => {
      const room = await Promise.all(Array.from({ length: ROOM_SIZE }, () => connect(`tcp://127.0.0.1:${front.info.listening[1]!.port}`)));
      const results: Outcome[] = [];
      for (let i = 0; i < room.length; i += wave) {
        results.push(...await Promise.all(room.slice(i, i + wave).map((client) => outcome(client.request('room.room.join')))));
      }
      return results;
    };

    const first = await connector();
    // Players arrive over time in a normal day.
    const firstJoins = await joinAll(first, 20);
    expect(firstJoins.filter((r) => !r.ok)).toEqual([]);
    expect(await members()).toHaveLength(ROOM_SIZE);

    await first.stop('SIGKILL');
    const second = await connector();
    const stormStart = Date.now();
    const storm = await joinAll(second, ROOM_SIZE);
    const stormMs = Date.now() - stormStart;
    const slowest = Math.max(...storm.map((r) => r.at - r.sentAt));
    expect(storm.filter((r) => !r.ok)).toEqual([]);

    // The dead connector's users leave the room once its registration expires (3 s here) and the grace passes.
    await waitFor(async () => (await members()).length === ROOM_SIZE, { timeoutMs: 15_000, message: 'ghost members stayed in the room' });
    const prefixOfSecond = second.id.slice(0, 8);
    expect((await members()).every((uid) => uid.startsWith(`${prefixOfSecond}:`))).toBe(true);
    const bindings = await kv.getAll().prefix(`${prefix}bindings/connector/`).strings();
    expect(new Set(Object.values(bindings))).toEqual(new Set([second.id]));
    console.log(`chaos: ${ROOM_SIZE} players rejoined a restarted connector in ${stormMs} ms (slowest join ${slowest} ms), 0 errors; ghosts swept`);
  }, 90_000);

  it('etcd outage: requests and pushes to users keep working; registrations come back', async () => {
    const sdprefix = `chaos-etcd-${randomUUID()}/`;
    const env = { PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: '3s', PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '4s' };
    const backend = track(await startE2eServer({ etcd: etcd.endpoint, sdprefix, type: 'game', frontend: 'false' }, env));
    const front = track(await startE2eServer({ etcd: etcd.endpoint, sdprefix, type: 'connector' }, env));
    const client = await connect(`tcp://127.0.0.1:${front.tcpPort}`);
    await client.request('connector.testsvc.testbind');
    const bound = await kv.getAll().prefix(`${sdprefix}bindings/connector/`).keys();
    expect(bound).toHaveLength(1);
    const uid = bound[0]!.slice(`${sdprefix}bindings/connector/`.length);
    const pushes: unknown[] = [];
    client.on('route.sendtousers', (body) => pushes.push(body));
    await waitFor(async () => (await outcome(client.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000 });
    // The backend has located the user once (its binding cache is loaded).
    client.notify('game.testsvc.testsendtousers', { msg: 'before', uids: [uid] });
    await waitFor(() => pushes.length === 1, { timeoutMs: 10_000, message: 'push before the outage not delivered' });

    await etcd.kill();
    try {
      const outageStart = Date.now();
      // Longer than the registration TTL: nothing known is dropped, requests and pushes go on.
      // Requests back to back (each awaited) until the outage has outlived the registration TTL.
      while (Date.now() - outageStart < 4000) {
        expect(await client.request('game.testsvc.serverid')).toEqual({ id: backend.id });
      }
      client.notify('game.testsvc.testsendtousers', { msg: 'during', uids: [uid] });
      await waitFor(() => pushes.length === 2, { timeoutMs: 5000, message: 'a push to a user failed during the etcd outage' });
    } finally {
      await etcd.restart();
    }
    await waitFor(async () => {
      const keys = await kv.getAll().prefix(`${sdprefix}servers/`).keys();
      return keys.includes(`${sdprefix}servers/game/${backend.id}`) && keys.includes(`${sdprefix}servers/connector/${front.id}`);
    }, { timeoutMs: 20_000, message: 'servers did not re-register after etcd came back' });
    client.notify('game.testsvc.testsendtousers', { msg: 'after', uids: [uid] });
    await waitFor(() => pushes.length === 3, { timeoutMs: 10_000 });
  }, 60_000);
});
