/**
 * SIGTERM to a frontend under traffic: every request it has read is answered before it exits, for
 * routes it handles itself and for routes it forwards to a backend. Real processes, etcd, gRPC.
 */
import { randomUUID } from 'node:crypto';
import { startEtcd, waitFor, type EtcdHandle, type ServerProcess } from '@pitaya-ts/testing';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import { startE2eServer } from '../support/e2e-server';

describe('SIGTERM to a frontend loses no request it has read', () => {
  let etcd: EtcdHandle;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];

  const server = async (prefix: string, args: Record<string, string>): Promise<ServerProcess> => {
    const started = await startE2eServer({ etcd: etcd.endpoint, sdprefix: prefix, ...args });
    servers.push(started);
    return started;
  };
  const outcome = (p: Promise<unknown>): Promise<{ ok: boolean; code?: string }> =>
    p.then(() => ({ ok: true }), (e: unknown) => ({ ok: false, code: (e as ClientError).code ?? String(e) }));

  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await etcd?.stop();
  }, 30_000);

  it.each([
    ['idle', 'connector', 1, 12],
    ['idle', 'game', 1, 12],
    ['busy', 'connector', 40, 12],
    ['busy', 'game', 40, 12],
  ] as const)('%s, route handled by %s: every request read before SIGTERM is answered', async (_load, routeType, users, perUser) => {
    const prefix = `sigterm-${randomUUID()}/`;
    if (routeType === 'game') await server(prefix, { type: 'game', frontend: 'false' });
    const front = await server(prefix, { type: 'connector' });
    const connected = await Promise.all(Array.from({ length: users }, () => PitayaClient.connect(`tcp://127.0.0.1:${front.tcpPort}`, { requestTimeoutMs: 20_000 })));
    clients.push(...connected);
    if (routeType === 'game') {
      await waitFor(async () => (await outcome(connected[0]!.request('game.testsvc.serverid'))).ok, { timeoutMs: 10_000, message: 'backend reachable' });
    }
    // Each user sends its requests back to back; a session handles them in order, 150 ms each.
    const route = `${routeType}.testsvc.sleep`;
    const firsts: Promise<unknown>[] = [];
    const all = connected.flatMap((client) =>
      Array.from({ length: perUser }, (_, i) => {
        const p = client.request(route, { ms: 150 });
        if (i === 0) firsts.push(p);
        return outcome(p);
      }),
    );
    // Once every first answer is back, the frontend has read the requests queued behind it.
    await Promise.all(firsts);
    const exited = front.stop('SIGTERM', 15_000);
    const results = await Promise.all(all);
    await exited;
    const lost = results.filter((r) => !r.ok);
    expect(lost).toEqual([]);
    // A clean close: exit code 0, or the re-raised signal once the shutdown hooks are done.
    expect(front.child.exitCode === 0 || front.child.signalCode === 'SIGTERM').toBe(true);
  }, 60_000);
});
