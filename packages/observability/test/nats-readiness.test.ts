import { createLogger, Module, Pitaya, type PitayaApplication } from '@pitaya-ts/core';
import { ClusterModule, StaticServiceDiscovery } from '@pitaya-ts/cluster';
import { startNats, waitFor, type NatsHandle } from '@pitaya-ts/testing';
import { ObservabilityModule, ObservabilityRuntime } from '@pitaya-ts/observability';

describe('readiness with the NATS RPC transport', () => {
  let nats: NatsHandle;
  let app: PitayaApplication | undefined;

  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
  });

  it('is not ready while NATS is down, like Pitaya\'s IsReady, and ready again once it is back', async () => {
    const cluster = ClusterModule.forRoot({
      discovery: new StaticServiceDiscovery(),
      bindingStorage: false,
      config: { cluster: { rpc: { transport: 'nats', client: { nats: { connect: nats.url } }, server: { nats: { connect: nats.url } } } } },
      env: {},
    });
    @Module({ imports: [cluster, ObservabilityModule.forRoot({ env: {} })] }) class AppModule {}
    app = await Pitaya.create(AppModule, { serverType: 'game', frontend: false, acceptors: [], logger: createLogger({ level: 'silent' }), env: {} });
    await app.start();
    const runtime = app.get(ObservabilityRuntime);
    expect(runtime.notReadyReasons()).toEqual([]);

    await nats.kill();
    await waitFor(() => runtime.notReadyReasons().includes('rpcClient: NATS not connected'), { timeoutMs: 10_000 });
    expect(runtime.notReadyReasons()).toContain('rpcServer: NATS not connected');

    await nats.restart();
    await waitFor(() => runtime.notReadyReasons().length === 0, { timeoutMs: 20_000, message: 'ready again after NATS came back' });
  }, 40_000);
});
