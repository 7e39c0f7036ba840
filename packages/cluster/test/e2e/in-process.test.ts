import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { Context, Handler, METRICS_REPORTER, NoopMetricsReporter, Route, Module, Remote, type PitayaApplication, type ModuleImport } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { ClusterModule, SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { startTransport, TRANSPORTS, type TransportHarness } from '../support/transports';
import { InProcessApps } from '../support/in-process-apps';

@Handler('room')
class RoomHandler {
  @Route()
  async join(ctx: Context, body: { name: string }): Promise<unknown> {
    await ctx.session.bind(body.name);
    ctx.session.set('room', 'lobby');
    await ctx.session.pushToFront();
    await ctx.session.push('onJoined', { you: body.name });
    return { joined: body.name, frontend: ctx.session.frontendId.length > 0 };
  }

  /** What the frontend propagated with the forwarded request (decoded on first read), plus a value set here. */
  @Route()
  origin(ctx: Context): unknown {
    ctx.set('hop', 'backend');
    const values = ctx.propagatedValues();
    return { service: ctx.get('peer.service'), route: values['req-route'], hop: values['hop'], hasRequestId: typeof ctx.get('request.id') === 'string' };
  }
}
@Remote('room')
class RoomRemote {
  @Route()
  members(_ctx: Context, body: { room: string }): unknown {
    return { room: body.room, members: ['a', 'b'] };
  }
}

/** A backend handler that answers after `ms` (capped): slower than the frontend's RPC timeout when asked. */
@Handler('slow')
class SlowHandler {
  @Route()
  async wait(_ctx: Context, body: { ms: number }): Promise<unknown> {
    // Unref'd: the one that outlives its caller must not hold the test process open.
    await new Promise((resolve) => setTimeout(resolve, Math.min(body.ms, 5000)).unref());
    return { waited: body.ms };
  }
}

class CountingTimeouts extends NoopMetricsReporter {
  readonly timeouts: string[] = [];
  override rpcTimeout(serverType?: string): void {
    this.timeouts.push(serverType ?? '');
  }
}

@Handler('entry')
class EntryHandler {
  @Route()
  whoami(ctx: Context): unknown {
    return { uid: ctx.session.uid ?? null, room: ctx.session.get('room') ?? null };
  }
}

describe.each(TRANSPORTS)('cluster in one process: frontend + backend over real etcd and %s', (transport) => {
  let etcd: EtcdHandle;
  let rpc: TransportHarness;
  const apps = new InProcessApps();
  const start = (root: ModuleImport, serverType: string, frontend: boolean): Promise<PitayaApplication> =>
    apps.start(root, serverType, frontend);

  beforeAll(async () => {
    [etcd, rpc] = await Promise.all([startEtcd(), startTransport(transport)]);
  });
  afterAll(async () => {
    await apps.closeAll();
    await Promise.all([etcd?.stop(), rpc?.stop()]);
  });

  it('forwards to a backend, carries bind/pushToFront/push back, and serves user RPCs', async () => {
    const cluster = ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix: `t-${Date.now()}/` },
      config: { cluster: { rpc: rpc.rpcConfig(), sd: { etcd: { heartbeat: { ttl: '5s' } } } } },
    });
    @Module({ imports: [cluster], handlers: [RoomHandler], remotes: [RoomRemote] }) class BackendModule {}
    @Module({ imports: [cluster], handlers: [EntryHandler] }) class FrontendModule {}
    const backend = await start(BackendModule, 'room', false);
    const frontend = await start(FrontendModule, 'connector', true);
    const sd = frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY);
    await waitFor(() => sd.getServersByType('room').length === 1, { timeoutMs: 5000, message: 'backend not discovered' });

    const client = await PitayaClient.connect(`ws://127.0.0.1:${frontend.listening[0]!.port}`);
    const pushes: unknown[] = [];
    client.on('onJoined', (b) => pushes.push(b));
    expect(await client.request('room.room.join', { name: 'ana' })).toEqual({ joined: 'ana', frontend: true });
    expect(await client.request('connector.entry.whoami')).toEqual({ uid: 'ana', room: 'lobby' });
    expect(await client.request('room.room.origin')).toEqual({ service: 'connector', route: 'room.room.origin', hop: 'backend', hasRequestId: true });
    await waitFor(() => pushes.length === 1);
    expect(pushes).toEqual([{ you: 'ana' }]);
    expect(await frontend.rpc('room.room.members', { room: 'x' })).toEqual({ room: 'x', members: ['a', 'b'] });
    await expect(backend.rpc('room.room.members', {})).rejects.toThrow('may be processed locally');
    await client.close();
  }, 30_000);

  it('answers a forwarded request that outlives the RPC timeout with PIT-408, counts it, and keeps the channel', async () => {
    const base = rpc.rpcConfig();
    // Wide enough that a normal call on a loaded CI machine never reaches it; the late call is 3× over.
    const timeouts = { requestTimeout: 1000 };
    const cluster = ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix: `t-timeout-${Date.now()}/` },
      config: { cluster: { rpc: { ...base, client: { ...base.client, grpc: timeouts, ...(base.client ? { nats: { ...base.client.nats, ...timeouts } } : {}) } }, sd: { etcd: { heartbeat: { ttl: '5s' } } } } },
    });
    const metrics = new CountingTimeouts();
    @Module({ imports: [cluster], handlers: [SlowHandler] }) class BackendModule {}
    @Module({ imports: [cluster], handlers: [EntryHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] }) class FrontendModule {}
    await start(BackendModule, 'slow', false);
    const frontend = await start(FrontendModule, 'connector', true);
    const sd = frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY);
    await waitFor(() => sd.getServersByType('slow').length === 1, { timeoutMs: 5000, message: 'backend not discovered' });

    const client = await PitayaClient.connect(`ws://127.0.0.1:${frontend.listening[0]!.port}`);
    expect(await client.request('slow.slow.wait', { ms: 0 })).toEqual({ waited: 0 });
    const late = await client.request('slow.slow.wait', { ms: 3000 }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'PIT-408' });
    // Nothing about the cluster reaches the client: no server id, no transport detail.
    expect(JSON.stringify(late)).not.toMatch(/DEADLINE|grpc|nats/i);
    expect(metrics.timeouts).toEqual(['slow']);
    // The timed-out call leaves the channel usable.
    expect(await client.request('slow.slow.wait', { ms: 1 })).toEqual({ waited: 1 });
    await client.close();
  }, 30_000);
});
