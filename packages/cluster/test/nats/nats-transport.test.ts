/**
 * The NATS transport against a real nats-server, with a plain NATS connection standing in for a Go
 * Pitaya peer: it sends and expects the bytes of the spec's vectors (§5.3) on Pitaya's subjects (§5.5).
 */
import { connect, type Msg, type NatsConnection } from 'nats';
import {
  Context, createLogger, Handler, METRICS_REPORTER, Module, NoopMetricsReporter, Pitaya, Remote, Route, ws, type MetricsReporter, type PitayaApplication, type ServerIdentity,
} from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { ClusterModule, StaticServiceDiscovery } from '@pitaya-ts/cluster';
import { decodeRequestMetadata, NatsRpcClient, NatsRpcServer, resolveClusterConfig, type RemoteService } from '@pitaya-ts/cluster/internal';
import { decodeRequest, decodeResponse, encodeRequest } from '../../src/protos/pitaya-codecs';
import { MsgType, RPCType } from '../../src/protos/proto-types';
import { startNats, waitFor, type NatsHandle } from '@pitaya-ts/testing';
import type { SessionPool } from '@pitaya-ts/core';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const silent = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

class CountingMetrics extends NoopMetricsReporter implements MetricsReporter {
  readonly timeouts: string[] = [];
  dropped = 0;
  override rpcTimeout(...args: unknown[]): void {
    this.timeouts.push(String(args[0]));
  }
  rpcDropped(): void {
    this.dropped++;
  }
}

@Remote('room')
class RoomRemote {
  /** Echoes the protobuf argument of the spec's User Request vector. */
  @Route({ raw: true })
  remotefunc(_ctx: Context, body: Uint8Array): Uint8Array {
    return body;
  }
}

@Handler('entry')
class EntryHandler {
  @Route()
  async login(ctx: Context, body: { uid: string }): Promise<unknown> {
    await ctx.session.bind(body.uid);
    return { ok: true };
  }
}

describe('NATS transport: Pitaya subjects and payloads', () => {
  let nats: NatsHandle;
  let go: NatsConnection;
  const apps: PitayaApplication[] = [];
  const clients: PitayaClient[] = [];

  const natsConfig = () => ({ transport: 'nats' as const, client: { nats: { connect: nats.url } }, server: { nats: { connect: nats.url } } });
  const startApp = async (serverType: string, serverId: string, frontend: boolean, classes: { handlers?: Function[]; remotes?: Function[] }): Promise<PitayaApplication> => {
    const cluster = ClusterModule.forRoot({ discovery: new StaticServiceDiscovery(), bindingStorage: false, config: { cluster: { rpc: natsConfig() } }, env: {} });
    @Module({ imports: [cluster], handlers: classes.handlers as never, remotes: classes.remotes as never }) class AppModule {}
    const app = await Pitaya.create(AppModule, {
      serverType, serverId, frontend,
      acceptors: frontend ? [ws({ port: 0, host: '127.0.0.1' })] : [],
      logger: silent,
      env: {},
    });
    await app.start();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    nats = await startNats();
    go = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const app of apps.reverse()) await app.close();
    await go?.close();
    await nats?.stop();
  });

  it('answers the spec\'s User Request on pitaya/servers/<type>/<id> with the exact protos.Response bytes', async () => {
    await startApp('room', 'room-1', false, { remotes: [RoomRemote] });
    // Request{type:User, msg{route:"room.room.remotefunc", data:0a026869}, metadata:'{"peer.id":"x"}'}
    const request = hex('08011a1c1214726f6f6d2e726f6f6d2e72656d6f746566756e631a040a0268692a0f7b22706565722e6964223a2278227d');
    const reply = await go.request('pitaya/servers/room/room-1', request, { timeout: 5000 });
    expect(Buffer.from(reply.data).toString('hex')).toBe('0a040a026869'); // Response{data:0a026869}
  });

  it('a frontend listens on the push and kick subjects of bound users only, and on its bindings subject', async () => {
    const front = await startApp('connector', 'fe-1', true, { handlers: [EntryHandler] });
    const server = front.get(NatsRpcServer);
    const connectClient = async (): Promise<PitayaClient> => {
      const c = await PitayaClient.connect(`ws://127.0.0.1:${front.listening[0]!.port}`);
      clients.push(c);
      return c;
    };
    const [a, b, c] = [await connectClient(), await connectClient(), await connectClient()];
    const notices: string[] = [];
    const noticeSub = go.subscribe('pitaya/connector/bindings', { callback: (_e, m) => notices.push(Buffer.from(m.data).toString('hex')) });
    await go.flush();
    await a.request('connector.entry.login', { uid: 'user-1' });
    // Unique session without binding storage, as Pitaya over NATS: BindMsg{uid:"user-1",fid:"fe-1"} to every connector.
    await waitFor(() => notices.length === 1, { timeoutMs: 5000 });
    expect(notices).toEqual(['0a06757365722d31120466652d31']);
    noticeSub.unsubscribe();
    await b.request('connector.entry.login', { uid: 'user-2' });
    await c.request('connector.entry.login', { uid: 'user-3' });
    expect(server.subscribedUsers).toBe(3);

    // Push{route:"onMessage",uid:"user-1",data:'{"x":1}'}
    const pushed = new Promise<unknown>((resolve) => a.on('onMessage', resolve));
    go.publish('pitaya/connector/user/user-1/push', hex('0a096f6e4d6573736167651206757365722d311a077b2278223a317d'));
    expect(await pushed).toEqual({ x: 1 });

    // KickMsg{userId:"user-2"} on user-2's kick subject.
    const kicked = new Promise<void>((resolve) => b.onKick(resolve));
    go.publish('pitaya/connector/user/user-2/kick', hex('0a06757365722d32'));
    await kicked;

    // BindMsg{uid:"user-3", fid:"fe-2"}: user-3 logged in on another connector, so this one drops it.
    go.publish('pitaya/connector/bindings', Buffer.concat([hex('0a06757365722d33'), hex('120466652d32')]));
    await waitFor(() => !c.connected, { timeoutMs: 5000, message: 'unique session: user-3 not dropped' });

    // Closed sessions give their subjects back; garbage on a subject costs a counted drop, nothing more.
    await waitFor(() => server.subscribedUsers === 1, { timeoutMs: 5000 });
    const before = server.dropped;
    go.publish('pitaya/connector/user/user-1/push', hex('ffffffff'));
    go.publish('pitaya/connector/bindings', hex('0a'));
    await go.flush();
    await waitFor(() => server.dropped === before + 2, { timeoutMs: 5000 });
    expect(a.connected).toBe(true);
    // A second bind fails (a plain Error, so the client gets the generic text, not the exception's).
    expect(await a.request('connector.entry.login', { uid: 'user-1' }).catch((e: Error) => e.message)).toContain('internal server error');
  });

  it('client: Pitaya subjects and payloads out, PIT-408 counted on a silent server, PIT-500 at once when nobody listens', async () => {
    const self: ServerIdentity = { id: 'ts-1', type: 'connector', frontend: true, metadata: {}, hostname: 'h' };
    const discovery = new StaticServiceDiscovery([
      { id: 'go-1', type: 'game', frontend: false, metadata: {}, hostname: 'h' },
      { id: 'go-silent', type: 'game', frontend: false, metadata: {}, hostname: 'h' },
      { id: 'go-gone', type: 'game', frontend: false, metadata: {}, hostname: 'h' },
      { id: 'gofe-1', type: 'gofront', frontend: true, metadata: {}, hostname: 'h' },
    ]);
    const metrics = new CountingMetrics();
    const config = resolveClusterConfig({ config: { cluster: { rpc: natsConfig() } }, env: {} });
    const client = new NatsRpcClient(discovery, config, self, metrics, silent);
    const received: Msg[] = [];
    const subs = [
      go.subscribe('pitaya/servers/game/go-1', { callback: (_e, m) => { received.push(m); m.respond(hex('0a0361636b')); } }),
      go.subscribe('pitaya/servers/game/go-silent', { callback: () => undefined }),
      go.subscribe('pitaya/gofront/user/user-1/push', { callback: (_e, m) => received.push(m) }),
      go.subscribe('pitaya/gofront/user/user-1/kick', { callback: (_e, m) => received.push(m) }),
      go.subscribe('pitaya/gofront/bindings', { callback: (_e, m) => received.push(m) }),
    ];
    await go.flush();
    await client.init();
    try {
      const response = await client.call('go-1', { type: 1, msg: { route: 'game.svc.method', data: Buffer.from('hi') }, metadata: Buffer.from('{"peer.id":"ts-1"}') });
      expect(response.data.toString()).toBe('ack');
      const sent = decodeRequest(received[0]!.data);
      expect(sent.msg?.route).toBe('game.svc.method');
      expect(decodeRequestMetadata(sent.metadata)).toEqual({ 'peer.id': 'ts-1' });
      expect(received[0]!.reply).toBeTruthy();

      await expect(client.call('go-silent', { msg: { route: 'game.svc.slow' } }, 200)).rejects.toMatchObject({ code: 'PIT-408', message: 'rpc client: request timeout' });
      expect(metrics.timeouts).toEqual(['game']);

      // NATS answers "no responders" at once: the error comes long before the (generous) deadline.
      const started = Date.now();
      await expect(client.call('go-gone', { msg: { route: 'game.svc.x' } }, 20_000)).rejects.toMatchObject({
        code: 'PIT-500', message: 'rpc client: server game go-gone is unavailable (no responders)',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      await expect(client.call('nobody', { msg: { route: 'game.svc.x' } })).rejects.toMatchObject({ code: 'PIT-500' });

      await client.pushToUser('gofe-1', { route: 'onMessage', uid: 'user-1', data: Buffer.from('{"x":1}') });
      await client.kickUser('gofe-1', { userId: 'user-1' });
      await client.sessionBindRemote('gofe-1', { uid: 'user-1', fid: 'fe-1' });
      await waitFor(() => received.length === 4, { timeoutMs: 5000 });
      expect(received.slice(1).map((m) => [m.subject, Buffer.from(m.data).toString('hex')])).toEqual([
        ['pitaya/gofront/user/user-1/push', '0a096f6e4d6573736167651206757365722d311a077b2278223a317d'],
        ['pitaya/gofront/user/user-1/kick', '0a06757365722d31'],
        ['pitaya/gofront/bindings', '0a06757365722d31120466652d31'],
      ]);
    } finally {
      for (const s of subs) s.unsubscribe();
      await client.shutdown();
    }
  });

  it('server: requests beyond services + buffer.messages are dropped and counted, like Pitaya\'s slow consumer', async () => {
    const self: ServerIdentity = { id: 'busy-1', type: 'busy', frontend: false, metadata: {}, hostname: 'h' };
    const releases: (() => void)[] = [];
    const remote = { call: () => new Promise((resolve) => releases.push(() => resolve({ data: Buffer.from('done') }))) } as unknown as RemoteService;
    const pool = {} as SessionPool;
    const metrics = new CountingMetrics();
    const config = resolveClusterConfig({
      config: { cluster: { rpc: { transport: 'nats', server: { nats: { connect: nats.url, services: 2, buffer: { messages: 3 } } } } } },
      env: {},
    });
    const server = new NatsRpcServer(remote, pool, config, self, metrics, silent);
    await server.init();
    try {
      const request = encodeRequest({ type: 1, msg: { route: 'busy.svc.m' }, metadata: Buffer.from('{}') });
      const answers: string[] = [];
      const replies = Array.from({ length: 10 }, () => go.request('pitaya/servers/busy/busy-1', request, { timeout: 1500 }).then(
        (m) => answers.push(Buffer.from(m.data).toString('hex')),
        () => undefined,
      ));
      await waitFor(() => server.dropped === 5, { timeoutMs: 5000, message: '5 drops' });
      expect(releases.length).toBe(2);
      expect(metrics.dropped).toBe(5);
      // Queued requests run as workers free up; every one that was not dropped is answered.
      await waitFor(() => {
        for (const release of releases.splice(0)) release();
        return answers.length === 5;
      }, { timeoutMs: 5000 });
      await Promise.all(replies);
      expect(answers).toEqual(Array(5).fill('0a04646f6e65')); // Response{data:"done"}

      // Not a protos.Request, or one without a message (Pitaya #503): dropped, counted, nobody answers.
      go.publish('pitaya/servers/busy/busy-1', hex('ff01'));
      go.publish('pitaya/servers/busy/busy-1', encodeRequest({ type: 1, metadata: Buffer.from('{}') }));
      await waitFor(() => server.dropped === 7, { timeoutMs: 5000 });
    } finally {
      await server.shutdown();
    }
  }, 20_000);

  it('server: a request that waited in the queue carries its arrival time to the dispatcher (handler_delay_ns), only when measured', async () => {
    const request = encodeRequest({ type: 0, msg: { route: 'busy.svc.m' }, metadata: Buffer.from('{}') });
    const serve = async (metrics: MetricsReporter, id: string): Promise<{ arrivals: number[]; sentAt: number; releasedAt: number }> => {
      const self: ServerIdentity = { id, type: 'busy', frontend: false, metadata: {}, hostname: 'h' };
      const arrivals: number[] = [];
      let release: (() => void) | undefined;
      const remote = {
        call: (_r: unknown, arrivedAt: number) => {
          arrivals.push(arrivedAt);
          return new Promise((resolve) => (release = () => resolve({ data: Buffer.from('done') })));
        },
      } as unknown as RemoteService;
      const config = resolveClusterConfig({ config: { cluster: { rpc: { transport: 'nats', server: { nats: { connect: nats.url, services: 1, buffer: { messages: 3 } } } } } }, env: {} });
      const server = new NatsRpcServer(remote, {} as SessionPool, config, self, metrics, silent);
      await server.init();
      try {
        const first = go.request(`pitaya/servers/busy/${id}`, request, { timeout: 5000 });
        await waitFor(() => arrivals.length === 1, { message: 'first request running' });
        const sentAt = performance.now();
        const second = go.request(`pitaya/servers/busy/${id}`, request, { timeout: 5000 });
        // The only worker is held: the second request waits in the server's queue (read through a cast, the queue is private).
        await waitFor(() => (server as unknown as { waiting: unknown[] }).waiting.length === 1, { message: 'second request queued' });
        const releasedAt = performance.now();
        release!();
        await first;
        await waitFor(() => arrivals.length === 2, { message: 'second request dispatched' });
        release!();
        await second;
        return { arrivals, sentAt, releasedAt };
      } finally {
        await server.shutdown();
      }
    };
    const timed = await serve(Object.assign(new NoopMetricsReporter(), { handlerDelay: () => undefined }), 'busy-timed');
    expect(timed.arrivals[0]).toBe(-1);
    expect(timed.arrivals[1]).toBeGreaterThanOrEqual(timed.sentAt);
    expect(timed.arrivals[1]).toBeLessThanOrEqual(timed.releasedAt);
    const untimed = await serve(new NoopMetricsReporter(), 'busy-untimed');
    expect(untimed.arrivals).toEqual([-1, -1]);
  }, 20_000);

  it('backend: a forwarded message that waited in the RPC queue reports that wait as handler_delay_ns{type="remote"} with its route', async () => {
    let release: (() => void) | undefined;
    @Handler('slow')
    class SlowHandler {
      @Route()
      async hold(): Promise<unknown> {
        await new Promise<void>((resolve) => (release = resolve));
        return { held: true };
      }
    }
    const delays: { route: string; type: string; delayMs: number }[] = [];
    const metrics = Object.assign(new NoopMetricsReporter(), {
      handlerDelay: (route: string, type: 'local' | 'remote', delayMs: number) => void delays.push({ route, type, delayMs }),
    });
    const cluster = ClusterModule.forRoot({
      discovery: new StaticServiceDiscovery(), bindingStorage: false, env: {},
      config: { cluster: { rpc: { ...natsConfig(), server: { nats: { connect: nats.url, services: 1 } } } } },
    });
    @Module({ imports: [cluster], handlers: [SlowHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] }) class AppModule {}
    const app = await Pitaya.create(AppModule, { serverType: 'room', serverId: 'room-delay', frontend: false, logger: silent, env: {} });
    await app.start();
    apps.push(app);
    // A Sys request as a frontend forwards a client's message: route, client message and session.
    const forwarded = (sessionId: number): Uint8Array => encodeRequest({
      type: RPCType.Sys, frontendID: 'fe-x', metadata: Buffer.from('{}'),
      msg: { route: 'room.slow.hold', type: MsgType.MsgRequest, id: sessionId, data: Buffer.from('{}') },
      session: { id: sessionId, uid: `u${sessionId}`, data: Buffer.from('{}') },
    });
    const first = go.request('pitaya/servers/room/room-delay', forwarded(1), { timeout: 5000 });
    await waitFor(() => release !== undefined, { message: 'first forwarded message running' });
    const holdFirst = release!;
    release = undefined;
    const second = go.request('pitaya/servers/room/room-delay', forwarded(2), { timeout: 5000 });
    const server = app.get(NatsRpcServer);
    // One worker (services: 1) is held: the second waits in the server's queue (private, read through a cast).
    await waitFor(() => (server as unknown as { waiting: unknown[] }).waiting.length === 1, { message: 'second request queued' });
    const queuedSeenAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const releasedAt = performance.now();
    holdFirst();
    await first;
    await waitFor(() => release !== undefined, { message: 'second forwarded message running' });
    release!();
    expect(decodeResponse((await second).data).error).toBeFalsy();
    expect(delays).toHaveLength(2);
    expect(delays[0]).toEqual({ route: 'room.slow.hold', type: 'remote', delayMs: 0 });
    expect(delays[1]!.route).toBe('room.slow.hold');
    expect(delays[1]!.type).toBe('remote');
    expect(delays[1]!.delayMs).toBeGreaterThanOrEqual(releasedAt - queuedSeenAt);
  }, 20_000);
});
