/**
 * Go Pitaya's e2e suite (e2e/e2e_test.go) against pitaya-ts servers running as real processes,
 * discovered through a real etcd and talking gRPC, then NATS (a real nats-server): same server (apps/e2e-server, a port
 * of examples/testing), same routes, same expected bytes.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import type { ServerProcess } from '@pitaya-ts/testing';
import { startE2eServer } from '../support/e2e-server';
import { startTransport, TRANSPORTS, type TransportHarness } from '../support/transports';

const text = (b: unknown): string => Buffer.from(b as Uint8Array).toString();
const bytes = (s: string): Uint8Array => Buffer.from(s);

describe.each(TRANSPORTS)('Pitaya e2e cases over %s and etcd', (transport) => {
  let etcd: EtcdHandle;
  let rpc: TransportHarness;
  const servers: ServerProcess[] = [];
  const clients: PitayaClient[] = [];
  const prefix = `e2e-${randomUUID()}/`;
  let game: ServerProcess;
  let front1: ServerProcess;
  let front2: ServerProcess;

  const server = async (args: Record<string, string>): Promise<ServerProcess> => {
    const started = await startE2eServer({ etcd: etcd.endpoint, sdprefix: prefix, ...args }, rpc.env());
    servers.push(started);
    return started;
  };
  const connect = async (to: ServerProcess): Promise<PitayaClient> => {
    const client = await PitayaClient.connect(`tcp://127.0.0.1:${to.tcpPort}`, { encoding: 'raw', requestTimeoutMs: 5000 });
    clients.push(client);
    return client;
  };
  const request = async (client: PitayaClient, route: string, body: string): Promise<string> => {
    try {
      return text(await client.request(route, bytes(body)));
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      const meta = Object.keys(error.metadata).length > 0 ? { metadata: error.metadata } : {};
      return JSON.stringify({ code: error.code, msg: error.message, ...meta });
    }
  };
  const nextPush = (client: PitayaClient, route: string): Promise<string> =>
    new Promise((resolve) => {
      const off = client.on(route, (body) => {
        off();
        resolve(text(body));
      });
    });

  beforeAll(async () => {
    [etcd, rpc] = await Promise.all([startEtcd(), startTransport(transport)]);
    [game, front1, front2] = await Promise.all([
      server({ type: 'game', frontend: 'false' }),
      server({ type: 'connector' }),
      server({ type: 'connector' }),
    ]);
    // Each frontend must see the backend and the other frontend before the cases run.
    const probe = await connect(front1);
    await waitFor(async () => (await request(probe, 'game.testsvc.testrequestonlysessionreturnsptr', '')).includes('hello'), { timeoutMs: 10_000 });
    const probe2 = await connect(front2);
    await waitFor(async () => (await request(probe2, 'game.testsvc.testrequestonlysessionreturnsptr', '')).includes('hello'), { timeoutMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all([etcd?.stop(), rpc?.stop()]);
  }, 30_000);

  it(`servers advertise and use ${transport} (no gRPC address over NATS)`, async () => {
    const kv = new Etcd3({ hosts: etcd.url });
    try {
      const info = JSON.parse((await kv.get(`${prefix}servers/game/${game.id}`).string())!) as { metadata: Record<string, string> };
      if (transport === 'nats') expect(info.metadata.grpcPort).toBeUndefined();
      else expect(Number(info.metadata.grpcPort)).toBeGreaterThan(0);
    } finally {
      kv.close();
    }
  });

  it('TestHandlerCallToFront', async () => {
    const c = await connect(front1);
    const cases: [string, string, string][] = [
      ['connector.testsvc.testrequestonlysessionreturnsptr', '', '{"code":200,"msg":"hello"}'],
      ['connector.testsvc.testrequestonlysessionreturnsptrnil', '', '{"code":"PIT-000","msg":"reply must not be null"}'],
      ['connector.testsvc.testrequestonlysessionreturnsrawnil', '', '{"code":"PIT-000","msg":"reply must not be null"}'],
      ['connector.testsvc.testrequestreturnsptr', '{"msg":"good"}', '{"code":200,"msg":"good"}'],
      ['connector.testsvc.testrequestreturnsraw', '{"msg":"good"}', 'good'],
      ['connector.testsvc.testrequestreceivereturnsraw', 'woow', 'woow'],
      ['connector.testsvc.nonexistenthandler', 'woow', '{"code":"PIT-404","msg":"pitaya/handler: connector.testsvc.nonexistenthandler not found"}'],
      ['connector.testsvc.testrequestreturnserror', 'woow', '{"code":"PIT-555","msg":"somerror"}'],
    ];
    for (const [route, body, expected] of cases) expect(`${route} -> ${await request(c, route, body)}`).toBe(`${route} -> ${expected}`);
  });

  it('TestForwardToBackend', async () => {
    const c = await connect(front1);
    const cases: [string, string, string][] = [
      ['game.testsvc.testrequestonlysessionreturnsptr', '', '{"code":200,"msg":"hello"}'],
      ['game.testsvc.testrequestreturnsptr', '{"msg":"good"}', '{"code":200,"msg":"good"}'],
      ['game.testsvc.testrequestreturnsraw', '{"msg":"good"}', 'good'],
      ['game.testsvc.testrequestreceivereturnsraw', 'woow', 'woow'],
      ['game.testsvc.nonexistenthandler', 'woow', '{"code":"PIT-404","msg":"pitaya/handler: game.testsvc.nonexistenthandler not found"}'],
      ['game.testsvc.testrequestreturnserror', 'woow', '{"code":"PIT-555","msg":"somerror"}'],
      // A TS-private helper of TestSvc: routes are opt-in, so a client cannot call it.
      ['game.testsvc.bindandjoin', '', '{"code":"PIT-404","msg":"pitaya/handler: game.testsvc.bindandjoin not found"}'],
    ];
    for (const [route, body, expected] of cases) expect(`${route} -> ${await request(c, route, body)}`).toBe(`${route} -> ${expected}`);
  });

  it('TestGroupFront', async () => {
    const [c1, c2] = [await connect(front1), await connect(front1)];
    expect(await request(c1, 'connector.testsvc.testbind', '')).toBe('ack');
    expect(await request(c2, 'connector.testsvc.testbind', '')).toBe('ack');
    for (const [route, push, data] of [
      ['connector.testsvc.testsendgroupmsg', 'route.test', 'testing group'],
      ['connector.testsvc.testsendgroupmsgptr', 'route.testptr', '{"msg":"hellow"}'],
    ] as const) {
      const received = Promise.all([nextPush(c1, push), nextPush(c2, push)]);
      c1.notify(route, bytes(data));
      expect(await received).toEqual([data, data]);
    }
  });

  it('TestGroupBack: a backend group reaches members on two frontends', async () => {
    const [c1, c2] = [await connect(front1), await connect(front2)];
    expect(await request(c1, 'game.testsvc.testbind', '')).toBe('ack');
    expect(await request(c2, 'game.testsvc.testbind', '')).toBe('ack');
    for (const [route, push, data] of [
      ['game.testsvc.testsendgroupmsg', 'route.test', 'testing group'],
      ['game.testsvc.testsendgroupmsgptr', 'route.testptr', '{"msg":"hellow"}'],
    ] as const) {
      const received = Promise.all([nextPush(c1, push), nextPush(c2, push)]);
      c1.notify(route, bytes(data));
      expect(await received).toEqual([data, data]);
    }
  });

  it('TestKick and TestKickOnBack', async () => {
    const [c1, c2] = [await connect(front1), await connect(front1)];
    const uid = randomUUID();
    expect(await request(c1, 'connector.testsvc.testbindid', uid)).toBe('ack');
    const kicked = new Promise<void>((resolve) => c1.onKick(resolve));
    expect(await request(c2, 'connector.testsvc.testrequestkickuser', uid)).toBe('{"code":200,"msg":"ok"}');
    await kicked;
    await waitFor(() => !c1.connected, { timeoutMs: 1000 });

    const c3 = await connect(front2);
    expect(await request(c3, 'game.testsvc.testbind', '')).toBe('ack');
    const kickedBack = new Promise<void>((resolve) => c3.onKick(resolve));
    void request(c3, 'game.testsvc.testrequestkickme', '');
    await kickedBack;
    await waitFor(() => !c3.connected, { timeoutMs: 1000 });
  });

  it('TestSameUIDUserShouldBeKicked (same frontend) and ...InDifferentServersFromSameType', async () => {
    const uid = randomUUID();
    const [a, b] = [await connect(front1), await connect(front1)];
    expect(await request(a, 'connector.testsvc.testbindid', uid)).toBe('ack');
    // The bind succeeds; like Go's server, adding the uid to g1 again then fails (PIT-441).
    expect(await request(b, 'connector.testsvc.testbindid', uid)).toBe('{"code":"PIT-441","msg":"member already exists in group"}');
    await waitFor(() => !a.connected, { timeoutMs: 1000 });
    expect(b.connected).toBe(true);

    const uid2 = randomUUID();
    const [c, d] = [await connect(front1), await connect(front2)];
    expect(await request(c, 'connector.testsvc.testbindid', uid2)).toBe('ack');
    expect(await request(d, 'connector.testsvc.testbindid', uid2)).toBe('ack'); // front2 has its own memory group
    await waitFor(() => !c.connected, { timeoutMs: 2000 });
    expect(d.connected).toBe(true);
  });

  it('TestPushToUsers from a frontend and from a backend, across two frontends', async () => {
    const [c1, c2] = [await connect(front1), await connect(front2)];
    const [uid1, uid2] = [randomUUID(), randomUUID()];
    expect(await request(c1, 'connector.testsvc.testbindid', uid1)).toBe('ack');
    expect(await request(c2, 'connector.testsvc.testbindid', uid2)).toBe('ack');
    const msg = JSON.stringify({ msg: 'testing send to users', uids: [uid1, uid2] });
    for (const route of ['connector.testsvc.testsendtousers', 'game.testsvc.testsendtousers']) {
      const received = Promise.all([nextPush(c1, 'route.sendtousers'), nextPush(c2, 'route.sendtousers')]);
      c1.notify(route, bytes(msg));
      expect(await received).toEqual(['testing send to users', 'testing send to users']);
    }
  });

  it('TestUserRPC: front to back, back to front, errors with metadata, same server, no args, not found', async () => {
    const c = await connect(front1);
    const cases: [string, string, string][] = [
      ['connector.testsvc.testsendrpc', '{"route":"game.testremotesvc.rpctestrawptrreturnsptr","data":"thisthis"}', '{"code":200,"msg":"got thisthis"}'],
      ['game.testsvc.testsendrpc', '{"route":"connector.testremotesvc.rpctestrawptrreturnsptr","data":"thisthis"}', '{"code":200,"msg":"got thisthis"}'],
      ['connector.testsvc.testsendrpc', '{"route":"game.testremotesvc.rpctestreturnserror","data":"thisthis"}', '{"code":"PIT-433","msg":"test error","metadata":{"some":"meta"}}'],
      ['game.testsvc.testsendrpc', '{"route":"connector.testremotesvc.rpctestreturnserror","data":"thisthis"}', '{"code":"PIT-433","msg":"test error","metadata":{"some":"meta"}}'],
      ['connector.testsvc.testsendrpc', '{"route":"connector.testremotesvc.rpctestrawptrreturnsptr","data":"thisthis"}', '{"code":"PIT-000","msg":"you are making a rpc that may be processed locally, either specify a different server type or specify a server id"}'],
      ['connector.testsvc.testsendrpc', '{"route":"game.testremotesvc.rpctestptrreturnsptr","data":"thisthis"}', '{"code":200,"msg":"got thisthis"}'],
      ['connector.testsvc.testsendrpcnoargs', '{"route":"game.testremotesvc.rpctestnoargs"}', '{"code":200,"msg":"got nothing"}'],
      ['connector.testsvc.testsendrpc', '{"route":"game.testremotesvc.rpctestnotfound","data":"thisthis"}', '{"code":"PIT-404","msg":"route not found","metadata":{"route":"testremotesvc.rpctestnotfound"}}'],
    ];
    for (const [route, body, expected] of cases) expect(`${route} ${body} -> ${await request(c, route, body)}`).toBe(`${route} ${body} -> ${expected}`);
  });

  it('kicks users by uid from a backend, across frontends, and reports the ones it could not find', async () => {
    const [c1, c2, admin] = [await connect(front1), await connect(front2), await connect(front1)];
    const [uid1, uid2] = [randomUUID(), randomUUID()];
    expect(await request(c1, 'connector.testsvc.testbindid', uid1)).toBe('ack');
    expect(await request(c2, 'connector.testsvc.testbindid', uid2)).toBe('ack');
    const reply = await request(admin, 'game.testsvc.kickusers', JSON.stringify({ uids: [uid1, uid2, 'nobody'] }));
    expect(JSON.parse(reply)).toEqual({ failed: ['nobody'] });
    await waitFor(() => !c1.connected && !c2.connected, { timeoutMs: 2000 });
  });

  it('shares etcd groups between backends: a member added on one is reached from another', async () => {
    const [g1, g2] = await Promise.all([
      server({ type: 'shared', frontend: 'false', groups: 'etcd', id: `shared-a-${randomUUID()}` }),
      server({ type: 'shared', frontend: 'false', groups: 'etcd', id: `shared-b-${randomUUID()}` }),
    ]);
    const c = await connect(front1);
    await waitFor(async () => !(await request(c, 'shared.testsvc.serverid', '')).includes('PIT-'), { timeoutMs: 5000 });
    // Bind through whichever backend the router picks, then broadcast until both backends answered at least once.
    expect(await request(c, 'shared.testsvc.testbind', '')).toBe('ack');
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const push = nextPush(c, 'route.test');
      c.notify('shared.testsvc.testsendgroupmsg', bytes(`hello ${i}`));
      expect(await push).toBe(`hello ${i}`);
      seen.add((JSON.parse(await request(c, 'shared.testsvc.serverid', '')) as { id: string }).id);
    }
    expect([...seen].sort()).toEqual([g1.id, g2.id].sort());
  }, 30_000);

  it('answers PIT-500 promptly for a server type with no servers', async () => {
    const c = await connect(front1);
    const started = Date.now();
    expect(await request(c, 'nothere.svc.method', '{}')).toBe('{"code":"PIT-500","msg":"no servers available of this type","metadata":{"serverType":"nothere"}}');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('TestSameUIDUserShouldNotBeKickedInDifferentServersFromDiffType', async () => {
    const [x, y] = await Promise.all([server({ type: 'connector1' }), server({ type: 'connector2' })]);
    const [c1, c2] = [await connect(x), await connect(y)];
    const uid = randomUUID();
    expect(await request(c1, 'connector1.testsvc.testbindid', uid)).toBe('ack');
    expect(await request(c2, 'connector2.testsvc.testbindid', uid)).toBe('ack');
    // A bind is answered only after the previous holder's frontend has kicked it, so a wrong kick
    // would already be written to c1 ahead of any later answer: one round trip per client shows it.
    expect(JSON.parse(await request(c1, 'connector1.testsvc.serverid', ''))).toEqual({ id: x.id });
    expect(JSON.parse(await request(c2, 'connector2.testsvc.serverid', ''))).toEqual({ id: y.id });
    expect(c1.connected).toBe(true);
    expect(c2.connected).toBe(true);
  }, 30_000);

  it('routes with a custom routing strategy registered through DI', async () => {
    const routed = await Promise.all([
      server({ type: 'connector', router: 'uid' }),
      server({ type: 'game', frontend: 'false', id: 'game-a' }),
      server({ type: 'game', frontend: 'false', id: 'game-b' }),
    ]);
    const front = routed[0]!;
    const [u0, u1] = [await connect(front), await connect(front)];
    // uid hashes: "u0" -> 165 % 3 = 0, "u1" -> 166 % 3 = 1 over [game-a, game-b, <first game>] sorted by id.
    await waitFor(async () => (await request(u0, 'game.testsvc.serverid', '')).length > 0, { timeoutMs: 5000 });
    expect(await request(u0, 'connector.testsvc.testbindid', 'u0')).toBe('ack');
    expect(await request(u1, 'connector.testsvc.testbindid', 'u1')).toBe('ack');
    const allGames = [game.id, 'game-a', 'game-b'].sort();
    const serverOf = async (c: Awaited<ReturnType<typeof connect>>): Promise<string> => (JSON.parse(await request(c, 'game.testsvc.serverid', '')) as { id: string }).id;
    // The strategy sees the servers the frontend has discovered: wait until its etcd watch has all three
    // (the two new game servers registered a moment ago), then the routing must be stable.
    await waitFor(async () => (await serverOf(u0)) === allGames[0] && (await serverOf(u1)) === allGames[1], { timeoutMs: 10_000, message: 'frontend discovered the three game servers' });
    const ids = await Promise.all([u0, u0, u0, u1, u1, u1].map(serverOf));
    expect(ids).toEqual([allGames[0], allGames[0], allGames[0], allGames[1], allGames[1], allGames[1]]);
  }, 30_000);
});
